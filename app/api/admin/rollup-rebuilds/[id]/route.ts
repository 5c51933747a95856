import { getDb } from '@/db';
import { authenticate } from '@/lib/auth/session';
import { AppError } from '@/lib/errors';
import { handler, json } from '@/lib/http/route';
import { getRebuild } from '@/lib/kpi/rebuild';
import { otherMethods } from '@/lib/http/methods';

export const dynamic = 'force-dynamic';

/** A rebuild's state, progress and what it fixed (admins). */
export const GET = handler(async (req, ctx: { params: Promise<{ id: string }> }) => {
  await authenticate(req, { apiKey: false, session: true, capability: 'admin' });
  const { id } = await ctx.params;
  if (!/^\d{1,15}$/.test(id)) throw new AppError('not_found', `No rollup rebuild ${id}.`);
  const job = await getRebuild(await getDb(), Number(id));
  if (!job) throw new AppError('not_found', `No rollup rebuild ${id}.`);
  return json(job);
});

/** Every other method: a 405 in SPEC 3's error shape, with `Allow` (lib/http/methods.ts). */
export const { OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods({ GET });
