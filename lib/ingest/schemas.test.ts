import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fastSnapshotRow, snapshotRow } from '@/lib/ingest/schemas';

describe('fastSnapshotRow', () => {
  it('accepts only what zod accepts, and returns what zod returns (property)', () => {
    const str = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('', ' ', ' A', 'A ', 'x'.repeat(101), 'EA', 'SKU-1'));
    const qty = fc.oneof(fc.double(), fc.integer(), fc.constantFrom('1', ' 2 ', '3.50', '-0', '.5', '1e3', 'abc', '', '+7', Infinity, NaN, 1e21), fc.string({ maxLength: 4 }));
    const opt = fc.oneof(str, fc.constant(null), fc.constant(undefined), fc.integer());
    fc.assert(
      fc.property(fc.record({ sku: opt, location: opt, lot: opt, uom: opt, quantity: fc.oneof(qty, fc.constant(null)) }, { requiredKeys: [] }), (row) => {
        const fast = fastSnapshotRow(row);
        const slow = snapshotRow.safeParse(row);
        if (fast) {
          expect(slow.success).toBe(true);
          expect(fast).toEqual(slow.data);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('takes the common rows without zod', () => {
    expect(fastSnapshotRow({ sku: 'S', location: null, lot: 'L1', uom: 'EA', quantity: 24 })).toEqual({ sku: 'S', location: '', lot: 'L1', uom: 'EA', quantity: '24' });
    expect(fastSnapshotRow({ sku: 'S', uom: 'EA', quantity: '24.000' })).toEqual({ sku: 'S', location: '', lot: '', uom: 'EA', quantity: '24.000' });
    expect(fastSnapshotRow({ sku: ' S', uom: 'EA', quantity: 1 })).toBeNull(); // zod trims it
  });
});
