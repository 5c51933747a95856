import { CASE } from '@/lib/simulator/model';
import type { Scenario } from '@/lib/simulator/scenario';

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
  async expect(d) {
    d.expect(d.injected).toBeGreaterThan(0);
    d.expect(d.ids).toHaveLength(d.injected);
    d.expect(await d.q.quantityFindings('over_received')).toEqual(await d.q.withReceipts(d.ids));
  },
  testFaultRate: 4, // low enough that the ground truth lists every injected id (it keeps the first 50)
} satisfies Scenario;
