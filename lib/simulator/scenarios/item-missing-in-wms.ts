import { skuCode } from '@/lib/simulator/model';
import { masterDataFault, type Scenario } from '@/lib/simulator/scenario';

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
  // The rest of the injections are purchase orders the WMS refused.
  expect: masterDataFault('ITEM_NOT_FOUND', 'missing_in_wms'),
} satisfies Scenario;
