/**
 * The master data audit (SPEC 5): item records of both systems compared field by field, and codes
 * that differ only by case, spaces or leading zeros. Codes are compared under the default SKU
 * matching rules (SPEC 10; item masters belong to no facility): an ERP and a WMS item whose codes
 * the rules make one are the same item — compared field by field, missing on neither side — and
 * their codes, as written, are near-identical. Recomputed whole, in the transaction of every item
 * batch that changed something and whenever the default rules change (tens of thousands of items
 * take well under a second).
 */
import { sql } from 'drizzle-orm';
import type { Executor } from '@/db';
import { skuKeySql } from '@/lib/sku-matching/rules';
import { EVERY_FACILITY, skuMatchingFor } from '@/lib/sku-matching/settings';

export async function recomputeMasterData(tx: Executor) {
  const rules = await skuMatchingFor(tx, EVERY_FACILITY);
  const key = skuKeySql(sql.raw('sku'), rules);
  await tx.execute(sql`delete from master_data_findings`);
  await tx.execute(sql`
    with e as (select *, ${key} as k from items where system = 'erp'),
    w as (select *, ${key} as k from items where system = 'wms'),
    -- An ERP and a WMS item are one: the same code, or codes the rules make one where neither has its exact twin.
    pairs as (
      select e.sku as esku, w.sku as wsku from e join w on e.k = w.k
      where e.sku = w.sku or (not exists (select 1 from w x where x.sku = e.sku)
        and not exists (select 1 from e x where x.sku = w.sku))
    ),
    both_sides as (
      select p.esku as sku, p.wsku, e.base_uom as eb, w.base_uom as wb, e.uoms as eu, w.uoms as wu,
             e.lot_controlled as el, w.lot_controlled as wl,
             e.serial_controlled as es, w.serial_controlled as ws, e.status as est, w.status as wst
      from pairs p join e on e.sku = p.esku join w on w.sku = p.wsku
    ),
    factors as (
      select b.sku, b.wsku, x.uom, x.side, x.f from both_sides b,
      lateral (
        select upper(u->>'uom') as uom, 'erp' as side, trim_scale((u->>'toBase')::numeric)::text as f from
          jsonb_array_elements(b.eu) u
        union all
        select upper(u->>'uom'), 'wms', trim_scale((u->>'toBase')::numeric)::text from jsonb_array_elements(b.wu) u
      ) x
    ),
    conv as (
      select sku, uom, max(f) filter (where side = 'erp') as ef, max(f) filter (where side = 'wms') as wf from factors
        group by sku, wsku, uom
    ),
    norm as (
      select system, sku, ltrim(upper(regexp_replace(sku, '\\s', '', 'g')), '0') as k from items
    ),
    near as (
      select a.sku as esku, b.sku as wsku from norm a join norm b on a.k = b.k and a.system = 'erp' and b.system = 'wms'
      union
      select esku, wsku from pairs
    )
    insert into master_data_findings (kind, sku, other_sku, field, erp_value, wms_value)
    select 'missing_in_wms', sku, null, 'item', 'present', null from e where not exists (select 1 from w where w.k =
      e.k)
    union all
    select 'missing_in_erp', sku, null, 'item', null, 'present' from w where not exists (select 1 from e where e.k =
      w.k)
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
    select 'near_identical_code', n.esku, n.wsku, 'sku', n.esku, n.wsku
    from near n
    where n.esku <> n.wsku
      and not exists (select 1 from items x where x.system = 'wms' and x.sku = n.esku)
      and not exists (select 1 from items x where x.system = 'erp' and x.sku = n.wsku)`);
}
