import { getDb } from '@/db';
import { authenticate } from '@/lib/auth/session';
import { AppError } from '@/lib/errors';
import { handler, json } from '@/lib/http/route';
import { reconciliationRequest } from '@/lib/api/recon-schemas';
import { issuesToStrings } from '@/lib/api/schemas';
import { readBody } from '@/lib/http/body';
import { requestReconciliation } from '@/lib/recon/reconcile';
import { kick } from '@/lib/jobs/runner';
import { otherMethods } from '@/lib/http/methods';

export const dynamic = 'force-dynamic';

/**
 * Starts a reconciliation of a facility's latest ERP and WMS snapshots (SPEC 3.2): 202 { id }.
 * `skuMatching` overrides the facility's SKU matching rules for this run (SPEC 10).
 */
export const POST = handler(async (req) => {
  const who = await authenticate(req, {
    apiKey: true,
    scope: 'ingest',
    session: true,
    capability: 'reconciliation.run',
  });
  let input: unknown;
  try {
    input = JSON.parse((await readBody(req, 64 * 1024)) || 'null');
  } catch {
    throw new AppError('invalid_json', 'The body is not valid JSON; send { "facility": "DC1" }.');
  }
  const parsed = reconciliationRequest.safeParse(input);
  if (!parsed.success)
    throw new AppError('validation_failed', 'The request is invalid.', issuesToStrings(parsed.error, input));
  const db = await getDb();
  const run = await requestReconciliation(
    db,
    parsed.data.facility,
    who.kind === 'apiKey' ? `key ${who.name}` : who.user.email,
    parsed.data.skuMatching,
  );
  void kick(db, run.id);
  return json({ id: run.id, status: 'queued' }, 202);
});

/** Every other method: a 405 in SPEC 3's error shape, with `Allow` (lib/http/methods.ts). */
export const { GET, HEAD, OPTIONS, PUT, PATCH, DELETE } = otherMethods({ POST });
