/**
 * The KPIs of SPEC section 4. Message KPIs read rollups for whole days and hours and the raw log
 * only for the partial hours at the window's edges, so any window costs about the same.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '@/db';
import { ROOT_CAUSES, type MessageStatus } from '@/db/schema';
import { BUCKET_SQL, percentileFromSketch } from '@/lib/kpi/delay-sketch';
import { splitDays, splitWindow } from '@/lib/kpi/window';
import { boundsUs, filters, inWindow, rangeOr, rows } from '@/lib/kpi/kpi-sql';
import { correctionKpis, reconciliationKpis } from '@/lib/kpi/stock-kpis';
import { messagesHorizon } from '@/lib/retention/horizon';
import { HOUR_US, microsToIso } from '@/lib/time';

export interface KpiScope {
  from: Date;
  to: Date;
  /** The bounds to the microsecond, when they are finer than `from` and `to` (a Date holds milliseconds). */
  fromUs?: number;
  toUs?: number;
  facility?: string | null;
  txType?: string | null;
}

export interface Kpis {
  from: string;
  to: string;
  facility: string | null;
  txType: string | null;
  messages: number;
  failedMessageRate: number;
  firstPassFailureRate: number;
  avgProcessingDelayMs: number | null;
  p95ProcessingDelayMs: number | null;
  duplicateCount: number;
  openExceptions: number;
  oldestOpenException: { id: number; messageId: string; openedAt: string; ageSeconds: number } | null;
  manualCorrections: { total: number; erp: number; wms: number };
  duplicateManualCorrections: number;
  mismatches: number;
  mismatchesBySource: Record<string, number>;
  mismatchValue: number;
  reconciliationMinutes: number;
  exceptionsByRootCause: Record<string, number>;
}

/** Below this many delivered messages in the window, p95 is computed exactly from the raw log. */
export const EXACT_P95_LIMIT = 20_000;

/** The additive counters of a rollup cell (and of a window's sum of cells). */
export interface RollupSums {
  messages: number;
  /** failed or dead_letter; `deadLetter` of them dead_letter alone. */
  failed: number;
  deadLetter: number;
  retrying: number;
  firstPassFailed: number;
  delivered: number;
  delaySumUs: number;
  duplicates: number;
}

/** Every counter at zero: a new rollup cell, or a window's sums before any is added. */
export const emptySums = (): RollupSums => ({
  messages: 0,
  failed: 0,
  deadLetter: 0,
  retrying: 0,
  firstPassFailed: 0,
  delivered: 0,
  delaySumUs: 0,
  duplicates: 0,
});

async function messageSums(
  db: Executor,
  scope: KpiScope,
  parts: ReturnType<typeof splitWindow>,
): Promise<RollupSums & { sketch: Map<number, number> }> {
  const selects: SQL[] = [];
  const sketchSelects: SQL[] = [];
  for (const [table, ranges] of [
    ['message_rollup_hourly', parts.hourly],
    ['message_rollup_daily', parts.daily],
  ] as const) {
    if (!ranges.length) continue;
    selects.push(sql`select sum(messages)::float8 as messages, sum(failed)::float8 as failed, sum(dead_letter)::float8
      as dead_letter,
      sum(retrying)::float8 as retrying, sum(first_pass_failed)::float8 as fpf,
      sum(delivered)::float8 as delivered, sum(delay_sum_us)::text as delay, sum(duplicates)::float8 as duplicates
      from ${sql.raw(table)} where (${rangeOr('bucket', ranges)}) ${filters(scope)}`);
  }
  // The sketch of whole hours, days and weeks: per facility ('*') without a txType filter.
  const { weekly, daily } = splitDays(parts.daily);
  const grains = (
    [
      ['hour', parts.hourly],
      ['day', daily],
      ['week', weekly],
    ] as const
  ).filter(([, r]) => r.length);
  if (grains.length) {
    const fac = scope.facility ? sql`and facility = ${scope.facility}` : sql``;
    sketchSelects.push(sql`select idx, sum(n)::float8 as n from (
        select unnest(delay_idx) as idx, unnest(delay_n) as n from delay_sketches
        where tx_type = ${scope.txType ?? '*'} ${fac}
          and (${sql.join(
            grains.map(([g, r]) => sql`(grain = ${g} and (${rangeOr('bucket', r)}))`),
            sql` or `,
          )})
      ) as s group by idx`);
  }
  type Totals = {
    messages: number | null;
    failed: number | null;
    dead_letter: number | null;
    retrying: number | null;
    fpf: number | null;
    delivered: number | null;
    delay: string | null;
    duplicates: number | null;
  };
  // The partial hours at the window's edges are read once: a row per delay bucket of the delivered
  // messages (idx null for the others) with the sums, which also make that piece of the sketch.
  // The parts of whole hours outside the window (`minus`) are read the same way, and subtracted.
  const ms = 'extract(epoch from processed_at - created_at)::float8 * 1000';
  const rawQuery = (
    ranges: [number, number][],
  ) => sql`select case when status = 'delivered' then ${sql.raw(BUCKET_SQL(ms))} end as idx,
      count(*)::float8 as messages,
      count(*) filter (where status in ('failed','dead_letter'))::float8 as failed,
      count(*) filter (where status = 'dead_letter')::float8 as dead_letter,
      count(*) filter (where status = 'retrying')::float8 as retrying,
      count(*) filter (where status in ('failed','dead_letter') or attempts > 1)::float8 as fpf,
      count(*) filter (where status = 'delivered')::float8 as delivered,
      coalesce(sum(extract(epoch from processed_at - created_at) * 1000000) filter (where status = 'delivered'),
        0)::text as delay,
      count(*) filter (where is_duplicate)::float8 as duplicates
      from integration_messages where (${rangeOr('created_at', ranges)}) ${filters(scope)} group by 1`;
  const sums = emptySums();
  const sketch = new Map<number, number>();
  if (!selects.length && !parts.raw.length) return { ...sums, sketch };
  type RawRow = Totals & { idx: number | null };
  const [totals, plus, less, buckets] = await Promise.all([
    selects.length
      ? rows<Totals>(
          db,
          sql`select sum(messages)::float8 as messages, sum(failed)::float8 as failed, sum(dead_letter)::float8 as
            dead_letter,
            sum(retrying)::float8 as retrying, sum(fpf)::float8 as fpf, sum(delivered)::float8 as delivered,
            sum(delay::numeric)::text as delay, sum(duplicates)::float8 as duplicates
            from (${sql.join(selects, sql` union all `)}) as s(messages, failed, dead_letter, retrying, fpf, delivered,
              delay, duplicates)`,
        )
      : [],
    parts.raw.length ? rows<RawRow>(db, rawQuery(parts.raw)) : [],
    parts.minus.length ? rows<RawRow>(db, rawQuery(parts.minus)) : [],
    // Each piece of the sketch (whole hours, days and weeks) on a connection of its own, merged here.
    Promise.all(sketchSelects.map((q) => rows<{ idx: number; n: number }>(db, q))).then((parts) => parts.flat()),
  ]);
  const raw = [...plus.map((r) => ({ r, sign: 1 })), ...less.map((r) => ({ r, sign: -1 }))];
  // Delay sums stay exact: integers of microseconds, added as BigInt before the one division.
  let delayUs = 0n;
  for (const { r: t, sign } of [...totals.map((r) => ({ r, sign: 1 })), ...raw]) {
    sums.messages += sign * Number(t.messages ?? 0);
    sums.failed += sign * Number(t.failed ?? 0);
    sums.deadLetter += sign * Number(t.dead_letter ?? 0);
    sums.retrying += sign * Number(t.retrying ?? 0);
    sums.firstPassFailed += sign * Number(t.fpf ?? 0);
    sums.delivered += sign * Number(t.delivered ?? 0);
    delayUs += BigInt(sign) * BigInt((t.delay ?? '0').split('.')[0]);
    sums.duplicates += sign * Number(t.duplicates ?? 0);
  }
  sums.delaySumUs = Number(delayUs);
  for (const b of buckets) sketch.set(Number(b.idx), (sketch.get(Number(b.idx)) ?? 0) + Number(b.n));
  for (const { r, sign } of raw)
    if (r.idx !== null) sketch.set(Number(r.idx), (sketch.get(Number(r.idx)) ?? 0) + sign * Number(r.delivered));
  for (const [idx, n] of sketch) if (!(n > 0)) sketch.delete(idx);
  return { ...sums, sketch };
}

async function exactP95(db: Executor, scope: KpiScope): Promise<number | null> {
  const [r] = await rows<{ p95: number | null }>(
    db,
    sql`select percentile_cont(0.95) within group (order by extract(epoch from processed_at - created_at)::float8 *
      1000)::float8 as p95
        from integration_messages
        where ${inWindow('created_at', scope)}
          and status = 'delivered' ${filters(scope)}`,
  );
  return r?.p95 === null || r?.p95 === undefined ? null : Number(r.p95);
}

async function exceptionKpis(db: Executor, scope: KpiScope, parts: ReturnType<typeof splitWindow>) {
  // Open now: the counters the exceptions' triggers keep (migration 0004); the oldest: the tiny
  // partial index on open exceptions, first row in opened_at order.
  const [open] = await rows<{
    n: number;
    id: string | null;
    message_id: string | null;
    opened_at: string | null;
    age: number | null;
  }>(
    db,
    sql`select (select coalesce(sum(n), 0) from open_exception_counts where true ${filters(scope)})::float8 as n,
          o.id::text, o.message_id, to_char(o.opened_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as
            opened_at,
          floor(extract(epoch from now() - o.opened_at))::float8 as age
        from (select 1) one
        left join lateral (select id, message_id, opened_at from exceptions
          where state in ('open','acknowledged') ${filters(scope)} order by opened_at, id limit 1) o on true`,
  );
  // Opened in the window by root cause: daily and hourly counts, the exceptions themselves only
  // for the partial hours at the edges.
  const selects: SQL[] = [];
  for (const [table, ranges] of [
    ['exception_rollup_hourly', parts.hourly],
    ['exception_rollup_daily', parts.daily],
  ] as const) {
    if (ranges.length)
      selects.push(
        sql`select root_cause, opened as n from ${sql.raw(table)} where (${rangeOr('bucket', ranges)})
          ${filters(scope)}`,
      );
  }
  if (parts.raw.length)
    selects.push(
      sql`select root_cause, 1 as n from exceptions where (${rangeOr('opened_at', parts.raw)}) ${filters(scope)}`,
    );
  if (parts.minus.length)
    selects.push(
      sql`select root_cause, -1 as n from exceptions where (${rangeOr('opened_at', parts.minus)}) ${filters(scope)}`,
    );
  const byCause = selects.length
    ? await rows<{ root_cause: string; n: number }>(
        db,
        sql`select root_cause, sum(n)::float8 as n from (${sql.join(selects, sql` union all `)}) as c(root_cause, n)
          group by root_cause having sum(n) <> 0`,
      )
    : [];
  const exceptionsByRootCause: Record<string, number> = Object.fromEntries(ROOT_CAUSES.map((c) => [c, 0]));
  for (const r of byCause) exceptionsByRootCause[r.root_cause] = Number(r.n);
  return {
    openExceptions: Number(open?.n ?? 0),
    oldestOpenException:
      open?.id && open.message_id && open.opened_at
        ? {
            id: Number(open.id),
            messageId: open.message_id,
            openedAt: trimMicros(open.opened_at),
            ageSeconds: Math.max(0, Number(open.age)),
          }
        : null,
    exceptionsByRootCause,
  };
}

/** "…00.000000Z" → "…00.000Z"; keeps microseconds when there are any. */
function trimMicros(s: string) {
  return s.replace(/\.(\d{3})000Z$/, '.$1Z');
}

/**
 * How many of a window's messages have a status, from its sums: each status is one of the counters or what they leave.
 */
export function statusCount(sums: RollupSums, status: MessageStatus): number {
  switch (status) {
    case 'delivered':
      return sums.delivered;
    case 'dead_letter':
      return sums.deadLetter;
    case 'failed':
      return sums.failed - sums.deadLetter;
    case 'retrying':
      return sums.retrying;
    case 'pending':
      return sums.messages - sums.delivered - sums.failed - sums.retrying;
  }
}

/**
 * The window's message counts (all, delivered, duplicates…) from the rollups and the raw log at the
 * window's partial hours only: exact, and as cheap over 90 days as over one (the log explorer's
 * page count uses them).
 */
export async function windowMessageSums(db: Executor, scope: KpiScope): Promise<RollupSums> {
  const { fromUs, toUs } = boundsUs(scope);
  const { fromMs, toMs } = readableBounds(fromUs, toUs, await messagesHorizon(db));
  return messageSums(db, scope, splitWindow(fromMs, toMs));
}

/**
 * The window's bounds in milliseconds as the rollups and the raw log can answer them: a bound before
 * the raw-message horizon (retention dropped the raw rows there) moves to the start of its hour, read
 * whole from the rollups; `rawGone` says the window starts before the horizon.
 */
export function readableBounds(fromUs: number, toUs: number, horizon: Date | null) {
  const h = horizon?.getTime() ?? -Infinity;
  const hour = HOUR_US / 1000;
  const snap = (ms: number) => (ms < h ? Math.floor(ms / hour) * hour : ms);
  return { fromMs: snap(fromUs / 1000), toMs: snap(toUs / 1000), rawGone: fromUs / 1000 < h };
}

export async function computeKpis(db: Executor, scope: KpiScope, opts: { exactP95Limit?: number } = {}): Promise<Kpis> {
  const exactLimit = opts.exactP95Limit ?? EXACT_P95_LIMIT;
  const { fromUs, toUs } = boundsUs(scope);
  const { fromMs, toMs, rawGone } = readableBounds(fromUs, toUs, await messagesHorizon(db));
  // Milliseconds with a fraction where a bound is finer: the hours and days between are whole.
  const parts = splitWindow(fromMs, toMs);
  const [sums, exc, corr, rec] = await Promise.all([
    messageSums(db, scope, parts),
    exceptionKpis(db, scope, parts),
    correctionKpis(db, scope),
    reconciliationKpis(db, scope),
  ]);
  let p95: number | null = null;
  if (sums.delivered > 0) {
    // Exact from the raw log while it holds the whole window; from the sketches once retention dropped part of it.
    p95 =
      sums.delivered <= exactLimit && !rawGone ? await exactP95(db, scope) : percentileFromSketch(sums.sketch, 0.95);
  }
  const rate = (n: number) => (sums.messages ? n / sums.messages : 0);
  return {
    from: microsToIso(fromUs),
    to: microsToIso(toUs),
    facility: scope.facility ?? null,
    txType: scope.txType ?? null,
    messages: sums.messages,
    failedMessageRate: rate(sums.failed),
    firstPassFailureRate: rate(sums.firstPassFailed),
    avgProcessingDelayMs: sums.delivered ? sums.delaySumUs / sums.delivered / 1000 : null,
    p95ProcessingDelayMs: p95,
    duplicateCount: sums.duplicates,
    ...exc,
    ...corr,
    ...rec,
  };
}
