import { getDb } from '@/db';
import { listThresholds, parseThreshold, removeThreshold, saveThreshold } from '@/lib/kpi/threshold-settings';
import { ADMIN_SESSION, authenticate } from '@/lib/auth/session';
import { AppError } from '@/lib/errors';
import { handler, json, readJson } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

/** Every threshold, in the units of /api/v1/kpis (rates as fractions, durations in ms). */
export const GET = handler(async (req) => {
  await authenticate(req, ADMIN_SESSION);
  const list = await listThresholds(await getDb());
  return json({ thresholds: list.map(({ kpi, facility, amber, red, worse }) => ({ kpi, facility, amber, red, worse })) });
});

/** Sets one: { kpi, facility ('*' for every facility), amber, red, worse: 'up' | 'down' }. 201 when new, 200 when changed. */
export const PUT = handler(async (req) => {
  await authenticate(req, ADMIN_SESSION);
  const t = parseThreshold(await readJson(req, '{ "kpi", "facility", "amber", "red", "worse" }'));
  const { created } = await saveThreshold(await getDb(), t);
  return json({ threshold: t }, created ? 201 : 200);
});

/** Removes one: ?kpi=…&facility=… (facility '*' for the default). 404 when there is none. */
export const DELETE = handler(async (req) => {
  await authenticate(req, ADMIN_SESSION);
  const q = new URL(req.url).searchParams;
  const kpi = q.get('kpi');
  const facility = q.get('facility');
  const missing = [!kpi && 'kpi: is required', !facility && "facility: is required ('*' for the default)"].filter((d): d is string => !!d);
  if (missing.length) throw new AppError('bad_request', 'Say which threshold to remove.', missing);
  await removeThreshold(await getDb(), kpi!, facility!);
  return json({ removed: { kpi, facility } });
});
