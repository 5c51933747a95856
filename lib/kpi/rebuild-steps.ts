/**
 * The steps of a rollup rebuild (lib/kpi/rebuild.ts runs them as a job): plan, each day, weeks,
 * exception counts. Each runs in a transaction of its own under the ingest's batch lock and
 * commits its cursor and counts with its work.
 */
import { sql, type SQL } from 'drizzle-orm';
import { isoText, rows, type Executor, type Tx } from '@/db';
import { INGEST_LOCK } from '@/db/locks';
import { REPEATS_WITHIN_24H } from '@/lib/detect/duplicates';
import { BUCKET_SQL } from '@/lib/kpi/delay-sketch';
import type { RebuildProgress } from '@/lib/kpi/rebuild';

const DAY_MS = 86_400_000;

/** Commits the cursor and counts with the work of a step. */
async function save(tx: Executor, id: number, p: RebuildProgress, progress: number) {
  await tx.execute(
    sql`update jobs set result = ${JSON.stringify(p)}::jsonb, progress = ${progress}, heartbeat_at = now() where id =
      ${id}`,
  );
}

/**
 * Each step holds the ingest lock. It also turns JIT back on for its own transaction (the app's
 * connections run without it): a day's grouping of the whole log is what JIT pays for, and at ten
 * million messages the rebuild took 224 s with it against 239–276 s without.
 */
const lockIngest = (tx: Tx) =>
  tx.execute(sql`select pg_advisory_xact_lock(${INGEST_LOCK}), set_config('jit', 'on', true)`);

/**
 * Replaces the rows a `delete … returning k, v` removes by those an `insert … returning k, v` adds
 * (k: the row's key as text, v: its counts as text), and counts the keys whose rows differ: wrong,
 * missing or extra. A row whose counts are all zero (left behind when deltas cancel out) has a null
 * v and counts as absent.
 */
async function replaceRows(tx: Tx, remove: SQL, add: SQL): Promise<number> {
  const before = new Map<string, string>();
  for (const { k, v } of await rows<{ k: string; v: string | null }>(tx, remove)) if (v !== null) before.set(k, v);
  let differ = 0;
  for (const { k, v } of await rows<{ k: string; v: string | null }>(tx, add)) {
    if (v === null) continue;
    if (before.get(k) !== v) differ++;
    before.delete(k);
  }
  return differ + before.size;
}

const ROLLUP_COLUMNS = sql.raw(
  'bucket, facility, tx_type, direction, messages, failed, dead_letter, retrying, first_pass_failed, delivered, delay_sum_us, duplicates',
);
const ROLLUP_ROW = sql.raw(
  `concat_ws('|', (extract(epoch from bucket) * 1000000)::bigint, facility, tx_type, direction) as k,
   case when messages = 0 and failed = 0 and dead_letter = 0 and retrying = 0 and first_pass_failed = 0 and delivered =
     0 and delay_sum_us = 0 and duplicates = 0 then null
   else concat_ws('|', messages, failed, dead_letter, retrying, first_pass_failed, delivered,
     delay_sum_us::numeric(30,0), duplicates) end as v`,
);
const SKETCH_ROW = sql.raw(
  `concat_ws('|', grain, tx_type, (extract(epoch from bucket) * 1000000)::bigint, facility, direction) as k,
   case when cardinality(delay_idx) = 0 then null else delay_idx::text || delay_n::text end as v`,
);
const DELAY_MS = '(extract(epoch from processed_at - created_at) * 1000)::float8';

/**
 * Deletes the hourly and daily rollup rows and the hour and day sketches whose bucket matches `where`; counts the
 * non-empty ones.
 */
async function removeBuckets(tx: Tx, where: SQL): Promise<number> {
  const none = sql`select null::text as k, null::text as v where false`;
  let removed = 0;
  for (const table of ['message_rollup_hourly', 'message_rollup_daily']) {
    removed += await replaceRows(tx, sql`delete from ${sql.raw(table)} where ${where} returning ${ROLLUP_ROW}`, none);
  }
  return (
    removed +
    (await replaceRows(
      tx,
      sql`delete from delay_sketches where grain <> 'week' and ${where} returning ${SKETCH_ROW}`,
      none,
    ))
  );
}

/** The log's rollup rows of one time range, grouped at `unit` ('hour' or 'day'). */
function rollupSelect(unit: 'hour' | 'day', from: Date, to: Date) {
  return sql`select date_trunc(${unit}, created_at, 'UTC'), facility, tx_type, direction, count(*),
      count(*) filter (where status in ('failed', 'dead_letter')),
      count(*) filter (where status = 'dead_letter'),
      count(*) filter (where status = 'retrying'),
      count(*) filter (where status in ('failed', 'dead_letter') or attempts > 1),
      count(*) filter (where status = 'delivered' and processed_at is not null),
      coalesce(sum((extract(epoch from processed_at - created_at) * 1000000)::bigint) filter (where status = 'delivered'
        and processed_at is not null), 0),
      count(*) filter (where is_duplicate)
    from integration_messages where created_at >= ${from.toISOString()}::timestamptz and created_at <
      ${to.toISOString()}::timestamptz
    group by 1, 2, 3, 4`;
}

/** Step 1: the days to rebuild; rows of the rollups and sketches outside them go. */
export async function plan(tx: Tx, id: number, p: RebuildProgress): Promise<RebuildProgress> {
  await lockIngest(tx);
  const [span] = await rows<{ first: string | null; last: string | null }>(
    tx,
    sql`select ${isoText("date_trunc('day', min(created_at), 'UTC')")} as first,
      ${isoText("date_trunc('day', max(created_at), 'UTC')")} as last from integration_messages`,
  );
  // With an empty log every row goes; otherwise those before the first day or after the last one.
  // Week sketches are all summed again from the days in step 3.
  const outside = span.first
    ? sql`(bucket < ${span.first}::timestamptz or bucket >=
      ${new Date(Date.parse(span.last!) + DAY_MS).toISOString()}::timestamptz)`
    : sql`true`;
  const removed = await removeBuckets(tx, outside);
  const days = span.first && span.last ? Math.round((Date.parse(span.last) - Date.parse(span.first)) / DAY_MS) + 1 : 0;
  const next: RebuildProgress = {
    ...p,
    stage: days ? 'days' : 'weeks',
    firstDay: span.first,
    lastDay: span.last,
    nextDay: span.first,
    days,
    daysDone: 0,
    rowsFixed: p.rowsFixed + removed,
  };
  await save(tx, id, next, 0.02);
  return next;
}

/** Step 2, one day: duplicate flags, then the day's hourly and daily rollups and hour and day sketches. */
export async function rebuildDay(tx: Tx, id: number, p: RebuildProgress): Promise<RebuildProgress> {
  await lockIngest(tx);
  const from = new Date(p.nextDay!);
  const to = new Date(from.getTime() + DAY_MS);
  const look = new Date(from.getTime() - DAY_MS);
  // SPEC 4: a delivered message repeats the delivered one of the same content just before it (by
  // createdAt, then messageId) when that one was created at most 24 h earlier; the one before may
  // lie in the day before. The same window as the ingest's refreshDuplicates.
  const flipped = await rows<{ n: number }>(
    tx,
    sql`with g as (
          select m.message_id, m.created_at, m.is_duplicate,
            coalesce(m.correlation_key is not null and m.status = 'delivered' and ${REPEATS_WITHIN_24H}, false) as dup
          from integration_messages m
          where m.created_at >= ${look.toISOString()}::timestamptz and m.created_at < ${to.toISOString()}::timestamptz
        ), f as (
          update integration_messages t set is_duplicate = g.dup from g
          where g.created_at >= ${from.toISOString()}::timestamptz and g.is_duplicate <> g.dup and t.message_id =
            g.message_id
          returning 1
        )
        select count(*)::int as n from f`,
  );
  let differ = 0;
  for (const [table, unit] of [
    ['message_rollup_hourly', 'hour'],
    ['message_rollup_daily', 'day'],
  ] as const) {
    const t = sql.raw(table);
    differ += await replaceRows(
      tx,
      sql`delete from ${t} where bucket >= ${from.toISOString()}::timestamptz and bucket <
        ${to.toISOString()}::timestamptz returning ${ROLLUP_ROW}`,
      sql`insert into ${t} (${ROLLUP_COLUMNS}) ${rollupSelect(unit, from, to)} returning ${ROLLUP_ROW}`,
    );
  }
  // Hour and day sketches per cell and per facility ('*'), with the SQL twin of the ingest's bucket function.
  differ += await replaceRows(
    tx,
    sql`delete from delay_sketches where grain in ('hour', 'day') and bucket >= ${from.toISOString()}::timestamptz and
      bucket < ${to.toISOString()}::timestamptz
        returning ${SKETCH_ROW}`,
    sql`insert into delay_sketches (grain, tx_type, bucket, facility, direction, delay_idx, delay_n)
        with base as (
          select date_trunc('hour', created_at, 'UTC') as hour, facility, tx_type, direction,
            ${sql.raw(BUCKET_SQL(DELAY_MS))} as idx, count(*) as n
          from integration_messages
          where created_at >= ${from.toISOString()}::timestamptz and created_at < ${to.toISOString()}::timestamptz and
            status = 'delivered' and processed_at is not null
          group by 1, 2, 3, 4, 5
        ), grains as (
          select 'hour' as grain, hour as bucket, facility, tx_type, direction, idx, n from base
          union all select 'day', date_trunc('day', hour, 'UTC'), facility, tx_type, direction, idx, n from base
        ), levels as (
          select grain, tx_type, bucket, facility, direction, idx, n from grains
          union all select grain, '*', bucket, facility, '*', idx, n from grains
        )
        select grain, tx_type, bucket, facility, direction, array_agg(idx order by idx), array_agg(n order by idx)
        from (select grain, tx_type, bucket, facility, direction, idx, sum(n)::bigint as n from levels group by 1, 2, 3,
          4, 5, 6) s
        group by 1, 2, 3, 4, 5
        returning ${SKETCH_ROW}`,
  );
  // The next day with messages (from the created_at index); the rows of the empty days before it go,
  // so a log with a stray message years back does not cost a transaction per empty day.
  const end = Date.parse(p.lastDay!) + DAY_MS;
  const [after] = await rows<{ day: string | null }>(
    tx,
    sql`select ${isoText("date_trunc('day', min(created_at), 'UTC')")} as day from integration_messages where created_at
      >= ${to.toISOString()}::timestamptz`,
  );
  const nextMs = after.day && Date.parse(after.day) < end ? Date.parse(after.day) : end;
  if (nextMs > to.getTime()) {
    differ += await removeBuckets(
      tx,
      sql`(bucket >= ${to.toISOString()}::timestamptz and bucket < ${new Date(nextMs).toISOString()}::timestamptz)`,
    );
  }
  const daysDone = Math.round((nextMs - Date.parse(p.firstDay!)) / DAY_MS);
  const next: RebuildProgress = {
    ...p,
    stage: nextMs >= end ? 'weeks' : 'days',
    nextDay: new Date(nextMs).toISOString(),
    daysDone,
    daysRebuilt: p.daysRebuilt + 1,
    duplicateFlagsFixed: p.duplicateFlagsFixed + flipped[0].n,
    rowsFixed: p.rowsFixed + differ,
  };
  await save(tx, id, next, 0.02 + 0.93 * (daysDone / p.days));
  return next;
}

/** Step 3: week sketches, the sum of their days' sketches. */
export async function rebuildWeeks(tx: Tx, id: number, p: RebuildProgress): Promise<RebuildProgress> {
  await lockIngest(tx);
  const differ = await replaceRows(
    tx,
    sql`delete from delay_sketches where grain = 'week' returning ${SKETCH_ROW}`,
    sql`insert into delay_sketches (grain, tx_type, bucket, facility, direction, delay_idx, delay_n)
        select 'week', tx_type, week, facility, direction, array_agg(idx order by idx), array_agg(n order by idx)
        from (
          select s.tx_type, date_trunc('week', s.bucket, 'UTC') as week, s.facility, s.direction, u.idx,
            sum(u.n)::bigint as n
          from delay_sketches s cross join lateral unnest(s.delay_idx, s.delay_n) as u(idx, n)
          where s.grain = 'day'
          group by 1, 2, 3, 4, 5
          having sum(u.n) <> 0
        ) w
        group by 2, 3, 4, 5
        returning ${SKETCH_ROW}`,
  );
  const next: RebuildProgress = { ...p, stage: 'exceptions', rowsFixed: p.rowsFixed + differ };
  await save(tx, id, next, 0.97);
  return next;
}

/** Step 4: the exception counts (kept by triggers on `exceptions`), from the exceptions; writers wait meanwhile. */
export async function rebuildExceptionCounts(tx: Tx, id: number, p: RebuildProgress): Promise<RebuildProgress> {
  await lockIngest(tx);
  await tx.execute(sql`lock table exceptions in share mode`);
  let differ = 0;
  for (const [table, unit] of [
    ['exception_rollup_hourly', 'hour'],
    ['exception_rollup_daily', 'day'],
  ] as const) {
    const row = sql.raw(
      `concat_ws('|', (extract(epoch from bucket) * 1000000)::bigint, facility, tx_type, root_cause) as k,
        nullif(opened, 0)::text as v`,
    );
    differ += await replaceRows(
      tx,
      sql`delete from ${sql.raw(table)} returning ${row}`,
      sql`insert into ${sql.raw(table)} (bucket, facility, tx_type, root_cause, opened)
          select date_trunc(${unit}, opened_at, 'UTC'), facility, tx_type, root_cause, count(*) from exceptions group by
            1, 2, 3, 4
          returning ${row}`,
    );
  }
  const row = sql.raw(`concat_ws('|', facility, tx_type) as k, nullif(n, 0)::text as v`);
  differ += await replaceRows(
    tx,
    sql`delete from open_exception_counts returning ${row}`,
    sql`insert into open_exception_counts (facility, tx_type, n)
        select facility, tx_type, count(*) from exceptions where state in ('open', 'acknowledged') group by 1, 2
        returning ${row}`,
  );
  const next: RebuildProgress = { ...p, stage: 'done', rowsFixed: p.rowsFixed + differ };
  await tx.execute(
    sql`update jobs set status = 'succeeded', progress = 1, finished_at = now(), heartbeat_at = now(), result =
      ${JSON.stringify(next)}::jsonb where id = ${id}`,
  );
  return next;
}
