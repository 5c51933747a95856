import { getDb } from '@/db';
import { listStepSlas, removeStepSla, saveStepSla } from '@/lib/admin/settings';
import { ADMIN_SESSION, authenticate } from '@/lib/auth/session';
import { AppError } from '@/lib/errors';
import { handler, json, readJson } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

/** Each lifecycle step's delivery SLA in ms, and whether it is the step's own or the default. */
export const GET = handler(async (req) => {
  await authenticate(req, ADMIN_SESSION);
  return json({ slas: await listStepSlas(await getDb()) });
});

/** Sets a step's SLA: { txType, slaMs } (1 s to 7 days). 201 when new, 200 when changed. */
export const PUT = handler(async (req) => {
  await authenticate(req, ADMIN_SESSION);
  const { created } = await saveStepSla(await getDb(), await readJson(req, '{ "txType": "receipt", "slaMs": 900000 }'));
  return json({ saved: true }, created ? 201 : 200);
});

/** Back to the default: ?txType=… */
export const DELETE = handler(async (req) => {
  await authenticate(req, ADMIN_SESSION);
  const txType = new URL(req.url).searchParams.get('txType');
  if (!txType) throw new AppError('bad_request', 'Say which step.', ['txType: is required']);
  await removeStepSla(await getDb(), txType);
  return json({ removed: { txType } });
});
