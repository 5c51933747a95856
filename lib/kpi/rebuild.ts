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
import { sql } from 'drizzle-orm';
import { isoText, pgErrorCode, rows, type Db, type Executor } from '@/db';
import { plan, rebuildDay, rebuildExceptionCounts, rebuildWeeks } from '@/lib/kpi/rebuild-steps';
import { AppError } from '@/lib/errors';
import { runResumableJob, type JobKind } from '@/lib/resumable-job';

export const REBUILD_KIND = 'rollup_rebuild';
const REBUILD_JOB: JobKind = { table: 'jobs', noun: 'rebuild', log: { scope: 'rollup rebuild', field: 'job' } };
/** A running job whose heartbeat is older than this is taken to be dead (its server stopped). */
export const STALE_SECONDS = 60;

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

const INITIAL: RebuildProgress = {
  stage: 'plan',
  firstDay: null,
  lastDay: null,
  nextDay: null,
  days: 0,
  daysDone: 0,
  daysRebuilt: 0,
  duplicateFlagsFixed: 0,
  rowsFixed: 0,
  attempts: 0,
};

const jobColumns = sql`id::int as id, status, progress, params->>'requestedBy' as "requestedBy",
  ${isoText('created_at')} as "createdAt",
  ${isoText('started_at')} as "startedAt", ${isoText('finished_at')} as "finishedAt", error, result`;

export async function getRebuild(db: Executor, id: number): Promise<RebuildJob | null> {
  const [j] = await rows<RebuildJob>(
    db,
    sql`select ${jobColumns} from jobs where id = ${id} and kind = ${REBUILD_KIND}`,
  );
  return j ?? null;
}

/** Queues a rebuild. 409 (with the job's id) when one is already queued or running. */
export async function requestRebuild(db: Db, requestedBy: string | null): Promise<{ id: number }> {
  try {
    const [j] = await rows<{ id: number }>(
      db,
      sql`insert into jobs (kind, params, result) values (${REBUILD_KIND}, ${JSON.stringify({ requestedBy })}::jsonb,
        ${JSON.stringify(INITIAL)}::jsonb)
          returning id::int as id`,
    );
    return j;
  } catch (e) {
    if (pgErrorCode(e) !== '23505') throw e;
    const [active] = await rows<{ id: number }>(
      db,
      sql`select id::int as id from jobs where kind = ${REBUILD_KIND} and status in ('queued','running')`,
    );
    throw new AppError(
      'conflict',
      `A rollup rebuild is already ${active ? `in progress (job ${active.id})` : 'in progress'}; wait for it to finish.`,
      [],
      {
        jobId: active?.id ?? null,
      },
    );
  }
}

/**
 * Takes the job if it is queued, or running with a dead heartbeat; counts the attempt. Null when someone else has it.
 */
async function claim(db: Db, id: number): Promise<RebuildProgress | null> {
  const [r] = await rows<{ result: RebuildProgress }>(
    db,
    sql`update jobs set status = 'running', started_at = coalesce(started_at, now()), heartbeat_at = now(), error =
      null,
          result = jsonb_set(coalesce(result, ${JSON.stringify(INITIAL)}::jsonb), '{attempts}',
            to_jsonb(coalesce((result->>'attempts')::int, 0) + 1))
        where id = ${id} and kind = ${REBUILD_KIND}
          and (status = 'queued' or (status = 'running' and heartbeat_at < now() - make_interval(secs =>
            ${STALE_SECONDS})))
        returning result`,
  );
  return r ? { ...INITIAL, ...r.result } : null;
}

/**
 * Test hook: called before each transaction with the stage it is about to run; throwing a `SimulatedCrash` (from
 * lib/resumable-job.ts) there leaves the job as a killed server would.
 */
export type RebuildHook = (p: RebuildProgress) => void | Promise<void>;

/**
 * Runs (or resumes) a rebuild to its end. Returns false when the job was not claimable (finished,
 * or held by a live worker).
 */
export async function executeRebuild(db: Db, id: number, hook?: RebuildHook): Promise<boolean> {
  const claimed = await claim(db, id);
  if (!claimed) return false;
  let p: RebuildProgress = claimed;
  await runResumableJob(db, REBUILD_JOB, { id, attempts: p.attempts }, async () => {
    while (p.stage !== 'done') {
      await hook?.(p);
      const at: RebuildProgress = p;
      p = await db.transaction((tx): Promise<RebuildProgress> =>
        at.stage === 'plan'
          ? plan(tx, id, at)
          : at.stage === 'days'
            ? rebuildDay(tx, id, at)
            : at.stage === 'weeks'
              ? rebuildWeeks(tx, id, at)
              : rebuildExceptionCounts(tx, id, at),
      );
    }
  });
  return true;
}

/**
 * Rebuilds found dead (running with an old heartbeat) or left queued; the server resumes them at start and on a timer.
 */
export async function findRecoverableRebuilds(db: Executor, staleSeconds = STALE_SECONDS): Promise<number[]> {
  const list = await rows<{ id: number }>(
    db,
    sql`select id::int as id from jobs
        where kind = ${REBUILD_KIND} and (status = 'queued' or (status = 'running' and (heartbeat_at is null or
          heartbeat_at < now() - make_interval(secs => ${staleSeconds}))))
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
  const list = await rows<RebuildJob>(
    db,
    sql`select ${jobColumns} from jobs where kind = ${REBUILD_KIND} order by id desc limit ${limit}`,
  );
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
