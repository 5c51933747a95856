import { skuCode } from '@/lib/simulator/model';
import { itemMasterFault } from '@/lib/simulator/scenario';

/** The item only the ERP has (the WMS snapshot never lists it, with this scenario on or off). */
export const MISSING_IN_WMS = skuCode(58);

export const itemMissingInWms = itemMasterFault(MISSING_IN_WMS, {
  world: 'An item was created in the ERP but its item master never reached the WMS.',
  injects: 'An ERP-only item; purchase orders for it fail ITEM_NOT_FOUND.',
  detector: 'open exceptions (master_data); master data audit `missing_in_wms`',
  code: 'ITEM_NOT_FOUND',
  finding: 'missing_in_wms',
  edit: () => false,
  // The rest of the injections are purchase orders the WMS refused.
  refusals: {
    purchaseOrder(s, r, po) {
      if (r.sku !== MISSING_IN_WMS || r.at <= s.masterFaultsFrom) return false;
      s.fail(po, 'failed', 'ITEM_NOT_FOUND', `Item "${r.sku}" does not exist in WMS item master`);
      s.inject(po.messageId);
      return true;
    },
  },
});
