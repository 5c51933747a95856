import { CASE } from '@/lib/simulator/model';
import { receiptFindings, type Scenario } from '@/lib/simulator/scenario';

export const overReceipt = {
  world: 'The dock receives more than ordered.',
  injects: 'A receipt above the PO quantity.',
  detector: 'lifecycle: over-receipt',
  rate: 0.02,
  hooks: {
    receivedQuantity(s, r) {
      if (!s.fires()) return undefined;
      s.inject(r.po);
      return r.ordered + CASE;
    },
  },
  expect: receiptFindings('over_received'),
  testFaultRate: 4, // low enough that the ground truth lists every injected id (it keeps the first 50)
} satisfies Scenario;
