/**
 * The rollup rebuild job (SPEC 2: long work runs as a job whose state and progress live in Postgres).
 *
 * The ingest keeps the message rollups, the delay sketches and the duplicate flags current by
 * deltas, and triggers keep the exception counts. A rebuild recomputes all of them from the raw
 * rows, to repair them after a manual fix of the log or to prove that they hold:
 *
 *   1. plan: the days the log spans; rollup and sketch rows outside them are deleted;
 *   2. days, one transaction per UTC day with messages, oldest first: the duplicate flags of the
 *      day's messages (SPEC 4, looking 24 h back), then its hourly and daily rollups and its hour and
 *      day sketches; the rows of the empty days up to the next day with messages go;
 *   3. weeks: the week sketches, summed from the day sketches;
 *   4. exceptions: the exception counts, from the exceptions.
 *
 * Each step and day takes the ingest's batch lock, so a batch applies its deltas wholly before or
 * wholly after the rows it touches are recomputed: the ingest goes on during a rebuild and nothing
 * is counted twice or lost. Every step commits its cursor with its work, so a rebuild interrupted
 * by a restart resumes at the next day; a heartbeat tells a live worker from a dead one. The result
 * counts what was wrong: duplicate flags flipped and rollup, sketch and count rows that differed.
 */
import { sql, type SQL } from 'drizzle-orm';
import { isoText, pgErrorCode, rows, type Db, type Executor, type Tx } from '@/db';
import { INGEST_LOCK } from '@/db/locks';
import { REPEATS_WITHIN_24H } from '@/lib/detect/duplicates';
import { BUCKET_SQL } from '@/lib/kpi/delay-sketch';
import { AppError } from '@/lib/errors';

export const REBUILD_KIND = 'rollup_rebuild';
/** A running job whose heartbeat is older than this is taken to be dead (its server stopped). */
export const STALE_SECONDS = 60;
const MAX_ATTEMPTS = 3;
const DAY_MS = 86_400_000;

export interface RebuildProgress {
  stage: 'plan' | 'days' | 'weeks' | 'exceptions' | 'done';
  /** First and last UTC day of the log when planned (ISO), null for an empty log. */
  firstDay: string | null;
  lastDay: string | null;
  /** The next day to rebuild (ISO). */
  nextDay: string | null;
  /** Calendar days from the first to the last, and those behind the cursor. */
  days: number;
  daysDone: number;
  /** Days that had messages and were recomputed (empty days are skipped, their rows removed). */
  daysRebuilt: number;
  /** Duplicate flags that did not match SPEC 4 and were flipped. */
  duplicateFlagsFixed: number;
  /** Rollup, sketch and exception-count rows that differed from the raw rows (wrong, missing or extra). */
  rowsFixed: number;
  attempts: number;
}

export interface RebuildJob {
  id: number;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  progress: number;
  requestedBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  result: RebuildProgress | null;
}

const INITIAL: RebuildProgress = { stage: 'plan', firstDay: null, lastDay: null, nextDay: null, days: 0, daysDone: 0, daysRebuilt: 0, duplicateFlagsFixed: 0, rowsFixed: 0, attempts: 0 };

const jobColumns = sql`id::int as id, status, progress, params->>'requestedBy' as "requestedBy", ${isoText('created_at')} as "createdAt",
  ${isoText('started_at')} as "startedAt", ${isoText('finished_at')} as "finishedAt", error, result`;

export async function getRebuild(db: Executor, id: number): Promise<RebuildJob | null> {
  const [j] = await rows<RebuildJob>(db, sql`select ${jobColumns} from jobs where id = ${id} and kind = ${REBUILD_KIND}`);
  return j ?? null;
}

/** Queues a rebuild. 409 (with the job's id) when one is already queued or running. */
export async function requestRebuild(db: Db, requestedBy: string | null): Promise<{ id: number }> {
  try {
    const [j] = await rows<{ id: number }>(
      db,
      sql`insert into jobs (kind, params, result) values (${REBUILD_KIND}, ${JSON.stringify({ requestedBy })}::jsonb, ${JSON.stringify(INITIAL)}::jsonb)
          returning id::int as id`,
    );
    return j;
  } catch (e) {
    if (pgErrorCode(e) !== '23505') throw e;
    const [active] = await rows<{ id: number }>(db, sql`select id::int as id from jobs where kind = ${REBUILD_KIND} and status in ('queued','running')`);
    throw new AppError('conflict', `A rollup rebuild is already ${active ? `in progress (job ${active.id})` : 'in progress'}; wait for it to finish.`, [], {
      jobId: active?.id ?? null,
    });
  }
}

/** Takes the job if it is queued, or running with a dead heartbeat; counts the attempt. Null when someone else has it. */
async function claim(db: Db, id: number): Promise<RebuildProgress | null> {
  const [r] = await rows<{ result: RebuildProgress }>(
    db,
    sql`update jobs set status = 'running', started_at = coalesce(started_at, now()), heartbeat_at = now(), error = null,
          result = jsonb_set(coalesce(result, ${JSON.stringify(INITIAL)}::jsonb), '{attempts}', to_jsonb(coalesce((result->>'attempts')::int, 0) + 1))
        where id = ${id} and kind = ${REBUILD_KIND}
          and (status = 'queued' or (status = 'running' and heartbeat_at < now() - make_interval(secs => ${STALE_SECONDS})))
        returning result`,
  );
  return r ? { ...INITIAL, ...r.result } : null;
}

/** Commits the cursor and counts with the work of a step. */
async function save(tx: Executor, id: number, p: RebuildProgress, progress: number) {
  await tx.execute(sql`update jobs set result = ${JSON.stringify(p)}::jsonb, progress = ${progress}, heartbeat_at = now() where id = ${id}`);
}

/**
 * Each step holds the ingest lock. It also turns JIT back on for its own transaction (the app's
 * connections run without it): a day's grouping of the whole log is what JIT pays for, and at ten
 * million messages the rebuild took 224 s with it against 239–276 s without.
 */
const lockIngest = (tx: Tx) => tx.execute(sql`select pg_advisory_xact_lock(${INGEST_LOCK}), set_config('jit', 'on', true)`);

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

const ROLLUP_COLUMNS = sql.raw('bucket, facility, tx_type, direction, messages, failed, dead_letter, retrying, first_pass_failed, delivered, delay_sum_us, duplicates');
const ROLLUP_ROW = sql.raw(
  `concat_ws('|', (extract(epoch from bucket) * 1000000)::bigint, facility, tx_type, direction) as k,
   case when messages = 0 and failed = 0 and dead_letter = 0 and retrying = 0 and first_pass_failed = 0 and delivered = 0 and delay_sum_us = 0 and duplicates = 0 then null
   else concat_ws('|', messages, failed, dead_letter, retrying, first_pass_failed, delivered, delay_sum_us::numeric(30,0), duplicates) end as v`,
);
const SKETCH_ROW = sql.raw(
  `concat_ws('|', grain, tx_type, (extract(epoch from bucket) * 1000000)::bigint, facility, direction) as k,
   case when cardinality(delay_idx) = 0 then null else delay_idx::text || delay_n::text end as v`,
);
const DELAY_MS = '(extract(epoch from processed_at - created_at) * 1000)::float8';

/** Deletes the hourly and daily rollup rows and the hour and day sketches whose bucket matches `where`; counts the non-empty ones. */
async function removeBuckets(tx: Tx, where: SQL): Promise<number> {
  const none = sql`select null::text as k, null::text as v where false`;
  let removed = 0;
  for (const table of ['message_rollup_hourly', 'message_rollup_daily']) {
    removed += await replaceRows(tx, sql`delete from ${sql.raw(table)} where ${where} returning ${ROLLUP_ROW}`, none);
  }
  return removed + (await replaceRows(tx, sql`delete from delay_sketches where grain <> 'week' and ${where} returning ${SKETCH_ROW}`, none));
}

/** The log's rollup rows of one time range, grouped at `unit` ('hour' or 'day'). */
function rollupSelect(unit: 'hour' | 'day', from: Date, to: Date) {
  return sql`select date_trunc(${unit}, created_at, 'UTC'), facility, tx_type, direction, count(*),
      count(*) filter (where status in ('failed', 'dead_letter')),
      count(*) filter (where status = 'dead_letter'),
      count(*) filter (where status = 'retrying'),
      count(*) filter (where status in ('failed', 'dead_letter') or attempts > 1),
      count(*) filter (where status = 'delivered' and processed_at is not null),
      coalesce(sum((extract(epoch from processed_at - created_at) * 1000000)::bigint) filter (where status = 'delivered' and processed_at is not null), 0),
      count(*) filter (where is_duplicate)
    from integration_messages where created_at >= ${from.toISOString()}::timestamptz and created_at < ${to.toISOString()}::timestamptz
    group by 1, 2, 3, 4`;
}

/** Step 1: the days to rebuild; rows of the rollups and sketches outside them go. */
async function plan(tx: Tx, id: number, p: RebuildProgress): Promise<RebuildProgress> {
  await lockIngest(tx);
  const [span] = await rows<{ first: string | null; last: string | null }>(
    tx,
    sql`select ${isoText("date_trunc('day', min(created_at), 'UTC')")} as first, ${isoText("date_trunc('day', max(created_at), 'UTC')")} as last from integration_messages`,
  );
  // With an empty log every row goes; otherwise those before the first day or after the last one.
  // Week sketches are all summed again from the days in step 3.
  const outside = span.first
    ? sql`(bucket < ${span.first}::timestamptz or bucket >= ${new Date(Date.parse(span.last!) + DAY_MS).toISOString()}::timestamptz)`
    : sql`true`;
  const removed = await removeBuckets(tx, outside);
  const days = span.first && span.last ? Math.round((Date.parse(span.last) - Date.parse(span.first)) / DAY_MS) + 1 : 0;
  const next: RebuildProgress = { ...p, stage: days ? 'days' : 'weeks', firstDay: span.first, lastDay: span.last, nextDay: span.first, days, daysDone: 0, rowsFixed: p.rowsFixed + removed };
  await save(tx, id, next, 0.02);
  return next;
}

/** Step 2, one day: duplicate flags, then the day's hourly and daily rollups and hour and day sketches. */
async function rebuildDay(tx: Tx, id: number, p: RebuildProgress): Promise<RebuildProgress> {
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
          where g.created_at >= ${from.toISOString()}::timestamptz and g.is_duplicate <> g.dup and t.message_id = g.message_id
          returning 1
        )
        select count(*)::int as n from f`,
  );
  let differ = 0;
  for (const [table, unit] of [['message_rollup_hourly', 'hour'], ['message_rollup_daily', 'day']] as const) {
    const t = sql.raw(table);
    differ += await replaceRows(
      tx,
      sql`delete from ${t} where bucket >= ${from.toISOString()}::timestamptz and bucket < ${to.toISOString()}::timestamptz returning ${ROLLUP_ROW}`,
      sql`insert into ${t} (${ROLLUP_COLUMNS}) ${rollupSelect(unit, from, to)} returning ${ROLLUP_ROW}`,
    );
  }
  // Hour and day sketches per cell and per facility ('*'), with the SQL twin of the ingest's bucket function.
  differ += await replaceRows(
    tx,
    sql`delete from delay_sketches where grain in ('hour', 'day') and bucket >= ${from.toISOString()}::timestamptz and bucket < ${to.toISOString()}::timestamptz
        returning ${SKETCH_ROW}`,
    sql`insert into delay_sketches (grain, tx_type, bucket, facility, direction, delay_idx, delay_n)
        with base as (
          select date_trunc('hour', created_at, 'UTC') as hour, facility, tx_type, direction, ${sql.raw(BUCKET_SQL(DELAY_MS))} as idx, count(*) as n
          from integration_messages
          where created_at >= ${from.toISOString()}::timestamptz and created_at < ${to.toISOString()}::timestamptz and status = 'delivered' and processed_at is not null
          group by 1, 2, 3, 4, 5
        ), grains as (
          select 'hour' as grain, hour as bucket, facility, tx_type, direction, idx, n from base
          union all select 'day', date_trunc('day', hour, 'UTC'), facility, tx_type, direction, idx, n from base
        ), levels as (
          select grain, tx_type, bucket, facility, direction, idx, n from grains
          union all select grain, '*', bucket, facility, '*', idx, n from grains
        )
        select grain, tx_type, bucket, facility, direction, array_agg(idx order by idx), array_agg(n order by idx)
        from (select grain, tx_type, bucket, facility, direction, idx, sum(n)::bigint as n from levels group by 1, 2, 3, 4, 5, 6) s
        group by 1, 2, 3, 4, 5
        returning ${SKETCH_ROW}`,
  );
  // The next day with messages (from the created_at index); the rows of the empty days before it go,
  // so a log with a stray message years back does not cost a transaction per empty day.
  const end = Date.parse(p.lastDay!) + DAY_MS;
  const [after] = await rows<{ day: string | null }>(
    tx,
    sql`select ${isoText("date_trunc('day', min(created_at), 'UTC')")} as day from integration_messages where created_at >= ${to.toISOString()}::timestamptz`,
  );
  const nextMs = after.day && Date.parse(after.day) < end ? Date.parse(after.day) : end;
  if (nextMs > to.getTime()) {
    differ += await removeBuckets(tx, sql`(bucket >= ${to.toISOString()}::timestamptz and bucket < ${new Date(nextMs).toISOString()}::timestamptz)`);
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
async function rebuildWeeks(tx: Tx, id: number, p: RebuildProgress): Promise<RebuildProgress> {
  await lockIngest(tx);
  const differ = await replaceRows(
    tx,
    sql`delete from delay_sketches where grain = 'week' returning ${SKETCH_ROW}`,
    sql`insert into delay_sketches (grain, tx_type, bucket, facility, direction, delay_idx, delay_n)
        select 'week', tx_type, week, facility, direction, array_agg(idx order by idx), array_agg(n order by idx)
        from (
          select s.tx_type, date_trunc('week', s.bucket, 'UTC') as week, s.facility, s.direction, u.idx, sum(u.n)::bigint as n
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
async function rebuildExceptionCounts(tx: Tx, id: number, p: RebuildProgress): Promise<RebuildProgress> {
  await lockIngest(tx);
  await tx.execute(sql`lock table exceptions in share mode`);
  let differ = 0;
  for (const [table, unit] of [['exception_rollup_hourly', 'hour'], ['exception_rollup_daily', 'day']] as const) {
    const row = sql.raw(`concat_ws('|', (extract(epoch from bucket) * 1000000)::bigint, facility, tx_type, root_cause) as k, nullif(opened, 0)::text as v`);
    differ += await replaceRows(
      tx,
      sql`delete from ${sql.raw(table)} returning ${row}`,
      sql`insert into ${sql.raw(table)} (bucket, facility, tx_type, root_cause, opened)
          select date_trunc(${unit}, opened_at, 'UTC'), facility, tx_type, root_cause, count(*) from exceptions group by 1, 2, 3, 4
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
  await tx.execute(sql`update jobs set status = 'succeeded', progress = 1, finished_at = now(), heartbeat_at = now(), result = ${JSON.stringify(next)}::jsonb where id = ${id}`);
  return next;
}

/** Test hook: called before each transaction with the stage it is about to run; throwing there simulates a crash. */
export type RebuildHook = (p: RebuildProgress) => void | Promise<void>;

/** Thrown by a test hook to leave a job exactly as a killed server would (status running). */
export class SimulatedRebuildCrash extends Error {}

/**
 * Runs (or resumes) a rebuild to its end. Returns false when the job was not claimable (finished,
 * or held by a live worker).
 */
export async function executeRebuild(db: Db, id: number, hook?: RebuildHook): Promise<boolean> {
  const claimed = await claim(db, id);
  if (!claimed) return false;
  let p: RebuildProgress = claimed;
  if (p.attempts > MAX_ATTEMPTS) {
    await db.execute(
      sql`update jobs set status = 'failed', finished_at = now(), error = ${`Interrupted ${MAX_ATTEMPTS} times (server restarts); not retried again. Start a new rebuild.`} where id = ${id}`,
    );
    return true;
  }
  const beat = setInterval(() => {
    void db.execute(sql`update jobs set heartbeat_at = now() where id = ${id} and status = 'running'`).catch(() => {});
  }, 10_000);
  beat.unref?.();
  try {
    while (p.stage !== 'done') {
      await hook?.(p);
      const at: RebuildProgress = p;
      p = await db.transaction((tx): Promise<RebuildProgress> =>
        at.stage === 'plan' ? plan(tx, id, at) : at.stage === 'days' ? rebuildDay(tx, id, at) : at.stage === 'weeks' ? rebuildWeeks(tx, id, at) : rebuildExceptionCounts(tx, id, at),
      );
    }
    return true;
  } catch (e) {
    if (e instanceof SimulatedRebuildCrash) throw e;
    console.error('[rollup rebuild]', id, e);
    await db.execute(sql`update jobs set status = 'failed', finished_at = now(), error = ${`The rebuild failed: ${(e as Error).message}`.slice(0, 2000)} where id = ${id}`);
    return true;
  } finally {
    clearInterval(beat);
  }
}

/** Rebuilds found dead (running with an old heartbeat) or left queued; the server resumes them at start and on a timer. */
export async function findRecoverableRebuilds(db: Executor, staleSeconds = STALE_SECONDS): Promise<number[]> {
  const list = await rows<{ id: number }>(
    db,
    sql`select id::int as id from jobs
        where kind = ${REBUILD_KIND} and (status = 'queued' or (status = 'running' and (heartbeat_at is null or heartbeat_at < now() - make_interval(secs => ${staleSeconds}))))
        order by id`,
  );
  return list.map((r) => r.id);
}

/** Marks this process's own leftover jobs as dead at start (the embedded database has no other worker). */
export async function expireJobHeartbeats(db: Executor) {
  await db.execute(sql`update jobs set heartbeat_at = now() - interval '1 day' where status = 'running'`);
}

/** The latest rebuilds, newest first, flat (the admin page's table and its CSV). */
export async function listRebuilds(db: Executor, limit = 20) {
  const list = await rows<RebuildJob>(db, sql`select ${jobColumns} from jobs where kind = ${REBUILD_KIND} order by id desc limit ${limit}`);
  return list.map((j) => ({
    id: j.id,
    status: j.status,
    requestedBy: j.requestedBy,
    createdAt: j.createdAt,
    startedAt: j.startedAt,
    finishedAt: j.finishedAt,
    days: j.result?.days ?? null,
    daysDone: j.result?.daysDone ?? null,
    daysRebuilt: j.result?.daysRebuilt ?? null,
    duplicateFlagsFixed: j.result?.duplicateFlagsFixed ?? null,
    rowsFixed: j.result?.rowsFixed ?? null,
    error: j.error,
  }));
}
