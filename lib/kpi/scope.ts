import { AppError } from '@/lib/errors';
import { issuesToStrings, kpiQuery } from '@/lib/ingest/schemas';
import type { KpiScope } from '@/lib/kpi/kpis';

/** `from`/`to`/`facility`/`txType` from a query string; the window defaults to the last 24 hours. */
export function parseKpiScope(params: URLSearchParams, now = new Date()): KpiScope {
  const raw = Object.fromEntries([...params.entries()].filter(([k, v]) => ['from', 'to', 'facility', 'txType'].includes(k) && v !== ''));
  const parsed = kpiQuery.safeParse(raw);
  if (!parsed.success) throw new AppError('bad_request', 'The query parameters are not valid.', issuesToStrings(parsed.error));
  const to = parsed.data.to ? new Date(parsed.data.to) : now;
  const from = parsed.data.from ? new Date(parsed.data.from) : new Date(to.getTime() - 24 * 3_600_000);
  if (!(from < to)) throw new AppError('bad_request', 'The query parameters are not valid.', ['from: must be before to']);
  return { from, to, facility: parsed.data.facility ?? null, txType: parsed.data.txType ?? null };
}
