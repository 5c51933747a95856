/**
 * Reversed stock adjustments (the simulator's `cycle_count_reversal`): within one document, an
 * adjustment or cycle count whose delivered quantity undoes an earlier delivered one of the same
 * SKU, location, lot and unit, at most 24 hours later. Each is matched once, to the earliest
 * unmatched one it undoes, in time order. A reversal is not wrong in itself; counted and reviewed,
 * it shows counts approved too early.
 */
export const REVERSAL_WINDOW_MS = 24 * 3_600_000;
export const ADJUSTING_TYPES = ['adjustment', 'cycle_count'] as const;

export interface Adjusting {
  messageId: string;
  correlationKey: string;
  facility: string;
  txType: string;
  sku: string | null;
  location: string | null;
  lot: string | null;
  uom: string | null;
  quantity: string | null;
  status: string;
  createdMs: number;
}

export interface Reversal {
  original: Adjusting;
  reversal: Adjusting;
}

/** The reversals among one document's (or several documents') adjusting messages, in time order. */
export function findReversals(messages: readonly Adjusting[], windowMs = REVERSAL_WINDOW_MS): Reversal[] {
  // Only messages of one document and position can pair: group first, so a day of ten thousand
  // single-message documents costs one pass, not a pass per message.
  const groups = new Map<string, Adjusting[]>();
  for (const m of messages) {
    if (
      m.status !== 'delivered' ||
      m.quantity === null ||
      Number(m.quantity) === 0 ||
      !(ADJUSTING_TYPES as readonly string[]).includes(m.txType)
    )
      continue;
    const key = JSON.stringify([m.correlationKey, m.facility, m.sku, m.location, m.lot, m.uom]);
    const g = groups.get(key);
    if (g) g.push(m);
    else groups.set(key, [m]);
  }
  const out: Reversal[] = [];
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    g.sort((a, b) => a.createdMs - b.createdMs || (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0));
    const used = new Set<string>();
    g.forEach((m, i) => {
      if (used.has(m.messageId)) return;
      // The earliest unmatched one it undoes, within the window.
      const o = g
        .slice(0, i)
        .find(
          (x) =>
            !used.has(x.messageId) &&
            m.createdMs - x.createdMs <= windowMs &&
            Number(x.quantity) + Number(m.quantity) === 0,
        );
      if (!o) return;
      used.add(o.messageId).add(m.messageId);
      out.push({ original: o, reversal: m });
    });
  }
  return out.sort(
    (a, b) => a.reversal.createdMs - b.reversal.createdMs || (a.reversal.messageId < b.reversal.messageId ? -1 : 1),
  );
}
