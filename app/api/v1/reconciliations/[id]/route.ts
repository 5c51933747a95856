import { getDb } from '@/db';
import { authenticate } from '@/lib/auth/session';
import { AppError } from '@/lib/errors';
import { handler, json } from '@/lib/http/route';
import { getRun } from '@/lib/recon/reconcile';
import { otherMethods } from '@/lib/http/methods';

export const dynamic = 'force-dynamic';

/** A run's state and progress (SPEC 3.2). */
export const GET = handler(async (req, ctx: { params: Promise<{ id: string }> }) => {
  await authenticate(req, { apiKey: true, scope: 'read', session: true, capability: 'reconciliation.read' });
  const { id } = await ctx.params;
  if (!/^\d{1,15}$/.test(id)) throw new AppError('not_found', `No reconciliation ${id}.`);
  const run = await getRun(await getDb(), Number(id));
  if (!run) throw new AppError('not_found', `No reconciliation ${id}.`);
  return json(run);
});

/** Every other method: a 405 in SPEC 3's error shape, with `Allow` (lib/http/methods.ts). */
export const { OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods({ GET });
