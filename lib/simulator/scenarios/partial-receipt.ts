import { receiptFindings, type Scenario } from '@/lib/simulator/scenario';

export const partialReceipt = {
  world: 'The dock receives less than ordered.',
  injects: 'A receipt for part of the PO line, the rest later.',
  detector: 'lifecycle: quantity open against the PO',
  rate: 0.05,
  hooks: {
    receivedQuantity(s, r) {
      if (!s.fires()) return undefined;
      const received = Math.max(1, Math.floor(r.ordered * (0.3 + s.rand() * 0.5)));
      s.inject(r.po);
      return received;
    },
  },
  expect: receiptFindings('open_quantity'),
  testFaultRate: 1, // low enough that the ground truth lists every injected id (it keeps the first 50)
} satisfies Scenario;
