import { HOUR_MS, SKU_COUNT, skuCode } from '@/lib/simulator/model';
import type { Scenario } from '@/lib/simulator/scenario';

const SKUS = Array.from({ length: SKU_COUNT }, (_, i) => skuCode(i));

export const ownershipOverwrite = {
  world: 'A nightly ERP item batch overwrites a WMS-owned field.',
  injects: 'Nightly item_master messages changing inventory.location, failed OWN_FIELD_CONFLICT at the WMS.',
  detector: 'exceptions (ownership); ownership conflict check',
  rate: 0.3, // per facility and night
  hooks: {
    nightly(s, facility, dayStart) {
      if (!s.fires()) return;
      const t = dayStart + 2 * HOUR_MS;
      if (t >= s.endMs) return;
      const sku = s.pick(SKUS);
      const m = s.emit(
        {
          txType: 'item_master',
          direction: 'erp_to_wms',
          facility,
          correlationKey: `ITEM-${sku}`,
          lineKey: null,
          sku,
          quantity: null,
          uom: null,
          lot: null,
          location: null,
          status: 'delivered',
          payload: { field: 'inventory.location', value: 'B-99-99' },
        },
        t,
      );
      s.fail(m, 'failed', 'OWN_FIELD_CONFLICT', `Field inventory.location of ${sku} is owned by WMS; update rejected`);
      s.inject(m.messageId);
    },
  },
  async expect(d) {
    const { expect, injected, ids } = d;
    expect(await d.q.exceptionsWith('OWN_FIELD_CONFLICT')).toMatchObject({ n: injected, cause: 'ownership' });
    // The ownership check finds each of those ERP changes to a field the WMS owns, and nothing else.
    const conflicts = await d.q.ownershipConflicts();
    expect(ids).toHaveLength(injected);
    expect(conflicts.map((c) => [c.kind, c.change.system, c.change.field, c.owner])).toEqual(
      ids.map(() => ['not_owner', 'erp', 'inventory.location', 'wms']),
    );
    expect(conflicts.map((c) => c.change.messageId).sort()).toEqual([...ids].sort());
  },
} satisfies Scenario;
