import { HOUR_MS, MINUTE_MS } from '@/lib/simulator/model';
import type { Scenario } from '@/lib/simulator/scenario';

export const cycleCountReversal = {
  world: 'A cycle count adjustment is approved, then reversed.',
  injects: 'Two cycle_count messages of opposite quantity.',
  detector: 'reversed adjustments (daily review)',
  rate: 0.1,
  hooks: {
    adjusted(s, a) {
      if (!s.fires()) return;
      const cc = a.doc('CC');
      const { facility, sku, lot, location } = a;
      const line = { txType: 'cycle_count', direction: 'wms_to_erp', facility, correlationKey: cc } as const;
      const status = 'delivered';
      const count = { ...line, lineKey: '1', sku, quantity: '5', uom: 'EA', lot, location, status } as const;
      s.emit(count, a.at + MINUTE_MS);
      s.emit({ ...count, lineKey: '2', quantity: '-5', payload: { reversal: true } }, a.at + HOUR_MS);
      s.inject(cc);
    },
  },
  async expect({ expect, q, injected, ids }) {
    expect(injected).toBeGreaterThan(0);
    expect(ids).toHaveLength(injected);
    // Each injected count and its reversal, and nothing else: the random adjustments of the same
    // positions live in documents of their own.
    const found = await q.reversals();
    expect(found.map((r) => r.reversal.correlationKey).sort()).toEqual([...ids].sort());
    expect(found.every((r) => r.original.quantity === '5' && r.reversal.quantity === '-5')).toBe(true);
  },
  testFaultRate: 2, // low enough that the ground truth lists every injected id (it keeps the first 50)
} satisfies Scenario;
