/**
 * Read side of manual corrections: a paged, filtered list for the page, a keyset iterator for its
 * CSV export, the trend by system and reason, and the ERP/WMS pairs that correct the same thing
 * twice (SPEC 4, `duplicateManualCorrections`).
 */
import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { inWindow, isoText, rows, type Executor } from '@/db';
import { keyset, paged } from '@/db/paging';
import { SYSTEMS } from '@/db/schema';
import { matchDuplicateCorrections, type CorrectionForMatch } from '@/lib/corrections/duplicates';
import { bucketStarts, seriesGrain } from '@/lib/time';
import { filterText as text, pageNumber as page } from '@/lib/validation';

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
const correctionSelect = sql`correction_id as "correctionId", system, facility, sku, location, lot,
  trim_scale(quantity_delta)::text as "quantityDelta", uom,
  reason_code as "reasonCode", user_name as "userName", ${isoText('at')} as at, effort_minutes as "effortMinutes"`;

export function listCorrections(db: Executor, f: CorrectionFilters, w: Window) {
  return paged<CorrectionRow>(db, correctionFrom(f, w), correctionSelect, sql`at desc, correction_id`, f.page);
}

export function iterateCorrections(db: Executor, f: CorrectionFilters, w: Window): AsyncGenerator<CorrectionRow[]> {
  const select = sql`select ${correctionSelect} ${correctionFrom(f, w)}`;
  return keyset<CorrectionRow, { at: string; id: string }>(
    db,
    (after) => sql`${select} ${after ? sql`and (at, correction_id) > (${after.at}::timestamptz, ${after.id})` : sql``}
      order by at, correction_id`,
    (last) => ({ at: last.at, id: last.correctionId }),
    5000,
  );
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
      sql`select to_char(date_trunc(${grain}, at at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:MI:SS".000Z"') as t, count(*)
        filter (where system = 'erp')::int as erp,
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
    sql`select c.correction_id as "correctionId", c.system, c.facility, c.sku, c.location, c.lot,
      trim_scale(c.quantity_delta)::text as "quantityDelta", c.uom,
          c.reason_code as "reasonCode", c.user_name as "userName", ${isoText('c.at')} as at, c.effort_minutes as
            "effortMinutes",
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
