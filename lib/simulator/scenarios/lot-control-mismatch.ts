import { skuCode } from '@/lib/simulator/model';
import { itemMasterFault } from '@/lib/simulator/scenario';

const ITEM = skuCode(55);

export const lotControlMismatch = itemMasterFault(ITEM, {
  world: 'The ERP treats an item as lot-controlled, the WMS does not.',
  injects: 'Item masters disagree on lotControlled; receipts fail LOT_REQUIRED.',
  detector: 'open exceptions (master_data); master data audit',
  code: 'LOT_REQUIRED',
  finding: 'lot_control',
  edit(item) {
    item.lotControlled = !item.lotControlled;
  },
  // The rest of the injections are receipts the ERP refused.
  refusals: {
    bookReceipt(s, r, receipt) {
      if (r.sku !== ITEM || r.receivedAt <= s.masterFaultsFrom) return false;
      s.move('wms', r.facility, r.sku, r.location, r.lot, r.received); // the ERP refuses it
      s.fail(receipt, 'dead_letter', 'LOT_REQUIRED', `Lot is required for item ${r.sku} in ERP`);
      s.inject(receipt.messageId);
      return true;
    },
  },
});
