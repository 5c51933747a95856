import { beforeAll, describe, expect, it } from 'vitest';
import { ownershipConflictsIn } from '@/lib/detect/ownership-log';
import { testDb } from '@/lib/testing/db';
import { send } from '@/lib/testing/send';

const h = testDb();
const msg = (
  messageId: string,
  direction: string,
  facility: string,
  sku: string,
  createdAt: string,
  payload: unknown,
) => ({
  messageId,
  txType: 'item_master',
  direction,
  facility,
  correlationKey: `ITEM-${sku}`,
  sku,
  status: 'delivered',
  attempts: 1,
  createdAt,
  processedAt: createdAt,
  payload,
});

beforeAll(async () => {
  const r = await send(h.db, [
    // The ERP moves stock the WMS owns; the WMS moves it itself (its own field).
    msg('e1', 'erp_to_wms', 'F', 'S', '2026-11-20T02:00:00Z', { field: 'inventory.location', value: 'B-99-99' }),
    msg('w1', 'wms_to_erp', 'F', 'S', '2026-11-20T03:00:00Z', { field: 'inventory.location', value: 'A-01' }),
    // A shared field: the ERP the evening before, the WMS that morning with another value.
    msg('e2', 'erp_to_wms', 'G', 'T', '2026-11-19T20:00:00Z', { changes: [{ field: 'item.status', value: 'active' }] }),
    msg('w2', 'wms_to_erp', 'G', 'T', '2026-11-20T06:00:00Z', {
      changes: [
        { field: 'item.status', value: 'blocked' },
        { field: 'item.unit_cost', value: 9 },
      ],
    }),
    // The day before the window: not reported.
    msg('e0', 'erp_to_wms', 'F', 'S', '2026-11-19T02:00:00Z', { field: 'inventory.location', value: 'C-1' }),
    // Payloads that report nothing.
    msg('n1', 'erp_to_wms', 'F', 'S', '2026-11-20T04:00:00Z', { note: 'no field' }),
    msg('n2', 'erp_to_wms', 'F', 'S', '2026-11-20T05:00:00Z', ['field']),
  ]);
  expect(r.rejected).toEqual([]);
});

const day = { from: new Date('2026-11-20T00:00:00Z'), to: new Date('2026-11-21T00:00:00Z'), facility: null };

describe('ownership conflicts over the log', () => {
  it('finds changes by the system that does not own a field, and shared fields changed both ways, in the window', async () => {
    const found = await ownershipConflictsIn(h.db, day);
    expect(found.map((c) => [c.kind, c.change.messageId, c.change.field, c.other?.messageId ?? null])).toEqual([
      ['not_owner', 'e1', 'inventory.location', null],
      ['shared_disagreement', 'w2', 'item.status', 'e2'],
      ['not_owner', 'w2', 'item.unit_cost', null],
    ]);
    expect((await ownershipConflictsIn(h.db, { ...day, facility: 'G' })).map((c) => c.change.messageId)).toEqual([
      'w2',
      'w2',
    ]);
  });
});
