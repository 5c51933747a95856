import { MINUTE_MS } from '@/lib/simulator/model';
import type { Scenario } from '@/lib/simulator/scenario';

export const sentBeforePrerequisite = {
  world: 'The receipt leaves the WMS before the purchase order was delivered to it.',
  injects: 'A receipt created before its PO is delivered, failed PREREQ_MISSING, delivered on retry.',
  detector: 'exceptions (timing); lifecycle check (out of order)',
  rate: 0.01,
  hooks: {
    receiptTime(s, r) {
      return s.fires() ? r.at - 5 * MINUTE_MS : undefined;
    },
    bookReceipt(s, r, receipt) {
      if (r.receivedAt >= r.at) return false; // sent after its order: not this scenario's
      s.move('wms', r.facility, r.sku, r.location, r.lot, r.received);
      const text = `Receipt for ${r.po} arrived before purchase order was delivered`;
      s.failThenDeliver(receipt, 'PREREQ_MISSING', text, 40 * MINUTE_MS);
      s.move('erp', r.facility, r.sku, r.location, r.lot, r.received);
      s.inject(receipt.messageId);
      return true;
    },
  },
  async expect(d) {
    const { expect, injected, ids } = d;
    expect(await d.q.exceptionsWith('PREREQ_MISSING')).toMatchObject({ n: injected, cause: 'timing' });
    // The lifecycle check names exactly the receipts sent before their purchase order, and no step of
    // another document: a putaway it also names followed one of those receipts before its retry went through.
    const early = (await d.q.lifecycleFindings()).filter(
      (f) => f.kinds.includes('out_of_order') || f.kinds.includes('before_prerequisite'),
    );
    expect(injected).toBeGreaterThan(0);
    const receipts = early.filter((f) => f.txType === 'receipt');
    expect(receipts.map((f) => f.messageId).sort()).toEqual([...ids].sort());
    expect(receipts.every((f) => f.kinds.includes('out_of_order'))).toBe(true);
    const docs = new Set(receipts.map((f) => f.correlationKey));
    const others = early.filter((f) => f.txType !== 'receipt');
    expect(
      others.every(
        (f) => f.txType === 'putaway' && docs.has(f.correlationKey) && f.kinds.includes('before_prerequisite'),
      ),
    ).toBe(true);
  },
} satisfies Scenario;
