/**
 * The figures `npm run bench -- --json` prints as its last line: one object, every key always there,
 * null for a part this run left out or that is not built yet (retention.ts, alerts.ts are its
 * hooks). Each part of the bench fills its own keys; docs/scale.md quotes them.
 */

export const PAGES = [
  '/',
  '/exceptions',
  '/reconciliation',
  '/messages',
  '/review/daily',
  '/tiles',
  '/corrections',
] as const;
export type BenchPage = (typeof PAGES)[number];

type Windows = { '24h': number | null; '7d': number | null; '90d': number | null };

export interface BenchFigures {
  messages: number;
  ingest: { apiPerSec: number | null; copyIndexedPerSec: number | null; copyBarePerSec: number | null };
  /** /api/v1/kpis, 95th percentile of the timed calls. */
  kpiP95Ms: Windows;
  /** The same KPIs by plain SQL over the raw log, median of the baseline calls. */
  plainSqlMs: Windows;
  /** Server render of each page as a signed-in manager, default range: p95 of 20 after 3 warm-ups. */
  pagesP95Ms: Record<BenchPage, number | null>;
  rollupRebuildS: number | null;
  /** One GROUP BY of the whole log into hourly cells. */
  groupByS: number | null;
  /** Positions per side, the reconciliation's median seconds, a bare FULL OUTER JOIN's median seconds. */
  reconcile: { rows: number | null; s: number | null; bareJoinS: number | null };
  /** Dropping a month of the log, and the DELETE statements the retention run sent (scripts/bench/retention.ts). */
  retention: { dropS: number | null; deleteStatements: number | null };
  /** EDIDS rows read per second by the SAP IDoc import through the API. */
  imports: { rowsPerSec: number | null };
  /** One evaluation of every alert rule (scripts/bench/alerts.ts). */
  alerts: { evalS: number | null };
  /** The server's peak RSS over the whole run. */
  rssMb: number | null;
}

const windows = (): Windows => ({ '24h': null, '7d': null, '90d': null });

export function emptyFigures(messages: number): BenchFigures {
  return {
    messages,
    ingest: { apiPerSec: null, copyIndexedPerSec: null, copyBarePerSec: null },
    kpiP95Ms: windows(),
    plainSqlMs: windows(),
    pagesP95Ms: Object.fromEntries(PAGES.map((p) => [p, null])) as Record<BenchPage, number | null>,
    rollupRebuildS: null,
    groupByS: null,
    reconcile: { rows: null, s: null, bareJoinS: null },
    retention: { dropS: null, deleteStatements: null },
    imports: { rowsPerSec: null },
    alerts: { evalS: null },
    rssMb: null,
  };
}

/** A figure as the JSON gives it: rates whole, times to a tenth of a millisecond or a thousandth of a second. */
export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
