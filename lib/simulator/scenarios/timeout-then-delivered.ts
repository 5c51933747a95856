import { MINUTE_MS } from '@/lib/simulator/model';
import type { Scenario } from '@/lib/simulator/scenario';

export const timeoutThenDelivered = {
  world: 'The ERP endpoint times out; the retry goes through.',
  injects: 'A failed record (TIMEOUT) followed by a delivered one with attempts 2.',
  detector: 'firstPassFailureRate; exception opened then resolved by retry',
  rate: 0.02,
  hooks: {
    receiptBooked(s, _r, receipt) {
      if (!s.fires()) return false;
      s.failThenDeliver(receipt, 'TIMEOUT', 'ERP endpoint timed out after 30000 ms', 10 * MINUTE_MS);
      s.inject(receipt.messageId);
      return true;
    },
  },
  async expect(d) {
    const { expect, injected } = d;
    const e = await d.q.exceptionsWith('TIMEOUT');
    expect(e.n).toBe(injected);
    expect(e.resolved).toBeGreaterThanOrEqual(injected - 1); // one may still be in flight at the end
    expect((await d.q.kpis()).firstPassFailureRate).toBeGreaterThan(0);
  },
} satisfies Scenario;
