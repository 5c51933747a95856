import { describe, expect, it } from 'vitest';
import { fieldChangesOf, ownershipConflicts, type FieldChange, type OwnershipRule } from '@/lib/detect/ownership';

const H = 3_600_000;
const MATRIX: OwnershipRule[] = [
  { dataObject: 'inventory', field: 'location', owner: 'wms', precedence: null },
  { dataObject: 'item', field: 'unit_cost', owner: 'erp', precedence: null },
  { dataObject: 'item', field: 'status', owner: 'shared', precedence: 'erp wins on conflict' },
];
let seq = 0;
const change = (
  system: 'erp' | 'wms',
  field: string,
  value: string | null,
  atH: number,
  o: Partial<FieldChange> = {},
): FieldChange => ({
  messageId: `m${String(++seq).padStart(3, '0')}`,
  system,
  facility: 'F',
  sku: 'S',
  field,
  value,
  atMs: atH * H,
  ...o,
});

describe('ownership conflicts', () => {
  it('reads the field changes a message reports, by the system that sent it', () => {
    const m = { messageId: 'x', direction: 'erp_to_wms', facility: 'F', sku: 'S', createdMs: 5 };
    expect(fieldChangesOf({ ...m, payload: { field: 'inventory.location', value: 'B-99-99' } })).toEqual([
      {
        messageId: 'x',
        system: 'erp',
        facility: 'F',
        sku: 'S',
        field: 'inventory.location',
        value: 'B-99-99',
        atMs: 5,
      },
    ]);
    expect(
      fieldChangesOf({
        ...m,
        direction: 'wms_to_erp',
        payload: {
          changes: [
            { field: 'item.status', value: 'blocked' },
            { field: 'item.unit_cost', value: 12.5 },
            { nofield: 1 },
          ],
        },
      }).map((c) => [c.system, c.field, c.value]),
    ).toEqual([
      ['wms', 'item.status', 'blocked'],
      ['wms', 'item.unit_cost', '12.5'],
    ]);
    for (const payload of [null, {}, [], 'text', { field: 3 }, { changes: 'no' }])
      expect(fieldChangesOf({ ...m, payload })).toEqual([]);
  });

  it('finds a change by the system that does not own the field', () => {
    const found = ownershipConflicts(
      [
        change('erp', 'inventory.location', 'B-99-99', 1),
        change('wms', 'inventory.location', 'A-01', 2),
        change('wms', 'item.unit_cost', '3', 3),
      ],
      MATRIX,
    );
    expect(found.map((c) => [c.kind, c.change.system, c.change.field, c.owner])).toEqual([
      ['not_owner', 'erp', 'inventory.location', 'wms'],
      ['not_owner', 'wms', 'item.unit_cost', 'erp'],
    ]);
  });

  it('finds both systems changing a shared field of one item to different values within 24 hours', () => {
    const erp = change('erp', 'item.status', 'active', 1);
    const wms = change('wms', 'item.status', 'blocked', 20);
    const [c] = ownershipConflicts([wms, erp], MATRIX);
    expect(c).toMatchObject({
      kind: 'shared_disagreement',
      change: wms,
      other: erp,
      precedence: 'erp wins on conflict',
    });
    // The same value, more than 24 hours apart, another item, or one system twice: no conflict.
    expect(ownershipConflicts([erp, change('wms', 'item.status', 'active', 2)], MATRIX)).toEqual([]);
    expect(ownershipConflicts([erp, change('wms', 'item.status', 'blocked', 25.01)], MATRIX)).toEqual([]);
    expect(ownershipConflicts([erp, change('wms', 'item.status', 'blocked', 2, { sku: 'T' })], MATRIX)).toEqual([]);
    expect(ownershipConflicts([erp, change('wms', 'item.status', 'blocked', 2, { facility: 'G' })], MATRIX)).toEqual(
      [],
    );
    expect(ownershipConflicts([erp, change('erp', 'item.status', 'blocked', 2)], MATRIX)).toEqual([]);
    // Against the other system's latest change only: the WMS agreed with the ERP's second change.
    const found = ownershipConflicts(
      [erp, change('erp', 'item.status', 'blocked', 2), change('wms', 'item.status', 'blocked', 3)],
      MATRIX,
    );
    expect(found).toEqual([]);
  });

  it('leaves fields the matrix does not name alone', () => {
    expect(
      ownershipConflicts([change('erp', 'order.color', 'red', 1), change('wms', 'order.color', 'blue', 2)], MATRIX),
    ).toEqual([]);
  });
});
