import { CASE, HOUR_MS, MINUTE_MS } from '@/lib/simulator/model';
import type { Scenario } from '@/lib/simulator/scenario';

export const interFacilityTransfer = {
  world: 'Stock moves between facilities; the receiving side posts late.',
  injects: 'transfer out of one facility and in at another, the second with a long delay.',
  detector: 'delay KPIs for transfer',
  rate: 1,
  hooks: {
    transfer(s, d) {
      const { facility, sku, location, lot } = d;
      const to = s.pick(s.facilities.filter((x) => x !== facility));
      const tr = d.doc('TR');
      const qty = CASE;
      // One leg of the transfer: out of `at` (a negative quantity) or into it.
      const leg = (at: string, lineKey: 'OUT' | 'IN', quantity: number) =>
        ({
          txType: 'transfer',
          direction: 'wms_to_erp',
          facility: at,
          correlationKey: tr,
          lineKey,
          sku,
          quantity: String(quantity),
          uom: 'EA',
          lot,
          location,
          status: 'delivered',
        }) as const;
      s.emit(leg(facility, 'OUT', -qty), d.at);
      const x = s.emit(leg(to, 'IN', qty), d.at + 6 * HOUR_MS, 45 * MINUTE_MS);
      s.inject(x.messageId);
      s.move('wms', facility, sku, location, lot, -qty);
      s.move('erp', facility, sku, location, lot, -qty);
      s.move('wms', to, sku, location, lot, qty);
      s.move('erp', to, sku, location, lot, qty);
    },
  },
  async expect({ expect, q, injected }) {
    expect(injected).toBeGreaterThan(0);
    const k = await q.kpis({ txType: 'transfer' });
    expect(k.p95ProcessingDelayMs!).toBeGreaterThan(40 * 60_000);
  },
} satisfies Scenario;
