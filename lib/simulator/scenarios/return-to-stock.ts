import type { Scenario } from '@/lib/simulator/scenario';

export const returnToStock = {
  world: 'A customer return is put back to stock.',
  injects: 'return messages that add stock in both systems.',
  detector: 'none (normal flow, must not raise anything)',
  rate: 1,
  hooks: {
    occasional(s, d) {
      const { facility, sku, location, lot } = d;
      const ref = d.doc('RMA');
      const m = s.emit(
        { txType: 'return', direction: 'wms_to_erp', facility, correlationKey: ref, lineKey: '1', sku, quantity: '2',
          uom: 'EA', lot, location, status: 'delivered' },
        d.at,
      );
      s.move('wms', facility, sku, location, lot, 2);
      s.move('erp', facility, sku, location, lot, 2);
      s.inject(m.messageId);
    },
  },
  async expect({ expect, q, injected }) {
    expect(injected).toBeGreaterThan(0);
    expect((await q.kpis()).openExceptions).toBe(0);
  },
} satisfies Scenario;
