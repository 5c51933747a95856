import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mergeSketch } from '@/lib/kpi/delay-sketch';

/** The plain reading of a merge: sum per bucket, drop zeros, ascending buckets. */
function reference(stored: { idx: number[]; n: number[] }, delta: Map<number, number>) {
  const sum = new Map<number, number>();
  stored.idx.forEach((b, i) => sum.set(b, stored.n[i]));
  for (const [b, d] of delta) sum.set(b, (sum.get(b) ?? 0) + d);
  const idx = [...sum.keys()].filter((b) => sum.get(b) !== 0).sort((a, c) => a - c);
  return { idx, n: idx.map((b) => sum.get(b)!) };
}

describe('mergeSketch', () => {
  it('adds a batch of per-bucket changes to a stored sketch, dropping buckets that fall to zero (property)', () => {
    const bucket = fc.integer({ min: -40, max: 40 });
    const stored = fc
      .uniqueArray(fc.tuple(bucket, fc.integer({ min: 1, max: 5 })), { selector: ([b]) => b, maxLength: 30 })
      .map((pairs) => {
        const sorted = [...pairs].sort((a, b) => a[0] - b[0]);
        return { idx: sorted.map(([b]) => b), n: sorted.map(([, n]) => n) };
      });
    const delta = fc
      .array(fc.tuple(bucket, fc.integer({ min: -5, max: 5 })), { maxLength: 30 })
      .map((pairs) => new Map(pairs));
    fc.assert(
      fc.property(stored, delta, (s, d) => {
        expect(mergeSketch(s, d)).toEqual(reference(s, d));
      }),
      { numRuns: 2000 },
    );
    // A change that empties a bucket, one that adds a new one between stored ones, one past the end.
    expect(
      mergeSketch(
        { idx: [-3, 2, 7], n: [1, 4, 2] },
        new Map([
          [2, -4],
          [5, 1],
          [9, 3],
        ]),
      ),
    ).toEqual({ idx: [-3, 5, 7, 9], n: [1, 1, 2, 3] });
  });
});
