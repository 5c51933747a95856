import { raisesNothing, type Scenario } from '@/lib/simulator/scenario';

export const serialCorrection = {
  world: 'A wrong serial number is corrected.',
  injects: 'serial_update messages.',
  detector: 'none (normal flow)',
  rate: 1,
  hooks: {
    occasional(s, d) {
      const { facility, sku, location } = d;
      const ref = d.doc('SER');
      const payload = { from: `SN${s.seq()}`, to: `SN${s.seq() + 1}` };
      const m = s.emit(
        {
          txType: 'serial_update',
          direction: 'wms_to_erp',
          facility,
          correlationKey: ref,
          lineKey: '1',
          sku,
          quantity: '1',
          uom: 'EA',
          lot: null,
          location,
          status: 'delivered',
          payload,
        },
        d.at,
      );
      s.inject(m.messageId);
    },
  },
  expect: raisesNothing,
} satisfies Scenario;
