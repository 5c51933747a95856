import { authenticate } from '@/lib/auth/session';
import { AppError } from '@/lib/errors';
import { handler, json } from '@/lib/http/route';
import { runDifferences } from '@/lib/recon/queries';
import { getRun } from '@/lib/recon/reconcile';
import { readDb } from '@/lib/http/read';
import { otherMethods } from '@/lib/http/methods';

export const dynamic = 'force-dynamic';

/** A run's differences, each with both sides' SKUs as written (SPEC 10), 1,000 a page by id. */
export const GET = handler(async (req, ctx: { params: Promise<{ id: string }> }) => {
  await authenticate(req, { apiKey: true, scope: 'read', session: true, capability: 'reconciliation.read' });
  const { id } = await ctx.params;
  if (!/^\d{1,15}$/.test(id)) throw new AppError('not_found', `No reconciliation ${id}.`);
  const db = await readDb();
  if (!(await getRun(db, Number(id)))) throw new AppError('not_found', `No reconciliation ${id}.`);
  const page = Number(new URL(req.url).searchParams.get('page') ?? '1');
  return json(await runDifferences(db, Number(id), Number.isInteger(page) && page >= 1 ? page : 1));
});

/** Every other method: a 405 in SPEC 3's error shape, with `Allow` (lib/http/methods.ts). */
export const { OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods({ GET });
