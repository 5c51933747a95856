import type { SnapshotRow } from '@/lib/api/schemas';
import { EVERY_RULE, skuKey } from '@/lib/sku-matching/rules';

/** Two independent hashes of a text: a 53-bit one (a Map key) and a 32-bit check. */
function hashes(key: string): [number, number] {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  let h3 = 0x9e3779b9;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 + c, 0x5bd1e995) ^ (h2 >>> 13);
    h3 = Math.imul(h3 ^ c, 0x85ebca6b) ^ (h3 >>> 15);
  }
  return [(h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff), h3 >>> 0];
}

const TWO_32 = 0x1_0000_0000;

/**
 * Notices a (sku, location, lot) seen twice, and a position that repeats once SKUs are compared
 * under every matching rule, through hashes of each key (Maps and Sets of numbers stay ~40 MB each
 * at a million rows). A repeated position is told by a 53-bit hash and confirmed by a second
 * 32-bit one kept beside the first row's index (at most 2^20 rows fit beside it), so a wrong
 * "repeats row n" needs both to collide. The folded check only decides whether reconciliation may
 * take its fast path: a collision there merely sends it down the slower, always-correct one.
 */
export class PositionSet {
  private seen = new Map<number, number>();
  private folded = new Set<number>();
  /** Some (sku, location, lot) occurs twice. */
  duplicate = false;
  /** Some position occurs twice once SKUs are compared under every rule (implied by `duplicate`). */
  foldedDuplicate = false;

  /** Adds the row with its index; the index of the row it repeats, if any. */
  add(r: SnapshotRow, index: number): number | undefined {
    if (!this.foldedDuplicate) {
      const [f] = hashes(`${skuKey(r.sku, EVERY_RULE)}\u0001${r.location}\u0001${r.lot}`);
      if (this.folded.has(f)) {
        this.foldedDuplicate = true;
        this.folded.clear();
      } else this.folded.add(f);
    }
    const [h, check] = hashes(`${r.sku}\u0001${r.location}\u0001${r.lot}`);
    const before = this.seen.get(h);
    if (before === undefined) {
      if (index < 0x10_0000) this.seen.set(h, index * TWO_32 + check);
      return undefined;
    }
    if (before % TWO_32 !== check) return undefined;
    this.duplicate = true;
    this.foldedDuplicate = true;
    this.folded.clear();
    return Math.floor(before / TWO_32);
  }
}
