/**
 * Read side of reconciliation: runs, snapshots and differences as paged, filtered lists for the
 * page, keyset iterators for their CSV exports, and the summary above the table. Money (unit cost,
 * value) is selected only when the caller may see it (SPEC 7).
 */
import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { isoText, rows, type Executor } from '@/db';
import { keyset, paged } from '@/db/paging';
import { DIFFERENCE_KINDS, type RunStatus } from '@/lib/recon/reconcile';
import { filterText as text, pageNumber as page } from '@/lib/validation';

// ---------------------------------------------------------------- runs

export interface RunRow extends RunStatus {
  requestedBy: string | null;
  createdAt: string;
  erpTakenAt: string | null;
  wmsTakenAt: string | null;
  differences: number;
}

export async function listRuns(db: Executor, facility: string | null, limit = 20): Promise<RunRow[]> {
  const fac = facility ? sql`where r.facility = ${facility}` : sql``;
  const list = await rows<RunRow>(
    db,
    sql`select r.id::int as id, r.facility, r.status, r.progress, r.counts, r.requested_by as "requestedBy",
      ${isoText('r.created_at')} as "createdAt",
          ${isoText('r.started_at')} as "startedAt", ${isoText('r.finished_at')} as "finishedAt", r.error,
          r.sku_matching as "skuMatching", r.matched_by_rule as "matchedByRule",
          ${isoText('e.taken_at')} as "erpTakenAt", ${isoText('w.taken_at')} as "wmsTakenAt"
        from reconciliation_runs r left join snapshots e on e.id = r.erp_snapshot_id left join snapshots w on w.id =
          r.wms_snapshot_id
        ${fac} order by r.id desc limit ${limit}`,
  );
  return list.map((r) => ({ ...r, differences: Object.values(r.counts ?? {}).reduce((a, b) => a + Number(b), 0) }));
}

export interface SnapshotInfo {
  id: number;
  system: 'erp' | 'wms';
  facility: string;
  takenAt: string;
  rowCount: number;
  source: string | null;
  createdAt: string;
}

export async function listSnapshots(db: Executor, facility: string | null, limit = 10): Promise<SnapshotInfo[]> {
  const fac = facility ? sql`where facility = ${facility}` : sql``;
  return rows<SnapshotInfo>(
    db,
    sql`select id::int as id, system, facility, ${isoText('taken_at')} as "takenAt", row_count as "rowCount", source,
      ${isoText('created_at')} as "createdAt"
        from snapshots ${fac} order by taken_at desc, id desc limit ${limit}`,
  );
}

export async function snapshotFacilities(db: Executor): Promise<string[]> {
  const list = await rows<{ facility: string }>(db, sql`select distinct facility from snapshots order by 1`);
  return list.map((r) => r.facility);
}

// ---------------------------------------------------------------- differences

export const differenceFilters = z.object({
  facility: text(64),
  run: z.coerce.number().int().min(1).optional().catch(undefined),
  kind: z.enum(DIFFERENCE_KINDS).optional().catch(undefined),
  source: text(40),
  sku: text(100),
  location: text(100),
  sort: z.enum(['value', 'sku', 'delta', 'kind']).catch('value'),
  page,
});
export type DifferenceFilters = z.infer<typeof differenceFilters>;

export interface DifferenceRow {
  id: number;
  runId: number;
  facility: string;
  kind: string;
  /** The item: the ERP item master's code when it knows it, else the SKU as written. */
  sku: string;
  /** Each side's SKU as written in its snapshot (null when that side has no row). */
  erpSku: string | null;
  wmsSku: string | null;
  location: string | null;
  lot: string | null;
  wmsLocation: string | null;
  wmsLot: string | null;
  erpUoms: string | null;
  wmsUoms: string | null;
  erpQuantity: string | null;
  wmsQuantity: string | null;
  delta: string;
  suspectedSource: string;
  unitCost?: string | null;
  value?: string | null;
}

/**
 * The runs behind the differences shown: the chosen one, or the latest succeeded run of each facility in scope (as the
 * KPIs).
 */
function runsInScope(f: Pick<DifferenceFilters, 'run' | 'facility'>): SQL {
  if (f.run) return sql`(${f.run})`;
  const fac = f.facility ? sql`and facility = ${f.facility}` : sql``;
  return sql`(select distinct on (facility) id from reconciliation_runs where status = 'succeeded' ${fac} order by
    facility, finished_at desc nulls last, id desc)`;
}

function differenceFrom(f: DifferenceFilters): SQL {
  const parts: SQL[] = [sql`d.run_id in ${runsInScope(f)}`];
  if (f.kind) parts.push(sql`d.kind = ${f.kind}`);
  if (f.source) parts.push(sql`d.suspected_source = ${f.source}`);
  // A SKU as the item master writes it, or as either snapshot wrote it.
  if (f.sku) parts.push(sql`(d.sku = ${f.sku} or d.erp_sku = ${f.sku} or d.wms_sku = ${f.sku})`);
  if (f.location) parts.push(sql`(d.location = ${f.location} or d.wms_location = ${f.location})`);
  return sql`from reconciliation_differences d left join items i on i.system = 'erp' and i.sku = d.sku where
    ${sql.join(parts, sql` and `)}`;
}

function differenceSelect(money: boolean): SQL {
  return sql`d.id::int as id, d.run_id::int as "runId", d.facility, d.kind, d.sku, d.erp_sku as "erpSku",
    d.wms_sku as "wmsSku", d.location, d.lot, d.wms_location as
    "wmsLocation", d.wms_lot as "wmsLot",
    d.erp_uoms as "erpUoms", d.wms_uoms as "wmsUoms", trim_scale(d.erp_quantity)::text as "erpQuantity",
      trim_scale(d.wms_quantity)::text as "wmsQuantity",
    trim_scale(d.delta)::text as delta, d.suspected_source as "suspectedSource"
    ${
      money
        ? sql`, trim_scale(i.unit_cost)::text as "unitCost", trim_scale(abs(d.delta) * coalesce(i.unit_cost,
      0))::text as value`
        : sql``
    }`;
}

export async function listDifferences(db: Executor, f: DifferenceFilters, money: boolean) {
  const order =
    f.sort === 'sku'
      ? sql`d.sku, d.location, d.id`
      : f.sort === 'delta'
        ? sql`abs(d.delta) desc, d.id`
        : f.sort === 'kind'
          ? sql`d.kind, d.sku, d.id`
          : money
            ? sql`abs(d.delta) * coalesce(i.unit_cost, 0) desc, d.id`
            : sql`abs(d.delta) desc, d.id`;
  return paged<DifferenceRow>(db, differenceFrom(f), differenceSelect(money), order, f.page);
}

export function iterateDifferences(
  db: Executor,
  f: DifferenceFilters,
  money: boolean,
): AsyncGenerator<DifferenceRow[]> {
  const select = sql`select ${differenceSelect(money)} ${differenceFrom(f)}`;
  return keyset<DifferenceRow, number>(
    db,
    (after) => sql`${select} and d.id > ${after ?? 0} order by d.id`,
    (r) => r.id,
    5000,
  );
}

export interface DifferenceSummary {
  total: number;
  value: number | null;
  byKind: { key: string; n: number; value: number | null }[];
  bySource: { key: string; n: number; value: number | null }[];
  topSkus: { sku: string; facility: string; n: number; delta: string; value: number | null }[];
}

/**
 * Counts (and value) by kind and source over the same differences as the table, ignoring kind/source filters so the
 * breakdown stays whole.
 */
export async function differenceSummary(
  db: Executor,
  f: DifferenceFilters,
  money: boolean,
): Promise<DifferenceSummary> {
  const from = differenceFrom({ ...f, kind: undefined, source: undefined, sku: undefined, location: undefined });
  const v = money ? sql`sum(abs(d.delta) * coalesce(i.unit_cost, 0))::float8` : sql`null::float8`;
  const [byKind, bySource, topSkus] = await Promise.all([
    rows<{ key: string; n: number; value: number | null }>(
      db,
      sql`select d.kind as key, count(*)::int as n, ${v} as value ${from} group by 1 order by 2 desc`,
    ),
    rows<{ key: string; n: number; value: number | null }>(
      db,
      sql`select d.suspected_source as key, count(*)::int as n, ${v} as value ${from} group by 1 order by 2 desc`,
    ),
    rows<{ sku: string; facility: string; n: number; delta: string; value: number | null }>(
      db,
      sql`select d.sku, d.facility, count(*)::int as n, trim_scale(sum(d.delta))::text as delta, ${v} as value ${from}
          group by 1, 2 order by ${money ? sql`5 desc nulls last,` : sql``} abs(sum(d.delta)) desc, 1 limit 10`,
    ),
  ]);
  const total = byKind.reduce((a, b) => a + b.n, 0);
  const value = money ? byKind.reduce((a, b) => a + (b.value ?? 0), 0) : null;
  return { total, value, byKind, bySource, topSkus };
}

/** A run's differences for the v1 API (no money: its readers are machines and every reading role), by id. */
export async function runDifferences(db: Executor, run: number, page: number) {
  const from = sql`from reconciliation_differences d where d.run_id = ${run}`;
  const select = sql`d.id::int as id, d.kind, d.sku, d.erp_sku as "erpSku", d.wms_sku as "wmsSku", d.location, d.lot,
    d.wms_location as "wmsLocation", d.wms_lot as "wmsLot", d.erp_uoms as "erpUoms", d.wms_uoms as "wmsUoms",
    trim_scale(d.erp_quantity)::text as "erpQuantity", trim_scale(d.wms_quantity)::text as "wmsQuantity",
    trim_scale(d.delta)::text as delta, d.suspected_source as "suspectedSource"`;
  const [{ n }] = await rows<{ n: number }>(db, sql`select count(*)::int as n ${from}`);
  const pages = Math.max(1, Math.ceil(n / API_PAGE));
  const current = Math.min(page, pages);
  const differences = await rows<Omit<DifferenceRow, 'runId' | 'facility'>>(
    db,
    sql`select ${select} ${from} order by d.id limit ${API_PAGE} offset ${(current - 1) * API_PAGE}`,
  );
  return { differences, page: current, pages, total: n };
}

const API_PAGE = 1000;
