/**
 * The reconciliation job (SPEC 5). A run compares the latest ERP and WMS snapshots of a facility:
 *
 *   1. compare (lib/recon/compare.ts), one statement, SKUs compared under the run's matching rules
 *      (the facility's, or the request's override, stored on the run): a full outer join of the two
 *      snapshots finds the positions that may differ (rows counted in the same unit with the same quantity agree); only their rows are
 *      converted to base units with the ERP item master and summed per position; joined positions
 *      that differ are stored (`uom` or `quantity`) and the unjoined rows come back; these are
 *      paired in memory per SKU (`lot`, `location`) and the rest stored as `missing_in_wms` /
 *      `missing_in_erp` — each difference with its suspected source — in the same transaction;
 *   2. finish: counts by kind, status succeeded.
 *
 * State and progress live in reconciliation_runs. Each step commits with `chunks_done`, so a run
 * interrupted by a restart resumes at the step after the last committed one; a heartbeat tells a
 * live run from a dead one, and a run interrupted three times fails visibly.
 */
import { sql } from 'drizzle-orm';
import { isoText, pgErrorCode, rows, type Db, type Executor } from '@/db';
import { AppError } from '@/lib/errors';
import { compare } from '@/lib/recon/compare';
import type { SkuMatching } from '@/lib/sku-matching/rules';
import { skuMatchingFor } from '@/lib/sku-matching/settings';
import { runResumableJob, type JobKind } from '@/lib/resumable-job';

export { DIFFERENCE_KINDS, type DifferenceKind } from '@/lib/recon/compare';

export interface RunStatus {
  id: number;
  facility: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  progress: number;
  counts: Record<string, number>;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  /** The SKU matching rules the run compares with (null for runs from before there were any). */
  skuMatching: SkuMatching | null;
  /** Joined row pairs whose SKUs differ as written: matched only thanks to a rule (null until compared). */
  matchedByRule: number | null;
}

const STEPS = ['compare', 'finish'] as const;
const RUN_JOB: JobKind = { table: 'reconciliation_runs', noun: 'run', log: { scope: 'reconciliation', field: 'run' } };
/** A running run whose heartbeat is older than this is taken to be dead (its server stopped). */
export const STALE_SECONDS = 60;

export async function getRun(db: Executor, id: number): Promise<RunStatus | null> {
  const [r] = await rows<RunStatus>(
    db,
    sql`select id::int as id, facility, status, progress, counts, ${isoText('started_at')} as "startedAt",
      ${isoText('finished_at')} as "finishedAt", error, sku_matching as "skuMatching",
      matched_by_rule as "matchedByRule"
        from reconciliation_runs where id = ${id}`,
  );
  return r ?? null;
}

/**
 * Queues a run for the facility's latest ERP and WMS snapshots, with the facility's SKU matching
 * rules, each of which `override` may set for this run. 409 when one is already queued or running.
 */
export async function requestReconciliation(
  db: Db,
  facility: string,
  requestedBy: string | null,
  override: Partial<SkuMatching> = {},
): Promise<{ id: number }> {
  const snaps = await rows<{ system: string; id: number }>(
    db,
    sql`select distinct on (system) system, id::int as id from snapshots where facility = ${facility} order by system,
      taken_at desc, id desc`,
  );
  const erp = snaps.find((s) => s.system === 'erp');
  const wms = snaps.find((s) => s.system === 'wms');
  if (!erp || !wms) {
    const missing = [!erp && 'ERP', !wms && 'WMS'].filter(Boolean).join(' and ');
    throw new AppError('validation_failed', `There is no ${missing} snapshot of ${facility} yet; upload one first.`, [
      `facility: no ${missing} snapshot`,
    ]);
  }
  const rules: SkuMatching = { ...(await skuMatchingFor(db, facility)) };
  for (const k of ['ignoreCase', 'ignoreSeparators', 'ignoreLeadingZeros'] as const)
    if (typeof override[k] === 'boolean') rules[k] = override[k];
  try {
    const [r] = await rows<{ id: number }>(
      db,
      sql`insert into reconciliation_runs (facility, erp_snapshot_id, wms_snapshot_id, requested_by, sku_matching) values
        (${facility}, ${erp.id}, ${wms.id}, ${requestedBy}, ${JSON.stringify(rules)}::jsonb) returning id::int as id`,
    );
    return r;
  } catch (e) {
    if (pgErrorCode(e) !== '23505') throw e;
    const [active] = await rows<{ id: number }>(
      db,
      sql`select id::int as id from reconciliation_runs where facility = ${facility} and status in
        ('queued','running')`,
    );
    throw new AppError(
      'conflict',
      `A reconciliation of ${facility} is already ${active ? `in progress (run ${active.id})` : 'in progress'}; wait for it to finish.`,
      [],
      {
        runId: active?.id ?? null,
      },
    );
  }
}

interface Claimed {
  id: number;
  facility: string;
  erpSnapshotId: number;
  wmsSnapshotId: number;
  chunksDone: number;
  attempts: number;
  skuMatching: SkuMatching | null;
}

/** Takes the run if it is queued, or running with a dead heartbeat. Null when someone else has it. */
async function claim(db: Db, id: number): Promise<Claimed | null> {
  const [r] = await rows<Claimed>(
    db,
    sql`update reconciliation_runs set status = 'running', attempts = attempts + 1, started_at = coalesce(started_at,
      now()), heartbeat_at = now(), error = null
        where id = ${id} and (status = 'queued' or (status = 'running' and heartbeat_at < now() - make_interval(secs =>
          ${STALE_SECONDS})))
        returning id::int as id, facility, erp_snapshot_id::int as "erpSnapshotId", wms_snapshot_id::int as
          "wmsSnapshotId", chunks_done as "chunksDone", attempts, sku_matching as "skuMatching"`,
  );
  return r ?? null;
}

/** Progress when each step has committed. */
const STEP_DONE = [0.9, 1];

async function commitStep(tx: Executor, id: number, step: number) {
  await tx.execute(
    sql`update reconciliation_runs set chunks_done = ${step + 1}, progress = ${STEP_DONE[step]}, heartbeat_at = now()
      where id = ${id}`,
  );
}

async function finish(tx: Executor, run: Claimed) {
  await tx.execute(sql`
    update reconciliation_runs set status = 'succeeded', progress = 1, finished_at = now(), heartbeat_at = now(),
      counts = coalesce((select jsonb_object_agg(kind, n) from (select kind, count(*)::int as n from
        reconciliation_differences where run_id = ${run.id} group by kind) c), '{}'::jsonb)
    where id = ${run.id}`);
}

/**
 * Test hook: called before each step; throwing a `SimulatedCrash` (from lib/resumable-job.ts) there leaves the run as a
 * killed server would.
 */
export type StepHook = (step: (typeof STEPS)[number]) => void | Promise<void>;

/**
 * Runs (or resumes) a run to its end. Returns false when the run was not claimable (finished, or
 * held by a live worker).
 */
export async function executeRun(db: Db, id: number, hook?: StepHook): Promise<boolean> {
  const run = await claim(db, id);
  if (!run) return false;
  // Progress inside a step is written outside its transaction so others see it. Not awaited: on the
  // embedded database the transaction holds the only connection, and the write lands after it
  // (never lowering the progress a commit already set).
  const report = (p: number) => {
    void db
      .execute(
        sql`update reconciliation_runs set progress = greatest(progress, ${p}), heartbeat_at = now() where id = ${id}
          and status = 'running'`,
      )
      .catch(() => {});
  };
  await runResumableJob(db, RUN_JOB, run, async () => {
    for (let step = run.chunksDone; step < STEPS.length; step++) {
      await hook?.(STEPS[step]);
      await db.transaction(async (tx) => {
        if (STEPS[step] === 'compare') await compare(tx, run, report);
        else await finish(tx, run);
        if (STEPS[step] !== 'finish') await commitStep(tx, id, step);
      });
    }
  });
  return true;
}

/** Runs found dead (running with an old heartbeat) or left queued; the server resumes them at start and on a timer. */
export async function findRecoverable(db: Executor, staleSeconds = STALE_SECONDS): Promise<number[]> {
  const list = await rows<{ id: number }>(
    db,
    sql`select id::int as id from reconciliation_runs
        where status = 'queued' or (status = 'running' and (heartbeat_at is null or heartbeat_at < now() -
          make_interval(secs => ${staleSeconds})))
        order by id`,
  );
  return list.map((r) => r.id);
}

/**
 * Marks this process's own leftovers as dead at start: a single server holding the embedded database has no other
 * worker.
 */
export async function expireHeartbeats(db: Executor) {
  await db.execute(
    sql`update reconciliation_runs set heartbeat_at = now() - interval '1 day' where status = 'running'`,
  );
}

/** Requests and runs a reconciliation in this process, to its end (demo data, CLI, benchmark). */
export async function reconcileNow(db: Db, facility: string, requestedBy: string | null): Promise<RunStatus> {
  const { id } = await requestReconciliation(db, facility, requestedBy);
  await executeRun(db, id);
  return (await getRun(db, id))!;
}
