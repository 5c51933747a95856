import { skuCode } from '@/lib/simulator/model';
import type { Scenario } from '@/lib/simulator/scenario';

/** The item only the ERP has (the WMS snapshot never lists it, with this scenario on or off). */
export const MISSING_IN_WMS = skuCode(58);

export const itemMissingInWms = {
  world: 'An item was created in the ERP but its item master never reached the WMS.',
  injects: 'An ERP-only item; purchase orders for it fail ITEM_NOT_FOUND.',
  detector: 'open exceptions (master_data); master data audit `missing_in_wms`',
  rate: 1, // applies to the item it names
  hooks: {
    wmsItem(s, item) {
      if (item.sku !== MISSING_IN_WMS) return;
      s.inject(item.sku);
      return false;
    },
    purchaseOrder(s, r, po) {
      if (r.sku !== MISSING_IN_WMS || r.at <= s.masterFaultsFrom) return false;
      s.fail(po, 'failed', 'ITEM_NOT_FOUND', `Item "${r.sku}" does not exist in WMS item master`);
      s.inject(po.messageId);
      return true;
    },
  },
  async expect(d) {
    // One injection is the item itself; the rest are purchase orders the WMS refused.
    d.expect(await d.q.exceptionsWith('ITEM_NOT_FOUND')).toMatchObject({ n: d.injected - 1, cause: 'master_data' });
    d.expect(await d.q.findingsFor('missing_in_wms')).toEqual([d.ids[0]]);
  },
} satisfies Scenario;
