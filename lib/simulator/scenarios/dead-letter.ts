import type { Scenario } from '@/lib/simulator/scenario';

export const deadLetter = {
  world: 'A message exhausts its retries and lands in the dead-letter queue.',
  injects: 'A dead_letter record with DLQ_MAX_RETRIES.',
  detector: 'failedMessageRate; open exception (exception_handling)',
  rate: 0.003,
  hooks: {
    shipped(s, o, shipment) {
      if (!s.fires()) return;
      s.fail(shipment, 'dead_letter', 'DLQ_MAX_RETRIES', 'Message moved to dead-letter queue after 5 attempts');
      s.move('erp', o.facility, o.sku, o.location, o.lot, o.qty); // never posted after all
      s.inject(shipment.messageId);
    },
  },
  async expect(d) {
    const e = await d.q.exceptionsWith('DLQ_MAX_RETRIES');
    d.expect(e).toMatchObject({ n: d.injected, cause: 'exception_handling', resolved: 0 });
    d.expect((await d.q.kpis()).failedMessageRate).toBeGreaterThan(0);
  },
} satisfies Scenario;
