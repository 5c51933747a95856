import type { Scenario } from '@/lib/simulator/scenario';

export const damagedHold = {
  world: 'Damaged stock is put on hold in the WMS.',
  injects: 'lot_status messages to HOLD.',
  detector: 'none (normal flow)',
  rate: 1,
  hooks: {
    occasional(s, d) {
      const { facility, sku, location, lot } = d;
      const ref = d.doc('HOLD');
      const m = s.emit(
        { txType: 'lot_status', direction: 'wms_to_erp', facility, correlationKey: ref, lineKey: '1', sku,
          quantity: '3', uom: 'EA', lot, location, status: 'delivered', payload: { to: 'HOLD', reason: 'DAMAGED' } },
        d.at,
      );
      s.inject(m.messageId);
    },
  },
  async expect({ expect, q, injected }) {
    expect(injected).toBeGreaterThan(0);
    expect((await q.kpis()).openExceptions).toBe(0);
  },
} satisfies Scenario;
