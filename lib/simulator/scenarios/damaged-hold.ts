import { raisesNothing, wmsNotice, type Scenario } from '@/lib/simulator/scenario';

export const damagedHold = {
  world: 'Damaged stock is put on hold in the WMS.',
  injects: 'lot_status messages to HOLD.',
  detector: 'none (normal flow)',
  rate: 1,
  hooks: {
    occasional(s, d) {
      wmsNotice(s, d, {
        txType: 'lot_status',
        prefix: 'HOLD',
        quantity: '3',
        payload: { to: 'HOLD', reason: 'DAMAGED' },
      });
    },
  },
  expect: raisesNothing,
} satisfies Scenario;
