/**
 * The daily exception review (SPEC 6): for one UTC day and optionally one facility, the checks a
 * team walks through in its morning meeting. Every figure comes from the exception table (open now,
 * opened that day), the hourly rollups (a whole day is whole hours) and the KPI engine, never from
 * a scan of the message log.
 */
import 'server-only';
import { sql } from 'drizzle-orm';
import { andFacility, inWindow, rows, type Executor } from '@/db';
import { ROOT_CAUSES } from '@/db/schema';
import { computeKpis, type Kpis } from '@/lib/kpi/kpis';
import { thresholdsFor, toneOf, type Tone } from '@/lib/kpi/thresholds';
import { TILE_DEFS } from '@/lib/kpi/tiles';
import type { ValueFormat } from '@/lib/format';
import { messagesWithKept } from '@/lib/retention/kept';
import { DAY_MS } from '@/lib/time';

/** What the checks of a review read: its window and facility. */
export interface ReviewScope {
  from: Date;
  to: Date;
  facility: string | null;
}

/** Ages of open exceptions, youngest first: [label, lower bound in hours, upper bound or null]. */
export const AGE_BUCKETS = [
  ['under 1 h', 0, 1],
  ['1–24 h', 1, 24],
  ['1–3 days', 24, 72],
  ['3–7 days', 72, 168],
  ['over 7 days', 168, null],
] as const;

export interface OpenByAge {
  txType: string;
  /** Counts per AGE_BUCKETS entry. */
  ages: number[];
  total: number;
}

/** Open exceptions (not resolved, not ignored) now, per transaction type and age. */
export async function openExceptionsByAge(
  db: Executor,
  facility: string | null,
  now = new Date(),
): Promise<OpenByAge[]> {
  const fac = andFacility('facility', facility);
  // The youngest bucket has no lower bound: an exception opened "in the future" (a sender's clock
  // ahead of ours) still counts somewhere, so the buckets add up to the total.
  const cols = AGE_BUCKETS.map(([, lo, hi], i) => {
    const lower =
      lo === 0 ? sql`true` : sql`opened_at <= ${now.toISOString()}::timestamptz - make_interval(hours => ${lo})`;
    const upper =
      hi === null ? sql`` : sql` and opened_at > ${now.toISOString()}::timestamptz - make_interval(hours => ${hi})`;
    return sql`count(*) filter (where ${lower}${upper})::int as ${sql.raw(`a${i}`)}`;
  });
  const r = await rows<Record<string, number | string>>(
    db,
    sql`select tx_type as "txType", ${sql.join(cols, sql`, `)}, count(*)::int as total
        from exceptions where state in ('open','acknowledged') ${fac}
        group by tx_type order by total desc, tx_type`,
  );
  return r.map((x) => ({
    txType: String(x.txType),
    ages: AGE_BUCKETS.map((_, i) => Number(x[`a${i}`])),
    total: Number(x.total),
  }));
}

/** Counts per root cause (ROOT_CAUSES order) of one row of a pivot, with their total and how many are open. */
export interface CauseCounts {
  byCause: number[];
  total: number;
  open: number;
}

/**
 * Exceptions opened in the window counted per `group` (a column of `exceptions`) and root cause,
 * the largest group first. A category the rules no longer name counts as unclassified.
 */
export async function exceptionsByCause(
  db: Executor,
  p: ReviewScope,
  group: 'tx_type' | 'facility' | 'customer',
): Promise<({ key: string } & CauseCounts)[]> {
  const fac = andFacility('e.facility', p.facility);
  // A customer is on the message, not the exception: each exception's message is read by its key.
  const key = group === 'customer' ? sql`m.customer` : sql.raw(`e.${group}`);
  const join =
    group === 'customer'
      ? sql`join ${messagesWithKept} m on m.message_id = e.message_id and m.customer is not null`
      : sql``;
  const r = await rows<{ key: string; rootCause: string; n: number; open: number }>(
    db,
    sql`select ${key} as key, e.root_cause as "rootCause", count(*)::int as n,
          count(*) filter (where e.state in ('open','acknowledged'))::int as open
        from exceptions e ${join}
        where ${inWindow('e.opened_at', p)} ${fac}
        group by 1, 2`,
  );
  const by = new Map<string, { key: string } & CauseCounts>();
  for (const x of r) {
    let t = by.get(x.key);
    if (!t) by.set(x.key, (t = { key: x.key, byCause: ROOT_CAUSES.map(() => 0), total: 0, open: 0 }));
    const i = (ROOT_CAUSES as readonly string[]).indexOf(x.rootCause);
    t.byCause[i < 0 ? ROOT_CAUSES.indexOf('unclassified') : i] += Number(x.n);
    t.total += Number(x.n);
    t.open += Number(x.open);
  }
  return [...by.values()].sort((a, b) => b.total - a.total || (a.key < b.key ? -1 : 1));
}

export interface FailuresOfDay extends CauseCounts {
  txType: string;
}

/** Exceptions opened during the day, per transaction type and root cause, and how many are still open. */
export async function failuresOfDay(db: Executor, p: ReviewScope): Promise<FailuresOfDay[]> {
  return (await exceptionsByCause(db, p, 'tx_type')).map(({ key, ...c }) => ({ txType: key, ...c }));
}

/** The flows the daily check compares between the two systems (SPEC 6). */
export const COMPARED_FLOWS = ['receipt', 'shipment', 'adjustment'] as const;

export interface Flow {
  txType: string;
  direction: string;
  /** Created that day by the sending system. */
  sent: number;
  /** Posted by the receiving system (delivered). */
  posted: number;
  /** Failed or dead-lettered. */
  failed: number;
  /** Neither yet: pending or retrying. */
  waiting: number;
  avgDelayMs: number | null;
}

/**
 * What one system sent in the window against what the other posted, failed or has not taken yet
 * (messages created in the window, in their current state), per transaction type and direction,
 * from the rollups: hourly ones by default, daily ones for windows of whole days. Named types get
 * a row even without traffic ("nothing sent" is worth seeing); otherwise the types with traffic,
 * busiest first.
 */
export async function flowsBetweenSystems(
  db: Executor,
  p: ReviewScope,
  opts: { txTypes?: readonly string[]; grain?: 'hourly' | 'daily' } = {},
): Promise<Flow[]> {
  const fac = andFacility('facility', p.facility);
  const types = opts.txTypes
    ? sql`and tx_type in (${sql.join(
        opts.txTypes.map((t) => sql`${t}`),
        sql`, `,
      )})`
    : sql``;
  const r = await rows<{
    txType: string;
    direction: string;
    sent: string;
    posted: string;
    failed: string;
    delaySumUs: string;
  }>(
    db,
    sql`select tx_type as "txType", direction, sum(messages)::text as sent, sum(delivered)::text as posted,
      sum(failed)::text as failed,
          sum(delay_sum_us)::text as "delaySumUs"
        from ${sql.raw(`message_rollup_${opts.grain ?? 'hourly'}`)}
        where ${inWindow('bucket', p)} ${types} ${fac}
        group by 1, 2`,
  );
  const flow = (txType: string, direction: string, x?: (typeof r)[number]): Flow => {
    const sent = Number(x?.sent ?? 0);
    const posted = Number(x?.posted ?? 0);
    const failed = Number(x?.failed ?? 0);
    return {
      txType,
      direction,
      sent,
      posted,
      failed,
      waiting: sent - posted - failed,
      avgDelayMs: posted ? Number(x!.delaySumUs) / posted / 1000 : null,
    };
  };
  if (!opts.txTypes) {
    return r
      .map((x) => flow(x.txType, x.direction, x))
      .filter((f) => f.sent !== 0)
      .sort(
        (a, b) =>
          b.sent - a.sent ||
          (a.txType < b.txType ? -1 : a.txType > b.txType ? 1 : 0) ||
          (a.direction < b.direction ? -1 : 1),
      );
  }
  const out: Flow[] = [];
  for (const txType of opts.txTypes) {
    const mine = r.filter((x) => x.txType === txType).sort((a, b) => (a.direction < b.direction ? 1 : -1));
    if (mine.length) out.push(...mine.map((x) => flow(txType, x.direction, x)));
    else out.push(flow(txType, 'wms_to_erp'));
  }
  return out;
}

/** Receipts, shipments and adjustments of the day between the two systems (SPEC 6, daily). */
export const comparedFlows = (db: Executor, p: ReviewScope) => flowsBetweenSystems(db, p, { txTypes: COMPARED_FLOWS });

export interface KpiCheck {
  key: string;
  label: string;
  format: ValueFormat;
  value: number | null;
  /**
   * The normal band from the seven days before (days without a value left out): their mean ± two
   * standard deviations, never below 0. Null with fewer than two such days.
   */
  low: number | null;
  high: number | null;
  tone: Tone;
  /** Where the day's value lies against the normal band; null without a band or a value. */
  band: 'below' | 'within' | 'above' | null;
  /** Needs a look in the meeting: outside its band, or amber or red against its threshold. */
  flagged: boolean;
}

/** Mean ± two sample standard deviations of `past`, floored at 0; nulls with fewer than two values. */
export function normalBand(past: number[]): { low: number | null; high: number | null } {
  if (past.length < 2) return { low: null, high: null };
  const mean = past.reduce((a, v) => a + v, 0) / past.length;
  const sd = Math.sqrt(past.reduce((a, v) => a + (v - mean) ** 2, 0) / (past.length - 1));
  return { low: Math.max(0, mean - 2 * sd), high: mean + 2 * sd };
}

/**
 * The window KPIs of the day against their thresholds and against the normal band of the seven
 * days before: "KPIs moving outside their normal band".
 */
export async function kpiChecks(db: Executor, p: ReviewScope): Promise<KpiCheck[]> {
  const days = Array.from({ length: 8 }, (_, i) => ({
    from: new Date(p.from.getTime() - i * DAY_MS),
    to: new Date(p.to.getTime() - i * DAY_MS),
  }));
  const [thresholds, ...all] = await Promise.all([
    thresholdsFor(db, p.facility),
    ...days.map((d) => computeKpis(db, { ...d, facility: p.facility })),
  ]);
  const [today, ...before] = all as Kpis[];
  return TILE_DEFS.filter((d) => !d.now && !d.money).map((d) => {
    const value = d.pick(today);
    const { low, high } = normalBand(before.map(d.pick).filter((v): v is number => v !== null));
    const tone = toneOf(value, thresholds[d.key]);
    const band =
      value === null || low === null || high === null
        ? null
        : value < low
          ? 'below'
          : value > high
            ? 'above'
            : 'within';
    const flagged = band === 'below' || band === 'above' || tone === 'warn' || tone === 'bad';
    return { key: d.key, label: d.label, format: d.format, value, low, high, tone, band, flagged };
  });
}
