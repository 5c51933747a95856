/**
 * What a retention run would drop (the preview of SPEC 11): per kind, its cutoff, and per table the
 * partitions that lie wholly before it, with their rows and bytes. A RANGE partition goes when its
 * upper bound is at or before the cutoff; a snapshot's rows go when the snapshot was taken before
 * it, unless it is the latest of its facility and system (what reconciliation compares) or a
 * queued or running reconciliation reads it.
 */
import { sql } from 'drizzle-orm';
import { rows, type Executor } from '@/db';
import { partitionRows, partitionsOf, tableInfo, type PartitionInfo } from '@/lib/retention/catalog';
import { REGISTRY, type RetentionRegistry } from '@/lib/retention/registry';
import { RETENTION_KINDS, readSettings, type RetentionKind } from '@/lib/retention/settings';

export interface PlannedPartition {
  table: string;
  partition: string;
  bound: string;
  /** A RANGE partition's upper bound (ISO). */
  upper: string | null;
  rows: number;
  /** True when `rows` is the planner's estimate (large partitions). */
  estimated: boolean;
  bytes: number;
}

export interface TablePlan {
  table: string;
  /** False when the table is not partitioned (or LIST/HASH where RANGE is needed): skipped, never DELETEd from. */
  partitioned: boolean;
  exists: boolean;
}

export interface KindPlan {
  days: number | null;
  /** ISO; null when the kind is kept forever. */
  cutoff: string | null;
  /** False when any table of the kind is not partitioned (those are skipped). */
  partitioned: boolean;
  tables: TablePlan[];
  partitions: PlannedPartition[];
  /** Partitions before the cutoff that stay, and why. */
  held: { table: string; partition: string; reason: string }[];
  rows: number;
  bytes: number;
}

export type RetentionPlan = Record<RetentionKind, KindPlan>;

const DAY_MS = 86_400_000;

export async function planRetention(
  db: Executor,
  opts: { registry?: RetentionRegistry; now?: Date; kinds?: readonly RetentionKind[] } = {},
): Promise<RetentionPlan> {
  const registry = opts.registry ?? REGISTRY;
  const now = opts.now ?? new Date();
  const settings = await readSettings(db);
  const out = {} as RetentionPlan;
  for (const kind of opts.kinds ?? RETENTION_KINDS) {
    const days = settings[kind];
    const cutoff = days === null ? null : new Date(now.getTime() - days * DAY_MS);
    const decl = registry[kind];
    const plan: KindPlan = {
      days,
      cutoff: cutoff?.toISOString() ?? null,
      partitioned: true,
      tables: [],
      partitions: [],
      held: [],
      rows: 0,
      bytes: 0,
    };
    const take = async (p: PartitionInfo) => {
      const count = await partitionRows(db, p.name);
      plan.partitions.push({
        table: p.parent,
        partition: p.name,
        bound: p.bound,
        upper: p.upper,
        rows: count.rows,
        estimated: count.estimated,
        bytes: p.bytes,
      });
      plan.rows += count.rows;
      plan.bytes += p.bytes;
    };
    for (const { table, holdLatestReconciliation } of decl.range) {
      const info = await tableInfo(db, table);
      const partitioned = info.strategy === 'range';
      plan.tables.push({ table, partitioned, exists: info.exists });
      if (!partitioned) plan.partitioned = false;
      if (!partitioned || !cutoff) continue;
      for (const p of await partitionsOf(db, table)) {
        if (!p.upper || Date.parse(p.upper) > cutoff.getTime()) continue;
        if (holdLatestReconciliation && (await holdsLatestRun(db, p.name))) {
          plan.held.push({ table, partition: p.name, reason: 'holds the latest reconciliation of a facility' });
          continue;
        }
        await take(p);
      }
    }
    if (decl.snapshotRows) {
      const info = await tableInfo(db, decl.snapshotRows);
      const partitioned = info.strategy === 'list';
      plan.tables.push({ table: decl.snapshotRows, partitioned, exists: info.exists });
      if (!partitioned) plan.partitioned = false;
      if (partitioned && cutoff) {
        const expired = new Set(await expiredSnapshots(db, cutoff));
        for (const p of await partitionsOf(db, decl.snapshotRows))
          if (p.listValue !== null && expired.has(Number(p.listValue))) await take(p);
      }
    }
    out[kind] = plan;
  }
  return out;
}

/**
 * Snapshots taken before `cutoff` whose rows may go: not the latest of their facility and system,
 * and read by no queued or running reconciliation.
 */
export async function expiredSnapshots(db: Executor, cutoff: Date): Promise<number[]> {
  const list = await rows<{ id: number }>(
    db,
    sql`select s.id::float8 as id from snapshots s
        where s.taken_at < ${cutoff.toISOString()}::timestamptz
          and s.id not in (select distinct on (facility, system) id from snapshots
                           order by facility, system, taken_at desc, id desc)
          and s.id not in (select unnest(array[erp_snapshot_id, wms_snapshot_id]) from reconciliation_runs
                           where status in ('queued', 'running') and erp_snapshot_id is not null
                             and wms_snapshot_id is not null)`,
  );
  return list.map((r) => Number(r.id));
}

/** Whether a partition of the differences holds rows of a facility's latest succeeded reconciliation. */
async function holdsLatestRun(db: Executor, partition: string): Promise<boolean> {
  const [r] = await rows<{ held: boolean }>(
    db,
    sql`select exists (select 1 from ${sql.identifier(partition)} d where d.run_id in (
          select distinct on (facility) id from reconciliation_runs where status = 'succeeded'
          order by facility, id desc)) as held`,
  );
  return !!r?.held;
}
