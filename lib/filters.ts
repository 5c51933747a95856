/**
 * The window and facility of a page, read from its URL so a link pasted in a meeting shows the
 * same thing: `?range=24h|7d|30d|90d` or `?from=…&to=…`, and `?facility=DC1`.
 */
import { TX_TYPES, type TxType } from '@/db/schema';

export const RANGES = { '24h': 24, '7d': 7 * 24, '30d': 30 * 24, '90d': 90 * 24 } as const;
const PRESET_LABELS: Record<keyof typeof RANGES, string> = {
  '24h': 'last 24 hours',
  '7d': 'last 7 days',
  '30d': 'last 30 days',
  '90d': 'last 90 days',
};
export type RangeKey = keyof typeof RANGES | 'custom';

export interface PageScope {
  range: RangeKey;
  from: Date;
  to: Date;
  facility: string | null;
  txType: TxType | null;
  /** Why custom dates in the URL were not used (the scope is then the preset or 24 hours). */
  notice?: string;
}

/**
 * The custom windows a page takes: within these years (queries round a window out to whole days
 * and weeks, and Postgres reads no year past 9999), and at most this long (a page draws a point
 * and a table row per day: a window of thousands of years took 40 s to send 160 MB).
 */
export const WINDOW_MIN = new Date('1900-01-01T00:00:00Z');
export const WINDOW_MAX = new Date('9999-01-01T00:00:00Z');
export const MAX_WINDOW_DAYS = 3 * 366;

/** Why a custom window cannot be shown, or null. */
export function windowProblem(from: Date, to: Date): string | null {
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return 'From and To must be dates and times';
  if (!(from < to)) return 'From must be before To';
  if (from < WINDOW_MIN || to > WINDOW_MAX) return 'dates must lie between 1900 and 9999';
  if (to.getTime() - from.getTime() > MAX_WINDOW_DAYS * 86_400_000) return 'a custom window spans at most 3 years';
  return null;
}

/** The scope of a page's query, one value per key (lib/http/search-params `flatParams`). */
export function scopeFromParams(params: Record<string, string | undefined>, now = new Date()): PageScope {
  const { facility: fac, txType: tx, from: fromRaw, to: toRaw, range: r } = params;
  const facility = fac?.trim() || null;
  const txType = tx && (TX_TYPES as readonly string[]).includes(tx) ? (tx as TxType) : null;
  // Explicit dates count when the range says custom (or names none); zone-less input is UTC.
  let notice: string | undefined;
  if (fromRaw && toRaw && (!r || r === 'custom')) {
    const utc = (s: string) => (/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s}Z`);
    const from = new Date(utc(fromRaw));
    const to = new Date(utc(toRaw));
    const problem = windowProblem(from, to);
    if (!problem) return { range: 'custom', from, to, facility, txType };
    notice = problem;
  } else if (r === 'custom') notice = 'a custom window needs both From and To';
  const range: keyof typeof RANGES = r && r in RANGES ? (r as keyof typeof RANGES) : '24h';
  // Round "now" to the minute so a page and its parts agree on one window.
  const to = new Date(Math.floor(now.getTime() / 60_000) * 60_000 + 60_000);
  const scope: PageScope = { range, from: new Date(to.getTime() - RANGES[range] * 3_600_000), to, facility, txType };
  if (notice) scope.notice = `The custom window was not used (${notice}); showing the ${PRESET_LABELS[range]}.`;
  return scope;
}

/** The query string of a scope, for links that carry the filters. */
export function scopeQuery(
  scope: Pick<PageScope, 'range' | 'from' | 'to' | 'facility'> & { txType?: string | null },
  extra: Record<string, string | null | undefined> = {},
) {
  const q = new URLSearchParams();
  if (scope.range === 'custom') {
    q.set('from', scope.from.toISOString());
    q.set('to', scope.to.toISOString());
  } else q.set('range', scope.range);
  if (scope.facility) q.set('facility', scope.facility);
  if (scope.txType) q.set('txType', scope.txType);
  for (const [k, v] of Object.entries(extra)) if (v) q.set(k, v);
  return q.toString();
}

export function previousPeriod(scope: { from: Date; to: Date }) {
  const len = scope.to.getTime() - scope.from.getTime();
  return { from: new Date(scope.from.getTime() - len), to: new Date(scope.from) };
}
