import 'server-only';
import type { Executor } from '@/db';
import type { Role } from '@/db/schema';
import { can } from '@/lib/auth/permissions';
import { previousPeriod, scopeQuery, type PageScope } from '@/lib/filters';
import { formatAge, type ValueFormat } from '@/lib/format';
import { tileChange, type TileChange } from '@/lib/kpi/change';
import { computeKpis, windowMessageSums, type Kpis, type RollupSums } from '@/lib/kpi/kpis';
import { correctionSeries, kpiSeries, p95Series, type SeriesPoint } from '@/lib/kpi/series';
import { thresholdsFor, toneOf, type Tone } from '@/lib/kpi/thresholds';

export interface Tile {
  key: string;
  label: string;
  hint: string;
  value: number | null;
  previous: number | null;
  format: ValueFormat;
  tone: Tone;
  /** The list behind the number, or null where that list is not built yet or not open to the role. */
  href: string | null;
  spark: number[] | null;
  /** Against the previous period, by the one rule of lib/kpi/change; null where there is nothing to compare. */
  change: TileChange | null;
  /** A second line, e.g. the oldest open exception's age. */
  note?: string;
}

interface TileDef {
  key: string;
  label: string;
  hint: string;
  format: ValueFormat;
  pick: (k: Kpis) => number | null;
  spark?: (s: Sparks) => number[];
  href: (q: string, role: Role) => string | null;
  money?: boolean;
  /** Not a function of the window (open now, latest reconciliation): no change against the previous period. */
  now?: string;
  /**
   * What the value rests on, for the change rule: the window's messages (rates), its delivered
   * messages (delays), or, left out, the count itself.
   */
  basis?: 'messages' | 'delivered';
}

/** What the sparklines are drawn from: message rollups, delay sketches and corrections, per bucket of the window. */
interface Sparks {
  points: SeriesPoint[];
  p95: Map<string, number | null>;
  corrections: { t: string; corrections: number; pairs: number; effortMinutes: number }[];
}

const rate = (n: number, d: number) => (d ? n / d : 0);
/** A sparkline over the message rollup buckets; a bucket without a value draws as 0. */
const perPoint = (f: (p: SeriesPoint) => number | null) => (s: Sparks) => s.points.map((p) => f(p) ?? 0);

/** Reconciliation is not windowed (latest run per facility): only the facility carries over. */
const facilityOnly = (q: string) =>
  new URLSearchParams(q).get('facility')
    ? `facility=${encodeURIComponent(new URLSearchParams(q).get('facility')!)}`
    : '';

export const TILE_DEFS: TileDef[] = [
  {
    key: 'messages',
    label: 'Messages',
    hint: 'Messages created in the window, every type and status.',
    format: 'count',
    pick: (k) => k.messages,
    spark: perPoint((p) => p.messages),
    href: (q, role) => (can(role, 'payloads.read') ? `/messages?${q}` : null),
  },
  {
    key: 'failedMessageRate',
    label: 'Failed message rate',
    hint: 'Share of the window’s messages now failed or dead-lettered.',
    format: 'percent',
    basis: 'messages',
    pick: (k) => k.failedMessageRate,
    spark: perPoint((p) => rate(p.failed, p.messages)),
    href: (q) => `/exceptions?${q}&state=open`,
  },
  {
    key: 'firstPassFailureRate',
    label: 'First-pass failure rate',
    hint: 'Share of messages that needed a retry or failed.',
    format: 'percent',
    basis: 'messages',
    pick: (k) => k.firstPassFailureRate,
    spark: perPoint((p) => rate(p.firstPassFailed, p.messages)),
    href: (q) => `/exceptions?${q}&state=all`,
  },
  {
    key: 'avgProcessingDelayMs',
    label: 'Avg processing delay',
    hint: 'Mean time from created to processed over delivered messages.',
    format: 'duration',
    basis: 'delivered',
    pick: (k) => k.avgProcessingDelayMs,
    spark: perPoint((p) => (p.delivered ? p.delaySumMs / p.delivered : null)),
    href: (q, role) => (can(role, 'payloads.read') ? `/messages?${q}&status=delivered` : null),
  },
  {
    key: 'p95ProcessingDelayMs',
    label: 'p95 processing delay',
    hint: '95th percentile of processing delay (continuous), within 1%.',
    format: 'duration',
    basis: 'delivered',
    pick: (k) => k.p95ProcessingDelayMs,
    spark: (s) => s.points.map((p) => s.p95.get(p.t) ?? 0),
    href: (q, role) => (can(role, 'payloads.read') ? `/messages?${q}&status=delivered` : null),
  },
  {
    key: 'openExceptions',
    label: 'Open exceptions',
    hint: 'Exceptions not resolved or ignored, right now (window does not apply).',
    format: 'count',
    pick: (k) => k.openExceptions,
    now: 'open now',
    href: (q) => `/exceptions?${q.replace(/(^|&)(range|from|to)=[^&]*/g, '')}&state=open&sort=age`,
  },
  {
    key: 'duplicateCount',
    label: 'Duplicate postings',
    hint: 'Delivered messages repeating an earlier delivered one within 24 h.',
    format: 'count',
    pick: (k) => k.duplicateCount,
    spark: perPoint((p) => p.duplicates),
    href: (q, role) => (can(role, 'payloads.read') ? `/messages?${q}&duplicates=1` : null),
  },
  {
    key: 'manualCorrections',
    label: 'Manual corrections',
    hint: 'Corrections keyed by people in either system in the window.',
    format: 'count',
    pick: (k) => k.manualCorrections.total,
    spark: (s) => s.corrections.map((c) => c.corrections),
    href: (q, role) => (can(role, 'corrections.read') ? `/corrections?${q}` : null),
  },
  {
    key: 'duplicateManualCorrections',
    label: 'Corrections keyed twice',
    hint: 'The same fix keyed in ERP and WMS within 24 h.',
    format: 'count',
    pick: (k) => k.duplicateManualCorrections,
    spark: (s) => s.corrections.map((c) => c.pairs),
    href: (q, role) => (can(role, 'corrections.read') ? `/corrections?${q}` : null),
  },
  {
    key: 'reconciliationMinutes',
    label: 'Reconciliation effort',
    hint: 'Minutes recorded on exceptions resolved and corrections made in the window.',
    format: 'minutes',
    pick: (k) => k.reconciliationMinutes,
    spark: (s) => s.corrections.map((c) => c.effortMinutes),
    href: (q) => `/exceptions?${q}&state=resolved`,
  },
  {
    key: 'mismatches',
    label: 'Stock mismatches',
    hint: 'Differences in the latest reconciliation of each facility.',
    format: 'count',
    pick: (k) => k.mismatches,
    now: 'latest reconciliation of each facility',
    href: (q, role) => (can(role, 'reconciliation.read') ? `/reconciliation?${facilityOnly(q)}&sort=kind` : null),
  },
  {
    key: 'mismatchValue',
    label: 'Value at risk',
    hint: 'Absolute differences × ERP unit cost, latest reconciliation.',
    format: 'money',
    pick: (k) => k.mismatchValue,
    now: 'latest reconciliation of each facility',
    href: (q, role) => (can(role, 'reconciliation.read') ? `/reconciliation?${facilityOnly(q)}&sort=value` : null),
    money: true,
  },
];

export async function loadTiles(db: Executor, scope: PageScope, role: Role): Promise<{ tiles: Tile[]; kpis: Kpis }> {
  const prev = previousPeriod(scope);
  const [kpis, before, series, p95, corrections, thresholds, sums, sumsBefore] = await Promise.all([
    computeKpis(db, scope),
    computeKpis(db, { ...scope, ...prev }),
    kpiSeries(db, scope),
    p95Series(db, scope),
    correctionSeries(db, scope),
    thresholdsFor(db, scope.facility),
    windowMessageSums(db, scope),
    windowMessageSums(db, { ...scope, ...prev }),
  ]);
  const sparks: Sparks = { points: series.points, p95, corrections };
  const q = scopeQuery(scope);
  const tiles = TILE_DEFS.filter((d) => !d.money || can(role, 'money.read')).map((d): Tile => {
    const value = d.pick(kpis);
    const previous = d.now ? null : d.pick(before);
    const basis = (k: Kpis, sum: RollupSums) => (d.basis ? sum[d.basis] : (d.pick(k) ?? 0));
    return {
      key: d.key,
      label: d.label,
      hint: d.hint,
      value,
      previous,
      change: tileChange(value, previous, { now: basis(kpis, sums), before: basis(before, sumsBefore) }),
      format: d.format,
      tone: toneOf(value, thresholds[d.key]),
      href: d.href(q, role)?.replace('?&', '?') ?? null,
      spark: d.spark ? d.spark(sparks) : null,
      note:
        d.key === 'openExceptions' && kpis.oldestOpenException
          ? `oldest open for ${formatAge(kpis.oldestOpenException.ageSeconds)} (${kpis.oldestOpenException.messageId})`
          : d.now,
    };
  });
  return { tiles, kpis };
}
