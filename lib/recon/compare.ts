/**
 * The compare step of a reconciliation run (SPEC 5), under the run's SKU matching rules (SPEC 10):
 * rows are joined on the SKU's key (lib/sku-matching), location and lot, in one set-based
 * statement; the stored rows keep their SKUs as written, and each difference names both sides'.
 *
 * First the rows of positions that may differ: rows that both systems count in the same unit with
 * the same quantity, under the same SKU as written, agree whatever the unit, so one full outer join
 * finds the rest. When neither snapshot repeats a position even under every rule (known from
 * import) the join runs on the raw rows — as cheap as a bare join — and carries both sides' rows;
 * otherwise each side is first summed per key, SKU as written, location, lot and unit. Then only
 * those rows are converted to base units with the ERP item master and summed per position; joined
 * positions that differ are stored (`uom` or `quantity`), the joined positions whose SKUs differ
 * as written are counted (`matchedByRule`), and the unjoined ones come back for pairing.
 */
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Executor } from '@/db';
import { latestSkuTxType } from '@/lib/messages/sku';
import { DEFAULT_SKU_MATCHING, skuKeySql, type SkuMatching } from '@/lib/sku-matching/rules';

export const DIFFERENCE_KINDS = ['missing_in_erp', 'missing_in_wms', 'quantity', 'uom', 'lot', 'location'] as const;
export type DifferenceKind = (typeof DIFFERENCE_KINDS)[number];

/** What the compare step needs of its run. */
export interface CompareRun {
  id: number;
  facility: string;
  erpSnapshotId: number;
  wmsSnapshotId: number;
  skuMatching: SkuMatching | null;
}

export interface Unjoined {
  side: 'erp' | 'wms';
  /** The SKU's key under the run's rules: what rows are joined and paired by. */
  sku: string;
  /** What the difference is filed under: the ERP item master's code for the key, else this side's SKU as written. */
  item: string;
  /** The SKU as written on this side (several, comma-separated, when the rules made several texts one). */
  written: string;
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

/** The rows of positions that may differ (`src`: side, key, SKU as written, location, lot, unit, quantity). */
function suspectRows(run: CompareRun, unique: boolean, key: (column: string) => SQL): SQL {
  const E = run.erpSnapshotId;
  const W = run.wmsSnapshotId;
  if (unique) {
    const side = (id: number) =>
      sql`(select ${key('sku')} as k, sku, location, lot, uom, quantity from snapshot_rows where snapshot_id = ${id})`;
    return sql`f as (
      select coalesce(e.k, w.k) as k, coalesce(e.location, w.location) as location, coalesce(e.lot, w.lot) as lot,
             e.sku as es, e.uom as eu, e.quantity as eq, w.sku as ws, w.uom as wu, w.quantity as wq
      from ${side(E)} e full join ${side(W)} w on e.k = w.k and e.location = w.location and e.lot = w.lot
      where e.k is null or w.k is null or e.uom <> w.uom or e.quantity <> w.quantity or e.sku <> w.sku
    ), src as (
      select 'e' as side, k, es as sku, location, lot, eu as uom, eq as quantity from f where eu is not null
      union all
      select 'w', k, ws, location, lot, wu, wq from f where wu is not null
    )`;
  }
  // Each side summed per key, SKU as written, position and unit (conversion is linear: the sum of
  // a unit's rows converts as they would one by one), then per position to find the suspects.
  const rowsOf = (id: number) =>
    sql`select ${key('sku')} as k, sku, location, lot, upper(uom) as uom, sum(quantity) as quantity
      from snapshot_rows where snapshot_id = ${id} group by 1, 2, 3, 4, 5`;
  const position = (side: string) =>
    sql.raw(`(select k, location, lot, sum(quantity) as q, min(uom) as u1, max(uom) as u2, min(sku) as s1,
      max(sku) as s2 from ${side} group by k, location, lot)`);
  return sql`es as (${rowsOf(E)}), ws as (${rowsOf(W)}), f as (
      select coalesce(e.k, w.k) as k, coalesce(e.location, w.location) as location, coalesce(e.lot, w.lot) as lot
      from ${position('es')} e full join ${position('ws')} w on e.k = w.k and e.location = w.location and e.lot = w.lot
      where e.k is null or w.k is null or e.u1 <> e.u2 or w.u1 <> w.u2 or e.u1 <> w.u1 or e.q <> w.q
        or e.s1 <> e.s2 or w.s1 <> w.s2 or e.s1 <> w.s1
    ), src as (
      select 'e' as side, r.k, r.sku, r.location, r.lot, r.uom, r.quantity
      from es r join f on f.k = r.k and f.location = r.location and f.lot = r.lot
      union all
      select 'w', r.k, r.sku, r.location, r.lot, r.uom, r.quantity
      from ws r join f on f.k = r.k and f.location = r.location and f.lot = r.lot
    )`;
}

/**
 * Suspected source (SPEC 5): the txType of the latest message for the SKU and facility created
 * before the WMS snapshot was taken (a few index probes per difference, a day at a time).
 */
const sourceOf = (run: CompareRun, sku: SQL) =>
  sql`coalesce(${latestSkuTxType(
    sql`${run.facility}`,
    sku,
    sql`(select taken_at from snapshots where id =
    ${run.wmsSnapshotId})`,
  )}, 'unknown')`;

export async function compare(tx: Executor, run: CompareRun, progress: (p: number) => void) {
  const rules = run.skuMatching ?? DEFAULT_SKU_MATCHING;
  const key = (column: string) => skuKeySql(sql.raw(column), rules);
  await tx.execute(sql`delete from reconciliation_differences where run_id = ${run.id}`);
  // A hash join beats the planner's default sort-merge of two million-row sides here. (The
  // connection has JIT off, db/index.ts: compiling this long statement cost seconds the run never won back.)
  await tx.execute(sql`set local enable_mergejoin = off`);
  const [s] = await rows<{ unique: boolean }>(
    tx,
    sql`select bool_and(unique_sku_keys) as unique from snapshots where id in (${run.erpSnapshotId},
      ${run.wmsSnapshotId})`,
  );
  const unjoined = await rows<Unjoined>(
    tx,
    sql`
    with ${suspectRows(run, !!s?.unique, key)}, ei as (
      -- The ERP item of each key (the first code, when the rules make several of its codes one).
      select distinct on (k) ${key('sku')} as k, sku, base_uom, uoms from items where system = 'erp' order by k, sku
    ), conv as (
      -- Each row in base units: factor 1 for the ERP base UOM, else the ERP item's factor; a UOM the
      -- ERP item does not know is marked unknown (a SKU without an ERP item compares as counted).
      select r.side, r.k, r.sku, r.location, r.lot, upper(r.uom) as uom,
             r.quantity * coalesce(fx.f, 1) as base,
             (i.k is not null and fx.f is null) as unknown
      from src r
      left join ei i on i.k = r.k
      left join lateral (
        select case when upper(i.base_uom) = upper(r.uom) then 1::numeric
                    else (select min((u->>'toBase')::numeric) from jsonb_array_elements(i.uoms) u where upper(u->>'uom') = upper(r.uom)) end as f
      ) fx on true
    ), e as (
      select k, location, lot, sum(base) as q, bool_or(unknown) as unknown, string_agg(distinct uom, ',') as uoms,
             string_agg(distinct sku, ', ') as skus, min(sku) as sku
      from conv where side = 'e' group by k, location, lot
    ), w as (
      select k, location, lot, sum(base) as q, bool_or(unknown) as unknown, string_agg(distinct uom, ',') as uoms,
             string_agg(distinct sku, ', ') as skus, min(sku) as sku
      from conv where side = 'w' group by k, location, lot
    ), j as (
      select coalesce(e.k, w.k) as k, coalesce(e.location, w.location) as location, coalesce(e.lot, w.lot) as lot,
             coalesce(ei.sku, e.sku, w.sku) as item_sku, e.skus as eskus, w.skus as wskus,
             e.q as eq, w.q as wq, e.uoms as euoms, w.uoms as wuoms, e.k is not null and w.k is not null as joined,
             coalesce(e.unknown, false) or coalesce(w.unknown, false) or (ei.k is null and e.uoms is distinct from w.uoms) as unconvertible,
             (select array_agg((u->>'toBase')::numeric) from jsonb_array_elements(ei.uoms) u where (u->>'toBase')::numeric <> 1) as fs
      from e full join w on e.k = w.k and e.location = w.location and e.lot = w.lot
      left join ei on ei.k = coalesce(e.k, w.k)
    ), ins as (
      insert into reconciliation_differences (run_id, facility, kind, sku, erp_sku, wms_sku, location, lot, erp_uoms, wms_uoms,
        erp_quantity, wms_quantity, delta, suspected_source)
      select ${run.id}, ${run.facility},
             case when j.unconvertible
                    or exists (select 1 from unnest(j.fs) f where j.eq * f = j.wq or j.wq * f = j.eq)
                  then 'uom' else 'quantity' end,
             j.item_sku, j.eskus, j.wskus, j.location, j.lot, j.euoms, j.wuoms, j.eq, j.wq, j.wq - j.eq,
             ${sourceOf(run, sql`j.item_sku`)}
      from j where j.joined and (j.eq <> j.wq or j.unconvertible)
    ), matched as (
      update reconciliation_runs set matched_by_rule = (select count(*)::int from j where j.joined and j.eskus <> j.wskus)
      where id = ${run.id}
    )
    select case when j.eq is null then 'wms' else 'erp' end as side, j.k as sku, j.item_sku as item, coalesce(j.eskus, j.wskus) as written,
           j.location, j.lot, trim_scale(coalesce(j.eq, j.wq))::text as base, coalesce(j.euoms, j.wuoms) as uoms
    from j where not j.joined and coalesce(j.eq, j.wq) <> 0`,
  );
  progress(0.6);
  const paired = pairUnjoined(unjoined);
  if (!paired.length) return;
  const byRule = paired.filter((p) => p.erp && p.wms && p.erp.written !== p.wms.written).length;
  if (byRule)
    await tx.execute(
      sql`update reconciliation_runs set matched_by_rule = matched_by_rule + ${byRule} where id = ${run.id}`,
    );
  const records = paired.map((p) => {
    const any = (p.erp ?? p.wms)!;
    return {
      kind: p.kind,
      sku: any.item,
      erp_sku: p.erp?.written ?? null,
      wms_sku: p.wms?.written ?? null,
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
      insert into reconciliation_differences (run_id, facility, kind, sku, erp_sku, wms_sku, location, lot, wms_location,
        wms_lot, erp_uoms, wms_uoms, erp_quantity, wms_quantity, delta, suspected_source)
      select ${run.id}, ${run.facility}, r.kind, r.sku, r.erp_sku, r.wms_sku, r.location, r.lot, r.wms_location,
             r.wms_lot, r.erp_uoms, r.wms_uoms, r.erp_quantity::numeric, r.wms_quantity::numeric,
             coalesce(r.wms_quantity::numeric, 0) - coalesce(r.erp_quantity::numeric, 0), ${sourceOf(run, sql`r.sku`)}
      from jsonb_to_recordset(${JSON.stringify(records.slice(i, i + 5000))}::jsonb)
        as r(kind text, sku text, erp_sku text, wms_sku text, location text, lot text, wms_location text, wms_lot text,
          erp_uoms text, wms_uoms text, erp_quantity text, wms_quantity text)`);
  }
}
