import { raisesNothing, wmsNotice, type Scenario } from '@/lib/simulator/scenario';

export const returnToStock = {
  world: 'A customer return is put back to stock.',
  injects: 'return messages that add stock in both systems.',
  detector: 'none (normal flow, must not raise anything)',
  rate: 1,
  hooks: {
    occasional(s, d) {
      wmsNotice(s, d, { txType: 'return', prefix: 'RMA', quantity: '2' });
      s.move('wms', d.facility, d.sku, d.location, d.lot, 2);
      s.move('erp', d.facility, d.sku, d.location, d.lot, 2);
    },
  },
  expect: raisesNothing,
} satisfies Scenario;
