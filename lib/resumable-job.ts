/**
 * One pass of a resumable job (SPEC 2: long work runs as a job whose state and progress live in
 * Postgres) — a reconciliation run or a rollup rebuild — once its worker has claimed it: a job
 * interrupted too often fails visibly instead of resuming; otherwise its work runs with a heartbeat
 * that tells a live worker from a dead one, and a failure is logged and stored on the job's row
 * (an `AppError`'s own message, else only the error's class and code, see `storedFailure`).
 */
import { sql } from 'drizzle-orm';
import type { Db } from '@/db';
import { AppError } from '@/lib/errors';
import { logError, storedFailure } from '@/lib/log';

/** A job claimed more times than this (each claim after a restart) fails instead of resuming. */
export const MAX_ATTEMPTS = 3;
/** How often a running job's heartbeat is written. */
const HEARTBEAT_MS = 10_000;

/** Thrown by a test hook to leave a job exactly as a killed server would (status running). */
export class SimulatedCrash extends Error {}

/** A kind of resumable job. */
export interface JobKind {
  /** The table of its rows, which have `id`, `status`, `heartbeat_at`, `finished_at` and `error`. */
  table: 'jobs' | 'reconciliation_runs';
  /** What people call one, in the stored error: `rebuild` gives "The rebuild failed", "Start a new rebuild." */
  noun: string;
  /** The server log line's scope and the name of its id field: `reconciliation`, `run`. */
  log: { scope: string; field: string };
}

/** A job its worker has claimed: its id, and how many times it has been claimed, this claim included. */
export interface ClaimedJob {
  id: number;
  attempts: number;
}

/**
 * Runs `work` for a claimed job with a heartbeat, unless the job was interrupted too often; stores
 * the failure when the job fails or `work` throws. A `SimulatedCrash` is rethrown with the job left
 * running, as a killed server leaves it.
 */
export async function runResumableJob(
  db: Db,
  kind: JobKind,
  job: ClaimedJob,
  work: () => Promise<void>,
): Promise<void> {
  const table = sql.identifier(kind.table);
  const fail = (error: string) =>
    db.execute(sql`update ${table} set status = 'failed', finished_at = now(), error = ${error} where id = ${job.id}`);
  if (job.attempts > MAX_ATTEMPTS) {
    await fail(`Interrupted ${MAX_ATTEMPTS} times (server restarts); not retried again. Start a new ${kind.noun}.`);
    return;
  }
  const beat = setInterval(() => {
    void db
      .execute(sql`update ${table} set heartbeat_at = now() where id = ${job.id} and status = 'running'`)
      .catch(() => {});
  }, HEARTBEAT_MS);
  beat.unref?.();
  try {
    await work();
  } catch (e) {
    if (e instanceof SimulatedCrash) throw e;
    logError(kind.log.scope, { [kind.log.field]: job.id }, e);
    await fail(e instanceof AppError ? e.message : storedFailure(`The ${kind.noun} failed`, e));
  } finally {
    clearInterval(beat);
  }
}
