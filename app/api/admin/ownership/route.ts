import { getDb } from '@/db';
import { removeOwnership, saveOwnership } from '@/lib/admin/settings';
import { ADMIN_TABLES } from '@/lib/admin/tables';
import { ADMIN_SESSION, authenticate } from '@/lib/auth/session';
import { AppError } from '@/lib/errors';
import { handler, json, readJson } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

/** The ownership matrix. */
export const GET = handler(async (req) => {
  await authenticate(req, ADMIN_SESSION);
  return json({ ownership: await ADMIN_TABLES.ownership.load(await getDb()) });
});

/** Sets who owns a field: { dataObject, field, owner: 'erp'|'wms'|'shared', precedence? }. 201 when new, 200 when changed. */
export const PUT = handler(async (req) => {
  await authenticate(req, ADMIN_SESSION);
  const body = await readJson(req, '{ "dataObject", "field", "owner", "precedence" }');
  const { created } = await saveOwnership(await getDb(), body);
  return json({ saved: true }, created ? 201 : 200);
});

/** Removes a row: ?dataObject=…&field=… */
export const DELETE = handler(async (req) => {
  await authenticate(req, ADMIN_SESSION);
  const q = new URL(req.url).searchParams;
  const missing = ['dataObject', 'field'].filter((k) => !q.get(k)).map((k) => `${k}: is required`);
  if (missing.length) throw new AppError('bad_request', 'Say which row to remove.', missing);
  const [dataObject, field] = [q.get('dataObject')!, q.get('field')!];
  await removeOwnership(await getDb(), dataObject, field);
  return json({ removed: { dataObject, field } });
});
