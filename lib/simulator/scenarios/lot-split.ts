import { sql } from 'drizzle-orm';
import type { Scenario } from '@/lib/simulator/scenario';

export const lotSplit = {
  world: 'A lot is split in the WMS; the ERP receives one adjustment per lot, and may not know the new lot.',
  injects:
    'Paired adjustments moving 4 units to a new lot; the fault: the ERP refuses the new lot (LOT_NOT_FOUND), ' +
    'so only the WMS holds it.',
  detector: 'open exceptions (master_data); reconciliation `missing_in_erp` at the new lot',
  rate: 0.25,
  hooks: {
    occasional(s, d) {
      const { facility, sku, location, lot } = d;
      if (!lot) return; // only lot-controlled items split
      const ref = d.doc('SPLIT');
      // Four units move to a new lot of their own. Most splits post in both systems (normal
      // flow); the fault: the ERP does not know the new lot and refuses its half, so the
      // units leave the old lot in both systems but reach the new one only in the WMS.
      const split = `${lot}-S${s.seq()}`;
      const line = { txType: 'adjustment', direction: 'wms_to_erp', facility, correlationKey: ref } as const;
      const status = 'delivered';
      s.emit({ ...line, lineKey: '1', sku, quantity: '-4', uom: 'EA', lot, location, status }, d.at);
      const half = { ...line, lineKey: '2', sku, quantity: '4', uom: 'EA', lot: split, location, status } as const;
      const into = s.emit(half, d.at + 1000);
      s.move('wms', facility, sku, location, lot, -4);
      s.move('wms', facility, sku, location, split, 4);
      s.move('erp', facility, sku, location, lot, -4);
      if (s.fires()) {
        s.fail(into, 'failed', 'LOT_NOT_FOUND', `Lot ${split} does not exist for item ${sku} in ERP`);
        s.inject(into.messageId);
      } else s.move('erp', facility, sku, location, split, 4);
    },
  },
  async expect(d) {
    const { expect, q, sim, injected, ids } = d;
    expect(injected).toBeGreaterThan(0);
    expect(ids).toHaveLength(injected);
    expect(await d.q.exceptionsWith('LOT_NOT_FOUND')).toMatchObject({ n: injected, cause: 'master_data', resolved: 0 });
    for (const f of sim.facilities) expect((await q.reconcile(f)).status).toBe('succeeded');
    // Exactly the refused lots, each with the 4 units only the WMS holds (manual corrections, which
    // every run has, make differences of their own at the items' usual lots).
    const refused = sim.messages
      .filter((m) => ids.includes(m.messageId))
      .map((m) => `missing_in_erp ${m.facility} ${m.sku} ${m.location} ${m.lot} 4`);
    const found = await q.rows<{ d: string }>(
      sql`select concat_ws(' ', kind, facility, sku, location, lot, delta::int) as d
          from reconciliation_differences where lot like '%-S%'`,
    );
    expect(found.map((r) => r.d).sort()).toEqual(refused.sort());
  },
} satisfies Scenario;
