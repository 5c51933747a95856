/**
 * Read side of reconciliation, master data and corrections: paged, filtered lists for the pages,
 * keyset iterators for their CSV exports, and the summaries above the tables. Money (unit cost,
 * value) is selected only when the caller may see it (SPEC 7).
 */
import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { inWindow, isoText, rows, type Executor } from '@/db';
import { MASTER_DATA_FINDINGS, SYSTEMS } from '@/db/schema';
import { DIFFERENCE_KINDS, type RunStatus } from '@/lib/recon/reconcile';
import { matchDuplicateCorrections, type CorrectionForMatch } from '@/lib/kpi/duplicate-corrections';
import { bucketStarts, seriesGrain } from '@/lib/time';

export const PAGE_SIZE = 50;
const text = (max: number) => z.string().trim().min(1).max(max).optional().catch(undefined);
const page = z.coerce.number().int().min(1).max(100_000).catch(1);

async function paged<T>(db: Executor, from: SQL, select: SQL, order: SQL, p: number) {
  const [{ n }] = await rows<{ n: number }>(db, sql`select count(*)::float8 as n ${from}`);
  const total = Number(n);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const current = Math.min(p, pages);
  const list = await rows<T>(db, sql`select ${select} ${from} order by ${order} limit ${PAGE_SIZE} offset ${(current - 1) * PAGE_SIZE}`);
  return { rows: list, total, page: current, pages };
}

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
    sql`select r.id::int as id, r.facility, r.status, r.progress, r.counts, r.requested_by as "requestedBy", ${isoText('r.created_at')} as "createdAt",
          ${isoText('r.started_at')} as "startedAt", ${isoText('r.finished_at')} as "finishedAt", r.error,
          ${isoText('e.taken_at')} as "erpTakenAt", ${isoText('w.taken_at')} as "wmsTakenAt"
        from reconciliation_runs r left join snapshots e on e.id = r.erp_snapshot_id left join snapshots w on w.id = r.wms_snapshot_id
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
    sql`select id::int as id, system, facility, ${isoText('taken_at')} as "takenAt", row_count as "rowCount", source, ${isoText('created_at')} as "createdAt"
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
  sku: string;
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

/** The runs behind the differences shown: the chosen one, or the latest succeeded run of each facility in scope (as the KPIs). */
function runsInScope(f: Pick<DifferenceFilters, 'run' | 'facility'>): SQL {
  if (f.run) return sql`(${f.run})`;
  const fac = f.facility ? sql`and facility = ${f.facility}` : sql``;
  return sql`(select distinct on (facility) id from reconciliation_runs where status = 'succeeded' ${fac} order by facility, finished_at desc nulls last, id desc)`;
}

function differenceFrom(f: DifferenceFilters): SQL {
  const parts: SQL[] = [sql`d.run_id in ${runsInScope(f)}`];
  if (f.kind) parts.push(sql`d.kind = ${f.kind}`);
  if (f.source) parts.push(sql`d.suspected_source = ${f.source}`);
  if (f.sku) parts.push(sql`d.sku = ${f.sku}`);
  if (f.location) parts.push(sql`(d.location = ${f.location} or d.wms_location = ${f.location})`);
  return sql`from reconciliation_differences d left join items i on i.system = 'erp' and i.sku = d.sku where ${sql.join(parts, sql` and `)}`;
}

function differenceSelect(money: boolean): SQL {
  return sql`d.id::int as id, d.run_id::int as "runId", d.facility, d.kind, d.sku, d.location, d.lot, d.wms_location as "wmsLocation", d.wms_lot as "wmsLot",
    d.erp_uoms as "erpUoms", d.wms_uoms as "wmsUoms", trim_scale(d.erp_quantity)::text as "erpQuantity", trim_scale(d.wms_quantity)::text as "wmsQuantity",
    trim_scale(d.delta)::text as delta, d.suspected_source as "suspectedSource"
    ${money ? sql`, trim_scale(i.unit_cost)::text as "unitCost", trim_scale(abs(d.delta) * coalesce(i.unit_cost, 0))::text as value` : sql``}`;
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

export async function* iterateDifferences(db: Executor, f: DifferenceFilters, money: boolean): AsyncGenerator<DifferenceRow[]> {
  let after = 0;
  for (;;) {
    const list = await rows<DifferenceRow>(db, sql`select ${differenceSelect(money)} ${differenceFrom(f)} and d.id > ${after} order by d.id limit 5000`);
    if (!list.length) return;
    yield list;
    after = list[list.length - 1].id;
  }
}

export interface DifferenceSummary {
  total: number;
  value: number | null;
  byKind: { key: string; n: number; value: number | null }[];
  bySource: { key: string; n: number; value: number | null }[];
  topSkus: { sku: string; facility: string; n: number; delta: string; value: number | null }[];
}

/** Counts (and value) by kind and source over the same differences as the table, ignoring kind/source filters so the breakdown stays whole. */
export async function differenceSummary(db: Executor, f: DifferenceFilters, money: boolean): Promise<DifferenceSummary> {
  const from = differenceFrom({ ...f, kind: undefined, source: undefined, sku: undefined, location: undefined });
  const v = money ? sql`sum(abs(d.delta) * coalesce(i.unit_cost, 0))::float8` : sql`null::float8`;
  const [byKind, bySource, topSkus] = await Promise.all([
    rows<{ key: string; n: number; value: number | null }>(db, sql`select d.kind as key, count(*)::int as n, ${v} as value ${from} group by 1 order by 2 desc`),
    rows<{ key: string; n: number; value: number | null }>(db, sql`select d.suspected_source as key, count(*)::int as n, ${v} as value ${from} group by 1 order by 2 desc`),
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

// ---------------------------------------------------------------- master data

export const findingFilters = z.object({
  kind: z.enum(MASTER_DATA_FINDINGS).optional().catch(undefined),
  sku: text(100),
  page,
});
export type FindingFilters = z.infer<typeof findingFilters>;

export interface FindingRow {
  id: number;
  kind: string;
  sku: string;
  otherSku: string | null;
  field: string | null;
  erpValue: string | null;
  wmsValue: string | null;
  detectedAt: string;
}

function findingFrom(f: FindingFilters): SQL {
  const parts: SQL[] = [sql`true`];
  if (f.kind) parts.push(sql`kind = ${f.kind}`);
  if (f.sku) parts.push(sql`(sku ilike ${'%' + f.sku + '%'} or other_sku ilike ${'%' + f.sku + '%'})`);
  return sql`from master_data_findings where ${sql.join(parts, sql` and `)}`;
}
const findingSelect = sql`id::int as id, kind, sku, other_sku as "otherSku", field, erp_value as "erpValue", wms_value as "wmsValue", ${isoText('detected_at')} as "detectedAt"`;

export function listFindings(db: Executor, f: FindingFilters) {
  return paged<FindingRow>(db, findingFrom(f), findingSelect, sql`kind, sku, field, id`, f.page);
}

export async function* iterateFindings(db: Executor, f: FindingFilters): AsyncGenerator<FindingRow[]> {
  let after = 0;
  for (;;) {
    const list = await rows<FindingRow>(db, sql`select ${findingSelect} ${findingFrom(f)} and id > ${after} order by id limit 5000`);
    if (!list.length) return;
    yield list;
    after = list[list.length - 1].id;
  }
}

export async function findingCounts(db: Executor) {
  const [counts, items] = await Promise.all([
    rows<{ kind: string; n: number }>(db, sql`select kind, count(*)::int as n from master_data_findings group by 1`),
    rows<{ system: string; n: number }>(db, sql`select system, count(*)::int as n from items group by 1`),
  ]);
  return { byKind: Object.fromEntries(counts.map((c) => [c.kind, c.n])) as Record<string, number>, items: Object.fromEntries(items.map((c) => [c.system, c.n])) as Record<string, number> };
}

// ---------------------------------------------------------------- corrections

export const correctionFilters = z.object({
  system: z.enum(SYSTEMS).optional().catch(undefined),
  reason: text(100),
  sku: text(100),
  page,
  dpage: page,
});
export type CorrectionFilters = z.infer<typeof correctionFilters>;

export interface CorrectionRow {
  correctionId: string;
  system: string;
  facility: string;
  sku: string;
  location: string | null;
  lot: string | null;
  quantityDelta: string;
  uom: string;
  reasonCode: string | null;
  userName: string | null;
  at: string;
  effortMinutes: number | null;
}

interface Window {
  from: Date;
  to: Date;
  facility: string | null;
}

function correctionFrom(f: CorrectionFilters, w: Window): SQL {
  const parts: SQL[] = [inWindow('at', w)];
  if (w.facility) parts.push(sql`facility = ${w.facility}`);
  if (f.system) parts.push(sql`system = ${f.system}`);
  if (f.reason) parts.push(sql`reason_code = ${f.reason}`);
  if (f.sku) parts.push(sql`sku = ${f.sku}`);
  return sql`from manual_corrections where ${sql.join(parts, sql` and `)}`;
}
const correctionSelect = sql`correction_id as "correctionId", system, facility, sku, location, lot, trim_scale(quantity_delta)::text as "quantityDelta", uom,
  reason_code as "reasonCode", user_name as "userName", ${isoText('at')} as at, effort_minutes as "effortMinutes"`;

export function listCorrections(db: Executor, f: CorrectionFilters, w: Window) {
  return paged<CorrectionRow>(db, correctionFrom(f, w), correctionSelect, sql`at desc, correction_id`, f.page);
}

export async function* iterateCorrections(db: Executor, f: CorrectionFilters, w: Window): AsyncGenerator<CorrectionRow[]> {
  let after: { at: string; id: string } | null = null;
  for (;;) {
    const cursor: SQL = after ? sql`and (at, correction_id) > (${after.at}::timestamptz, ${after.id})` : sql``;
    const list: CorrectionRow[] = await rows<CorrectionRow>(db, sql`select ${correctionSelect} ${correctionFrom(f, w)} ${cursor} order by at, correction_id limit 5000`);
    if (!list.length) return;
    yield list;
    const last: CorrectionRow = list[list.length - 1];
    after = { at: last.at, id: last.correctionId };
  }
}

/**
 * Corrections over the window by system, per hour for windows of up to three days and per day
 * beyond (as the overview's trends), every bucket of the window present (zero when empty, so a
 * line does not bridge a quiet hour); and by reason code.
 */
export async function correctionTrend(db: Executor, f: CorrectionFilters, w: Window) {
  const from = correctionFrom({ ...f, system: undefined }, w);
  const grain = seriesGrain(w);
  const [counted, byReason] = await Promise.all([
    rows<{ t: string; erp: number; wms: number }>(
      db,
      sql`select to_char(date_trunc(${grain}, at at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:MI:SS".000Z"') as t, count(*) filter (where system = 'erp')::int as erp,
            count(*) filter (where system = 'wms')::int as wms ${from} group by 1 order by 1`,
    ),
    rows<{ reason: string; erp: number; wms: number }>(
      db,
      sql`select coalesce(reason_code, '(none)') as reason, count(*) filter (where system = 'erp')::int as erp,
            count(*) filter (where system = 'wms')::int as wms ${from} group by 1 order by count(*) desc, 1`,
    ),
  ]);
  const byT = new Map(counted.map((c) => [c.t, c]));
  const buckets = bucketStarts(w, grain).map((ms) => {
    const t = new Date(ms).toISOString();
    return byT.get(t) ?? { t, erp: 0, wms: 0 };
  });
  return { grain, buckets, byReason };
}

export interface DuplicatePair {
  erp: CorrectionRow;
  wms: CorrectionRow;
  hoursApart: number;
}

/** The pairs behind `duplicateManualCorrections` (SPEC 4), newest first. */
export async function duplicateCorrectionPairs(db: Executor, w: Window): Promise<DuplicatePair[]> {
  const fac = w.facility ? sql`and c.facility = ${w.facility}` : sql``;
  const list = await rows<CorrectionForMatch & CorrectionRow & { atMs: number }>(
    db,
    sql`select c.correction_id as "correctionId", c.system, c.facility, c.sku, c.location, c.lot, trim_scale(c.quantity_delta)::text as "quantityDelta", c.uom,
          c.reason_code as "reasonCode", c.user_name as "userName", ${isoText('c.at')} as at, c.effort_minutes as "effortMinutes",
          (extract(epoch from c.at) * 1000)::float8 as "atMs", i.base_uom as "baseUom", i.uoms
        from manual_corrections c left join items i on i.system = 'erp' and i.sku = c.sku
        where ${inWindow('c.at', w)} ${fac}`,
  );
  const byId = new Map(list.map((c) => [c.correctionId, c]));
  return matchDuplicateCorrections(list.map((c) => ({ ...c, atMs: Number(c.atMs) })))
    .map(([e, x]) => {
      const erp = byId.get(e)!;
      const wms = byId.get(x)!;
      return { erp, wms, hoursApart: Math.abs(Number(erp.atMs) - Number(wms.atMs)) / 3_600_000 };
    })
    .sort((a, b) => (a.erp.at < b.erp.at ? 1 : -1));
}
