import { getDb } from '@/db';
import { ADMIN_TABLES, isAdminTable } from '@/lib/admin/tables';
import { authenticate } from '@/lib/auth/session';
import { AppError } from '@/lib/errors';
import { csvResponse } from '@/lib/http/csv';
import { handler } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

/** One admin table as CSV (admin only). Dates as ISO 8601 UTC; key hashes are never selected. */
export const GET = handler(async (req, ctx: { params: Promise<{ table: string }> }) => {
  await authenticate(req, { apiKey: false, session: true, capability: 'admin' });
  const { table } = await ctx.params;
  if (!isAdminTable(table)) throw new AppError('not_found', `No admin table ${table}; one of ${Object.keys(ADMIN_TABLES).join(', ')}.`);
  const def = ADMIN_TABLES[table];
  const list = (await def.load(await getDb())).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])));
  const keys = Object.keys(list[0] ?? {});
  return csvResponse(def.file, keys.map((key) => ({ key, header: key })), (async function* () {
    yield list;
  })());
});
