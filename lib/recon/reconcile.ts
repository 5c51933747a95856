/**
 * The reconciliation job (SPEC 5). A run compares the latest ERP and WMS snapshots of a facility:
 *
 *   1. compare, one statement: a full outer join of the two snapshots finds the positions that may
 *      differ (rows counted in the same unit with the same quantity agree); only their rows are
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
import { sql, type SQL } from 'drizzle-orm';
import { isoText, pgErrorCode, rows, type Db, type Executor } from '@/db';
import { AppError } from '@/lib/errors';
import { latestSkuTxType } from '@/lib/messages/sku';

export const DIFFERENCE_KINDS = ['missing_in_erp', 'missing_in_wms', 'quantity', 'uom', 'lot', 'location'] as const;
export type DifferenceKind = (typeof DIFFERENCE_KINDS)[number];

export interface RunStatus {
  id: number;
  facility: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  progress: number;
  counts: Record<string, number>;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

const STEPS = ['compare', 'finish'] as const;
/** A running run whose heartbeat is older than this is taken to be dead (its server stopped). */
export const STALE_SECONDS = 60;
const MAX_ATTEMPTS = 3;

export async function getRun(db: Executor, id: number): Promise<RunStatus | null> {
  const [r] = await rows<RunStatus>(
    db,
    sql`select id::int as id, facility, status, progress, counts, ${isoText('started_at')} as "startedAt",
      ${isoText('finished_at')} as "finishedAt", error
        from reconciliation_runs where id = ${id}`,
  );
  return r ?? null;
}

/** Queues a run for the facility's latest ERP and WMS snapshots. 409 when one is already queued or running. */
export async function requestReconciliation(
  db: Db,
  facility: string,
  requestedBy: string | null,
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
  try {
    const [r] = await rows<{ id: number }>(
      db,
      sql`insert into reconciliation_runs (facility, erp_snapshot_id, wms_snapshot_id, requested_by) values
        (${facility}, ${erp.id}, ${wms.id}, ${requestedBy}) returning id::int as id`,
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
          "wmsSnapshotId", chunks_done as "chunksDone", attempts`,
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

interface Unjoined {
  side: 'erp' | 'wms';
  sku: string;
  location: string;
  lot: string;
  base: string;
  uoms: string;
}

/** SPEC 5 step 3 and 4: pairs unjoined rows of one SKU with equal base quantity, in order of location then lot. */
export function pairUnjoined(list: Unjoined[]) {
  const cmp = (a: Unjoined, b: Unjoined) =>
    a.location < b.location ? -1 : a.location > b.location ? 1 : a.lot < b.lot ? -1 : a.lot > b.lot ? 1 : 0;
  const bySku = new Map<string, { erp: Unjoined[]; wms: Unjoined[] }>();
  for (const r of list) {
    const g = bySku.get(r.sku) ?? { erp: [], wms: [] };
    g[r.side].push(r);
    bySku.set(r.sku, g);
  }
  const out: { kind: DifferenceKind; erp: Unjoined | null; wms: Unjoined | null }[] = [];
  for (const g of bySku.values()) {
    g.erp.sort(cmp);
    g.wms.sort(cmp);
    const used = new Set<Unjoined>();
    for (const e of g.erp) {
      const w = g.wms.find(
        (x) =>
          !used.has(x) &&
          x.base === e.base &&
          ((x.location === e.location && x.lot !== e.lot) || (x.lot === e.lot && x.location !== e.location)),
      );
      if (w) {
        used.add(w);
        out.push({ kind: w.location === e.location ? 'lot' : 'location', erp: e, wms: w });
      } else out.push({ kind: 'missing_in_wms', erp: e, wms: null });
    }
    for (const w of g.wms) if (!used.has(w)) out.push({ kind: 'missing_in_erp', erp: null, wms: w });
  }
  return out;
}

/**
 * Step 1: one statement. First the rows of positions that may differ: rows that both systems
 * count in the same unit with the same quantity agree whatever the unit, so one full outer join
 * finds the rest. When neither snapshot repeats a position (known from import) the join runs on
 * the raw rows — as cheap as a bare join — and carries both sides' rows; otherwise each side is
 * summed per position first and the suspect positions' rows are read back through the index.
 * Then only those rows are converted to base units with the ERP item master and summed per
 * position; joined positions that differ are stored (`uom` or `quantity`) and the unjoined ones
 * come back for pairing.
 */
function suspectRows(run: Claimed, unique: boolean): SQL {
  const E = run.erpSnapshotId;
  const W = run.wmsSnapshotId;
  if (unique) {
    return sql`f as (
      select coalesce(e.sku, w.sku) as sku, coalesce(e.location, w.location) as location, coalesce(e.lot, w.lot) as lot,
             e.uom as eu, e.quantity as eq, w.uom as wu, w.quantity as wq
      from (select * from snapshot_rows where snapshot_id = ${E}) e
      full join (select * from snapshot_rows where snapshot_id = ${W}) w on e.sku = w.sku and e.location = w.location
        and e.lot = w.lot
      where e.sku is null or w.sku is null or e.uom <> w.uom or e.quantity <> w.quantity
    ), src as (
      select 'e' as side, sku, location, lot, eu as uom, eq as quantity from f where eu is not null
      union all
      select 'w', sku, location, lot, wu, wq from f where wu is not null
    )`;
  }
  const side = (id: number) =>
    sql`(select sku, location, lot, sum(quantity) as q, min(upper(uom)) as u1, max(upper(uom)) as u2 from snapshot_rows
      where snapshot_id = ${id} group by sku, location, lot)`;
  return sql`f as (
      select coalesce(e.sku, w.sku) as sku, coalesce(e.location, w.location) as location, coalesce(e.lot, w.lot) as lot
      from ${side(E)} e full join ${side(W)} w on e.sku = w.sku and e.location = w.location and e.lot = w.lot
      where e.sku is null or w.sku is null or e.u1 <> e.u2 or w.u1 <> w.u2 or e.u1 <> w.u1 or e.q <> w.q
    ), src as (
      select case when r.snapshot_id = ${E} then 'e' else 'w' end as side, r.sku, r.location, r.lot, r.uom, r.quantity
      from f join snapshot_rows r on r.snapshot_id in (${E}, ${W}) and r.sku = f.sku and r.location = f.location and
        r.lot = f.lot
    )`;
}

/**
 * Suspected source (SPEC 5): the txType of the latest message for the SKU and facility created
 * before the WMS snapshot was taken (a few index probes per difference, a day at a time).
 */
const sourceOf = (run: Claimed, sku: SQL) =>
  sql`coalesce(${latestSkuTxType(
    sql`${run.facility}`,
    sku,
    sql`(select taken_at from snapshots where id =
    ${run.wmsSnapshotId})`,
  )}, 'unknown')`;

async function compare(tx: Executor, run: Claimed, progress: (p: number) => void) {
  await tx.execute(sql`delete from reconciliation_differences where run_id = ${run.id}`);
  // A hash join beats the planner's default sort-merge of two million-row sides here. (The
  // connection has JIT off, db/index.ts: compiling this long statement cost seconds the run never won back.)
  await tx.execute(sql`set local enable_mergejoin = off`);
  const [s] = await rows<{ unique: boolean }>(
    tx,
    sql`select bool_and(unique_positions) as unique from snapshots where id in (${run.erpSnapshotId},
      ${run.wmsSnapshotId})`,
  );
  const unjoined = await rows<Unjoined>(
    tx,
    sql`
    with ${suspectRows(run, !!s?.unique)}, conv as (
      -- Each row in base units: factor 1 for the ERP base UOM, else the ERP item's factor; a UOM the
      -- ERP item does not know is marked unknown (a SKU without an ERP item compares as counted).
      select r.side, r.sku, r.location, r.lot, upper(r.uom) as uom,
             r.quantity * coalesce(fx.f, 1) as base,
             (i.sku is not null and fx.f is null) as unknown
      from src r
      left join items i on i.system = 'erp' and i.sku = r.sku
      left join lateral (
        select case when upper(i.base_uom) = upper(r.uom) then 1::numeric
                    else (select min((u->>'toBase')::numeric) from jsonb_array_elements(i.uoms) u where upper(u->>'uom') = upper(r.uom)) end as f
      ) fx on true
    ), e as (
      select sku, location, lot, sum(base) as q, bool_or(unknown) as unknown, string_agg(distinct uom, ',') as uoms
      from conv where side = 'e' group by sku, location, lot
    ), w as (
      select sku, location, lot, sum(base) as q, bool_or(unknown) as unknown, string_agg(distinct uom, ',') as uoms
      from conv where side = 'w' group by sku, location, lot
    ), j as (
      select coalesce(e.sku, w.sku) as sku, coalesce(e.location, w.location) as location, coalesce(e.lot, w.lot) as lot,
             e.q as eq, w.q as wq, e.uoms as euoms, w.uoms as wuoms, e.sku is not null and w.sku is not null as joined,
             coalesce(e.unknown, false) or coalesce(w.unknown, false) or (ei.sku is null and e.uoms is distinct from w.uoms) as unconvertible,
             (select array_agg((u->>'toBase')::numeric) from jsonb_array_elements(ei.uoms) u where (u->>'toBase')::numeric <> 1) as fs
      from e full join w on e.sku = w.sku and e.location = w.location and e.lot = w.lot
      left join items ei on ei.system = 'erp' and ei.sku = coalesce(e.sku, w.sku)
    ), ins as (
      insert into reconciliation_differences (run_id, facility, kind, sku, location, lot, erp_uoms, wms_uoms, erp_quantity, wms_quantity, delta, suspected_source)
      select ${run.id}, ${run.facility},
             case when j.unconvertible
                    or exists (select 1 from unnest(j.fs) f where j.eq * f = j.wq or j.wq * f = j.eq)
                  then 'uom' else 'quantity' end,
             j.sku, j.location, j.lot, j.euoms, j.wuoms, j.eq, j.wq, j.wq - j.eq, ${sourceOf(run, sql`j.sku`)}
      from j where j.joined and (j.eq <> j.wq or j.unconvertible)
    )
    select case when j.eq is null then 'wms' else 'erp' end as side, j.sku, j.location, j.lot,
           trim_scale(coalesce(j.eq, j.wq))::text as base, coalesce(j.euoms, j.wuoms) as uoms
    from j where not j.joined and coalesce(j.eq, j.wq) <> 0`,
  );
  progress(0.6);
  const paired = pairUnjoined(unjoined);
  if (!paired.length) return;
  const records = paired.map((p) => {
    const any = (p.erp ?? p.wms)!;
    return {
      kind: p.kind,
      sku: any.sku,
      location: any.location,
      lot: any.lot,
      wms_location: p.erp && p.wms ? p.wms.location : null,
      wms_lot: p.erp && p.wms ? p.wms.lot : null,
      erp_uoms: p.erp?.uoms ?? null,
      wms_uoms: p.wms?.uoms ?? null,
      erp_quantity: p.erp?.base ?? null,
      wms_quantity: p.wms?.base ?? null,
    };
  });
  for (let i = 0; i < records.length; i += 5000) {
    await tx.execute(sql`
      insert into reconciliation_differences (run_id, facility, kind, sku, location, lot, wms_location, wms_lot,
        erp_uoms, wms_uoms, erp_quantity, wms_quantity, delta, suspected_source)
      select ${run.id}, ${run.facility}, r.kind, r.sku, r.location, r.lot, r.wms_location, r.wms_lot, r.erp_uoms,
        r.wms_uoms,
             r.erp_quantity::numeric, r.wms_quantity::numeric, coalesce(r.wms_quantity::numeric, 0) -
               coalesce(r.erp_quantity::numeric, 0), ${sourceOf(run, sql`r.sku`)}
      from jsonb_to_recordset(${JSON.stringify(records.slice(i, i + 5000))}::jsonb)
        as r(kind text, sku text, location text, lot text, wms_location text, wms_lot text, erp_uoms text, wms_uoms
          text, erp_quantity text, wms_quantity text)`);
  }
}

async function finish(tx: Executor, run: Claimed) {
  await tx.execute(sql`
    update reconciliation_runs set status = 'succeeded', progress = 1, finished_at = now(), heartbeat_at = now(),
      counts = coalesce((select jsonb_object_agg(kind, n) from (select kind, count(*)::int as n from
        reconciliation_differences where run_id = ${run.id} group by kind) c), '{}'::jsonb)
    where id = ${run.id}`);
}

/** Test hook: called before each step; throwing there simulates a crash at that point. */
export type StepHook = (step: (typeof STEPS)[number]) => void | Promise<void>;

/**
 * Runs (or resumes) a run to its end. Returns false when the run was not claimable (finished, or
 * held by a live worker).
 */
export async function executeRun(db: Db, id: number, hook?: StepHook): Promise<boolean> {
  const run = await claim(db, id);
  if (!run) return false;
  if (run.attempts > MAX_ATTEMPTS) {
    await db.execute(
      sql`update reconciliation_runs set status = 'failed', finished_at = now(), error =
        ${`Interrupted ${MAX_ATTEMPTS} times (server restarts); not retried again. Start a new run.`} where id = ${id}`,
    );
    return true;
  }
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
  const beat = setInterval(() => {
    void db
      .execute(sql`update reconciliation_runs set heartbeat_at = now() where id = ${id} and status = 'running'`)
      .catch(() => {});
  }, 10_000);
  beat.unref?.();
  try {
    for (let step = run.chunksDone; step < STEPS.length; step++) {
      await hook?.(STEPS[step]);
      await db.transaction(async (tx) => {
        if (STEPS[step] === 'compare') await compare(tx, run, report);
        else await finish(tx, run);
        if (STEPS[step] !== 'finish') await commitStep(tx, id, step);
      });
    }
    return true;
  } catch (e) {
    if (e instanceof SimulatedCrash) throw e;
    console.error('[reconciliation]', id, e);
    await db.execute(
      sql`update reconciliation_runs set status = 'failed', finished_at = now(), error =
        ${`The run failed: ${(e as Error).message}`.slice(0, 2000)} where id = ${id}`,
    );
    return true;
  } finally {
    clearInterval(beat);
  }
}

/** Thrown by a test hook to leave a run exactly as a killed server would (status running). */
export class SimulatedCrash extends Error {}

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
