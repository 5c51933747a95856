/**
 * The ERP item master's base UOM of the SKUs of a snapshot file without UOMs (SPEC 10), found
 * under the facility's SKU matching rules: the item written the same way first, else the first
 * item whose code has the same key. The ERP items are read once, when the first row needs one.
 */
import { sql } from 'drizzle-orm';
import { rows, type Executor } from '@/db';
import { skuKey } from '@/lib/sku-matching/rules';
import { skuMatchingFor } from '@/lib/sku-matching/settings';

export function erpBaseUoms(db: Executor, facility: string): (skus: string[]) => Promise<Map<string, string>> {
  let index: Promise<(sku: string) => string | undefined> | null = null;
  const load = async () => {
    const rules = await skuMatchingFor(db, facility);
    const items = await rows<{ sku: string; uom: string }>(
      db,
      sql`select sku, base_uom as uom from items where system = 'erp' order by sku`,
    );
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
