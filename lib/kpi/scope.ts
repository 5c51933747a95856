import { AppError } from '@/lib/errors';
import { WINDOW_MAX, WINDOW_MIN } from '@/lib/filters';
import { issuesToStrings, kpiQuery } from '@/lib/api/schemas';
import type { KpiScope } from '@/lib/kpi/kpis';
import { toMicros } from '@/lib/time';

/** `from`/`to`/`facility`/`txType` from a query string; the window defaults to the last 24 hours. */
export function parseKpiScope(params: URLSearchParams, now = new Date()): KpiScope {
  const raw = Object.fromEntries(
    [...params.entries()].filter(([k, v]) => ['from', 'to', 'facility', 'txType'].includes(k) && v !== ''),
  );
  const parsed = kpiQuery.safeParse(raw);
  if (!parsed.success)
    throw new AppError('bad_request', 'The query parameters are not valid.', issuesToStrings(parsed.error));
  // Bounds are kept to the microsecond, as timestamps are stored: a Date alone would cut them to the millisecond.
  const toUs = parsed.data.to ? toMicros(parsed.data.to)! : now.getTime() * 1000;
  const fromUs = parsed.data.from ? toMicros(parsed.data.from)! : toUs - 24 * 3_600_000_000;
  // Windows are rounded out to whole days and weeks, and Postgres reads no year past 9999: bounds
  // outside these years failed the query (a 500).
  const bounds = { from: fromUs, to: toUs };
  const outside = (['from', 'to'] as const).filter(
    (k) => bounds[k] < WINDOW_MIN.getTime() * 1000 || bounds[k] > WINDOW_MAX.getTime() * 1000,
  );
  if (outside.length) {
    throw new AppError(
      'bad_request',
      'The query parameters are not valid.',
      outside.map((k) => `${k}: must lie between ${WINDOW_MIN.toISOString()} and ${WINDOW_MAX.toISOString()}`),
    );
  }
  if (!(fromUs < toUs))
    throw new AppError('bad_request', 'The query parameters are not valid.', ['from: must be before to']);
  const date = (us: number) => new Date(Math.floor(us / 1000));
  return {
    from: date(fromUs),
    to: date(toUs),
    fromUs,
    toUs,
    facility: parsed.data.facility ?? null,
    txType: parsed.data.txType ?? null,
  };
}
