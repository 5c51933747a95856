/**
 * The master data audit (SPEC 5): item records of both systems compared field by field, and codes
 * that differ only by case, spaces or leading zeros. Recomputed whole, in the transaction of every
 * item batch that changed something (tens of thousands of items take well under a second).
 */
import { sql } from 'drizzle-orm';
import type { Executor } from '@/db';

export async function recomputeMasterData(tx: Executor) {
  await tx.execute(sql`delete from master_data_findings`);
  await tx.execute(sql`
    with e as (select * from items where system = 'erp'), w as (select * from items where system = 'wms'),
    both_sides as (
      select e.sku, e.base_uom as eb, w.base_uom as wb, e.uoms as eu, w.uoms as wu, e.lot_controlled as el,
        w.lot_controlled as wl,
             e.serial_controlled as es, w.serial_controlled as ws, e.status as est, w.status as wst
      from e join w using (sku)
    ),
    factors as (
      select b.sku, x.uom, x.side, x.f from both_sides b,
      lateral (
        select upper(u->>'uom') as uom, 'erp' as side, trim_scale((u->>'toBase')::numeric)::text as f from
          jsonb_array_elements(b.eu) u
        union all
        select upper(u->>'uom'), 'wms', trim_scale((u->>'toBase')::numeric)::text from jsonb_array_elements(b.wu) u
      ) x
    ),
    conv as (
      select sku, uom, max(f) filter (where side = 'erp') as ef, max(f) filter (where side = 'wms') as wf from factors
        group by sku, uom
    ),
    norm as (
      select system, sku, ltrim(upper(regexp_replace(sku, '\\s', '', 'g')), '0') as k from items
    )
    insert into master_data_findings (kind, sku, other_sku, field, erp_value, wms_value)
    select 'missing_in_wms', sku, null, 'item', 'present', null from e where not exists (select 1 from w where w.sku =
      e.sku)
    union all
    select 'missing_in_erp', sku, null, 'item', null, 'present' from w where not exists (select 1 from e where e.sku =
      w.sku)
    union all
    select 'base_uom', sku, null, 'baseUom', eb, wb from both_sides where upper(eb) <> upper(wb)
    union all
    select 'conversion', sku, null, 'uoms.' || uom, ef, wf from conv where ef is distinct from wf
    union all
    select 'lot_control', sku, null, 'lotControlled', el::text, wl::text from both_sides where el <> wl
    union all
    select 'serial_control', sku, null, 'serialControlled', es::text, ws::text from both_sides where es <> ws
    union all
    select 'status', sku, null, 'status', est, wst from both_sides where lower(est) <> lower(wst)
    union all
    select 'near_identical_code', a.sku, b.sku, 'sku', a.sku, b.sku
    from norm a join norm b on a.k = b.k and a.system = 'erp' and b.system = 'wms' and a.sku <> b.sku
    where not exists (select 1 from items x where x.system = 'wms' and x.sku = a.sku)
      and not exists (select 1 from items x where x.system = 'erp' and x.sku = b.sku)`);
}
