import { MINUTE_MS } from '@/lib/simulator/model';
import { receiptOf, type Scenario } from '@/lib/simulator/scenario';

export const retryDuplicate = {
  world: 'Middleware retries after a lost acknowledgement; the ERP posts the receipt twice.',
  injects: 'A second delivered message with a new messageId and the same content, minutes after the first.',
  detector: 'duplicateCount',
  rate: 0.01,
  hooks: {
    receiptBooked(s, r, receipt) {
      if (!s.fires()) return false;
      const { facility, sku, lot, location, received } = r;
      s.emit({ ...receiptOf(r, received), attempts: 2 }, r.receivedAt + 3 * MINUTE_MS);
      s.move('erp', facility, sku, location, lot, received); // posted twice
      s.inject(receipt.messageId);
      return true;
    },
  },
  async expect({ expect, q, injected }) {
    expect(injected).toBeGreaterThan(0);
    expect((await q.kpis()).duplicateCount).toBe(injected);
  },
} satisfies Scenario;
