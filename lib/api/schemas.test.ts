import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fastMessageRecord, fastSnapshotRow, messageRecord, snapshotRow } from '@/lib/api/schemas';

describe('fastSnapshotRow', () => {
  it('accepts only what zod accepts, and returns what zod returns (property)', () => {
    const str = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.constantFrom('', ' ', ' A', 'A ', 'x'.repeat(101), 'EA', 'SKU-1'),
    );
    const qty = fc.oneof(
      fc.double(),
      fc.integer(),
      fc.constantFrom('1', ' 2 ', '3.50', '-0', '.5', '1e3', 'abc', '', '+7', Infinity, NaN, 1e21),
      fc.string({ maxLength: 4 }),
    );
    const opt = fc.oneof(str, fc.constant(null), fc.constant(undefined), fc.integer());
    fc.assert(
      fc.property(
        fc.record(
          { sku: opt, location: opt, lot: opt, uom: opt, quantity: fc.oneof(qty, fc.constant(null)) },
          { requiredKeys: [] },
        ),
        (row) => {
          const fast = fastSnapshotRow(row);
          const slow = snapshotRow.safeParse(row);
          if (fast) {
            expect(slow.success).toBe(true);
            expect(fast).toEqual(slow.data);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('takes the common rows without zod', () => {
    expect(fastSnapshotRow({ sku: 'S', location: null, lot: 'L1', uom: 'EA', quantity: 24 })).toEqual({
      sku: 'S',
      location: '',
      lot: 'L1',
      uom: 'EA',
      quantity: '24',
    });
    expect(fastSnapshotRow({ sku: 'S', uom: 'EA', quantity: '24.000' })).toEqual({
      sku: 'S',
      location: '',
      lot: '',
      uom: 'EA',
      quantity: '24.000',
    });
    expect(fastSnapshotRow({ sku: ' S', uom: 'EA', quantity: 1 })).toBeNull(); // zod trims it
  });
});

describe('fastMessageRecord', () => {
  it('accepts only what zod accepts, and returns what zod returns (property)', () => {
    const str = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.constantFrom('', ' ', ' A', 'A ', 'x'.repeat(201), 'DC1', 'M-1'),
    );
    const opt = fc.oneof(str, fc.constant(null), fc.constant(undefined), fc.integer());
    const ts = fc.oneof(
      fc.constantFrom(
        '2026-11-20T10:00:00Z',
        '2026-11-20T10:00:00.123456+01:00',
        '2026-11-20 10:00',
        '2026-02-30T10:00:00Z',
        '2026-11-20T10:00:00',
        '',
        'now',
      ),
      fc.constant(null),
      fc.constant(undefined),
      fc.integer(),
    );
    const qty = fc.oneof(
      fc.double(),
      fc.integer(),
      fc.constantFrom('24', '24.000', ' 2 ', '-0', '.5', '1e3', 'abc', '', Infinity, NaN),
      fc.constant(null),
      fc.constant(undefined),
    );
    const junk = fc.record(
      {
        messageId: opt,
        txType: fc.oneof(fc.constantFrom('receipt', 'shipment', 'Receipt', ''), opt),
        direction: fc.constantFrom('erp_to_wms', 'wms_to_erp', 'up', undefined),
        facility: opt,
        correlationKey: opt,
        lineKey: opt,
        sku: opt,
        quantity: qty,
        uom: opt,
        lot: opt,
        location: opt,
        customer: opt,
        status: fc.constantFrom('pending', 'retrying', 'delivered', 'failed', 'dead_letter', 'done', undefined),
        attempts: fc.oneof(fc.integer({ min: -2, max: 3 }), fc.constantFrom(1.5, 2_000_000, '1', null, undefined)),
        errorCode: opt,
        errorMessage: opt,
        createdAt: ts,
        processedAt: ts,
        updatedAt: ts,
        payload: fc.oneof(fc.constant(undefined), fc.constant(null), fc.object({ maxDepth: 1 })),
        extra: fc.oneof(fc.constant(undefined), fc.integer()),
      },
      { requiredKeys: [] },
    );
    // A plainly valid record with some of its fields replaced by anything the junk generator makes.
    const good = fc.record({
      messageId: fc.constantFrom('M-1', 'WMS-RCV-000123'),
      txType: fc.constantFrom('receipt', 'shipment'),
      direction: fc.constantFrom('erp_to_wms', 'wms_to_erp'),
      facility: fc.constantFrom('DC1', 'DC 2'),
      correlationKey: fc.constantFrom('PO-1', null, ''),
      sku: fc.constantFrom('S', null),
      customer: fc.constantFrom('ACME', null, undefined),
      quantity: fc.constantFrom('24', '24.000', 24, -1.5, null),
      status: fc.constantFrom('pending', 'delivered', 'failed'),
      createdAt: fc.constant('2026-11-20T10:00:00Z'),
      processedAt: fc.constant('2026-11-20T10:00:05.5+02:00'),
    });
    const rec = fc.tuple(good, junk, fc.integer({ min: 0, max: 3 })).map(([g, j, k]) => {
      const r: Record<string, unknown> = { ...g };
      for (const key of Object.keys(j).slice(0, k)) r[key] = (j as Record<string, unknown>)[key];
      return r;
    });
    let fastCount = 0;
    fc.assert(
      fc.property(rec, (r) => {
        const fast = fastMessageRecord(r);
        const slow = messageRecord.safeParse(r);
        if (fast) {
          fastCount++;
          expect(slow.success).toBe(true);
          expect(fast).toStrictEqual(slow.data);
        }
      }),
      { numRuns: 5000 },
    );
    // The generator must reach the fast path often enough for the property to mean something.
    expect(fastCount).toBeGreaterThan(500);
  });

  it('takes the common records without zod, and leaves the rest to it', () => {
    const ok = {
      messageId: 'M-1',
      txType: 'receipt',
      direction: 'wms_to_erp',
      facility: 'DC1',
      correlationKey: 'PO-1',
      sku: 'S',
      quantity: '24.000',
      uom: 'EA',
      status: 'delivered',
      createdAt: '2026-11-20T10:00:00Z',
      processedAt: '2026-11-20T10:00:05Z',
      payload: { a: 1 },
    };
    expect(fastMessageRecord(ok)).toStrictEqual(messageRecord.parse(ok));
    expect(fastMessageRecord({ ...ok, processedAt: null })).toBeNull(); // delivered needs processedAt: zod words it
    expect(fastMessageRecord({ ...ok, messageId: ' M-1' })).toBeNull(); // zod trims it
    expect(fastMessageRecord({ ...ok, quantity: 24 })?.quantity).toBe('24');
  });
});
