import { sql } from 'drizzle-orm';
import { CASE } from '@/lib/simulator/model';
import type { Scenario } from '@/lib/simulator/scenario';

export const uomCaseVsEach = {
  world: 'The WMS reports a receipt in CASE where the ERP reads EA (or the reverse).',
  injects: 'Receipts posted to the ERP in the wrong unit; snapshots differ by the case factor.',
  detector: 'reconciliation `uom` difference',
  rate: 0.01,
  hooks: {
    receiptQuantity(s, r) {
      // The WMS counted cases but sent the number as EA.
      return r.received % CASE === 0 && s.fires() ? r.received / CASE : undefined;
    },
    bookReceipt(s, r, receipt) {
      if (r.stated * CASE !== r.received) return false;
      // A receipt read in the wrong unit is put away to a staging bin of its own, so the
      // snapshots show the position with exactly the case factor between them.
      const bin = `STAGE-${receipt.messageId.slice(-5)}`;
      s.move('wms', r.facility, r.sku, bin, r.lot, r.received);
      s.move('erp', r.facility, r.sku, bin, r.lot, r.received / CASE); // the ERP books 1/12 of what arrived
      s.inject(receipt.messageId);
      return true;
    },
  },
  async expect({ expect, q, sim, injected }) {
    expect(injected).toBeGreaterThan(0);
    for (const f of sim.facilities) expect((await q.reconcile(f)).status).toBe('succeeded');
    const [d] = await q.rows<{ n: number }>(
      sql`select count(*)::int as n from reconciliation_differences where kind = 'uom'`,
    );
    expect(d.n).toBe(injected);
  },
} satisfies Scenario;
