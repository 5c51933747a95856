/**
 * `duplicateManualCorrections` (SPEC 4): one-to-one pairs of an ERP and a WMS correction of the
 * same facility, sku and lot with equal quantityDelta in base units, at most 24 h apart, matched in
 * time order (each correction pairs with the earliest unmatched one of the other system).
 */
export interface CorrectionForMatch {
  correctionId: string;
  system: 'erp' | 'wms' | string;
  facility: string;
  sku: string;
  lot: string | null;
  quantityDelta: string;
  uom: string;
  atMs?: number;
  /** The ERP item master's base UOM and factors (ERP owns item data). */
  baseUom: string | null;
  uoms: { uom: string; toBase: string | number }[] | null;
}

const DAY_MS = 24 * 3_600_000;

/** quantity in base units as a canonical string, or the quantity with its UOM when the factor is unknown. */
export function baseQuantityKey(c: Pick<CorrectionForMatch, 'quantityDelta' | 'uom' | 'baseUom' | 'uoms'>): string {
  const q = Number(c.quantityDelta);
  if (c.baseUom && c.uom.toUpperCase() === c.baseUom.toUpperCase()) return String(Math.round(q * 1e9) / 1e9);
  const f = c.uoms?.find((u) => u.uom.toUpperCase() === c.uom.toUpperCase());
  if (f) return String(Math.round(q * Number(f.toBase) * 1e9) / 1e9);
  return `${Math.round(q * 1e9) / 1e9} ${c.uom.toUpperCase()}`;
}

export function matchDuplicateCorrections(list: (CorrectionForMatch & { atMs: number })[]): [string, string][] {
  const groups = new Map<string, (CorrectionForMatch & { atMs: number })[]>();
  for (const c of list) {
    const key = [c.facility, c.sku, c.lot ?? '\u0000', baseQuantityKey(c)].join('\u0001');
    const g = groups.get(key) ?? [];
    g.push(c);
    groups.set(key, g);
  }
  const pairs: [string, string][] = [];
  for (const g of groups.values()) {
    g.sort(
      (a, b) => a.atMs - b.atMs || (a.correctionId < b.correctionId ? -1 : a.correctionId > b.correctionId ? 1 : 0),
    );
    const waiting: Record<string, (CorrectionForMatch & { atMs: number })[]> = { erp: [], wms: [] };
    for (const c of g) {
      const other = c.system === 'erp' ? 'wms' : 'erp';
      const queue = waiting[other];
      while (queue.length && c.atMs - queue[0].atMs > DAY_MS) queue.shift();
      const partner = queue.shift();
      if (partner)
        pairs.push(
          c.system === 'erp' ? [c.correctionId, partner.correctionId] : [partner.correctionId, c.correctionId],
        );
      else waiting[c.system]?.push(c);
    }
  }
  return pairs;
}
