/**
 * The stock KPIs of SPEC 4: manual corrections (and those keyed in both systems), mismatches of the
 * latest reconciliation of each facility and their value, and the minutes spent reconciling.
 */
import { sql } from 'drizzle-orm';
import type { Executor } from '@/db';
import { matchDuplicateCorrections, type CorrectionForMatch } from '@/lib/corrections/duplicates';
import { filters, inWindow, rows } from '@/lib/kpi/kpi-sql';
import type { KpiScope } from '@/lib/kpi/kpis';

export async function correctionKpis(db: Executor, scope: KpiScope) {
  const fac = scope.facility ? sql`and c.facility = ${scope.facility}` : sql``;
  const list = await rows<CorrectionForMatch & { at_ms: number }>(
    db,
    sql`select c.correction_id as "correctionId", c.system, c.facility, c.sku, c.lot, c.quantity_delta::text as
      "quantityDelta", c.uom,
          (extract(epoch from c.at) * 1000)::float8 as at_ms, i.base_uom as "baseUom", i.uoms
        from manual_corrections c
        left join items i on i.system = 'erp' and i.sku = c.sku
        where ${inWindow('c.at', scope)} ${fac}`,
  );
  const erp = list.filter((c) => c.system === 'erp').length;
  return {
    manualCorrections: { total: list.length, erp, wms: list.length - erp },
    duplicateManualCorrections: matchDuplicateCorrections(list.map((c) => ({ ...c, atMs: Number(c.at_ms) }))).length,
  };
}

export async function reconciliationKpis(db: Executor, scope: KpiScope) {
  const fac = scope.facility ? sql`and facility = ${scope.facility}` : sql``;
  const bySource = await rows<{ source: string; n: number; value: string | null }>(
    db,
    sql`with latest as (
          select distinct on (facility) id from reconciliation_runs where status = 'succeeded' ${fac}
          order by facility, finished_at desc nulls last, id desc
        )
        select d.suspected_source as source, count(*)::float8 as n, sum(abs(d.delta) * coalesce(i.unit_cost, 0))::text
          as value
        from reconciliation_differences d left join items i on i.system = 'erp' and i.sku = d.sku
        where d.run_id in (select id from latest) group by 1`,
  );
  const mismatchesBySource: Record<string, number> = {};
  let mismatches = 0;
  let mismatchValue = 0;
  for (const r of bySource) {
    mismatchesBySource[r.source] = Number(r.n);
    mismatches += Number(r.n);
    mismatchValue += Number(r.value ?? 0);
  }
  const [minutes] = await rows<{ m: number }>(
    db,
    sql`select (
          coalesce((select sum(effort_minutes) from exceptions where state = 'resolved'
            and ${inWindow('resolved_at', scope)} ${filters(scope)}), 0) +
          coalesce((select sum(effort_minutes) from manual_corrections
            where ${inWindow('at', scope)} ${fac}), 0)
        )::float8 as m`,
  );
  return {
    mismatches,
    mismatchesBySource,
    mismatchValue: Math.round(mismatchValue * 1e6) / 1e6,
    reconciliationMinutes: Number(minutes?.m ?? 0),
  };
}
