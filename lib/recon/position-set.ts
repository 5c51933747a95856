import type { SnapshotRow } from '@/lib/api/schemas';

/**
 * Notices a (sku, location, lot) seen twice, through a 53-bit hash of each key (a Set of numbers
 * stays ~40 MB at a million rows). A collision only reports a duplicate that is not there, which
 * sends reconciliation down its slower, always-correct path.
 */
export class PositionSet {
  private seen = new Set<number>();
  duplicate = false;
  add(r: SnapshotRow) {
    if (this.duplicate) return;
    const key = `${r.sku}\u0001${r.location}\u0001${r.lot}`;
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 + c, 0x5bd1e995) ^ (h2 >>> 13);
    }
    const h = (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
    if (this.seen.has(h)) {
      this.duplicate = true;
      this.seen.clear();
    } else this.seen.add(h);
  }
}
