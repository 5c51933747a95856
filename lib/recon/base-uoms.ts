/**
 * The ERP item master's base UOM of the SKUs of a snapshot file without UOMs (SPEC 10), found
 * under the facility's SKU matching rules: the item written the same way first, else the first
 * item whose code has the same key. The ERP items are read once, when the first row needs one,
 * through `ask`, which reads inside the snapshot's transaction on the embedded database (it holds the one
 * connection).
 */
import type { Ask } from '@/lib/recon/snapshot-name';
import { DEFAULT_SKU_MATCHING, skuKey, type SkuMatching } from '@/lib/sku-matching/rules';
import { EVERY_FACILITY } from '@/lib/sku-matching/settings';

export function erpBaseUoms(ask: Ask, facility: string): (skus: string[]) => Promise<Map<string, string>> {
  let index: Promise<(sku: string) => string | undefined> | null = null;
  const load = async () => {
    const [own] = await ask<SkuMatching>`
      select ignore_case as "ignoreCase", ignore_separators as "ignoreSeparators",
        ignore_leading_zeros as "ignoreLeadingZeros"
      from sku_matching_rules where facility in (${facility}, ${EVERY_FACILITY}) order by facility = ${EVERY_FACILITY}
      limit 1`;
    const rules = own ?? DEFAULT_SKU_MATCHING;
    const items = await ask<{ sku: string; uom: string }>`
      select sku, base_uom as uom from items where system = 'erp' order by sku`;
    const exact = new Map(items.map((i) => [i.sku, i.uom]));
    const byKey = new Map<string, string>();
    for (const i of items) {
      const k = skuKey(i.sku, rules);
      if (!byKey.has(k)) byKey.set(k, i.uom);
    }
    return (sku: string) => exact.get(sku) ?? byKey.get(skuKey(sku, rules));
  };
  return async (skus) => {
    index ??= load();
    const find = await index;
    const out = new Map<string, string>();
    for (const s of skus) {
      const uom = find(s);
      if (uom) out.set(s, uom);
    }
    return out;
  };
}
