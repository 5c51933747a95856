import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FLOW_STEPS, documentFindings } from '@/lib/detect/lifecycle';
import { lifecycleFindingsIn } from '@/lib/detect/lifecycle-log';
import { listStepSlas, removeStepSla, saveStepSla } from '@/lib/admin/lists/step-slas';
import { freshDb, testDb } from '@/lib/testing/db';
import { send } from '@/lib/testing/send';

const h = testDb();
const D = '2026-11-20';
const at = (time: string, day = D) => `${day}T${time}Z`;
const msg = (
  messageId: string,
  doc: string | null,
  txType: string,
  createdAt: string,
  status = 'delivered',
  processedAt: string | null = createdAt,
  facility = 'F',
  quantity = 1,
) => ({
  messageId,
  txType,
  direction: ['purchase_order', 'order_release'].includes(txType) ? 'erp_to_wms' : 'wms_to_erp',
  facility,
  correlationKey: doc,
  sku: 'S',
  quantity,
  uom: 'EA',
  status,
  attempts: 1,
  createdAt,
  processedAt: status === 'delivered' ? processedAt : null,
  ...(status === 'failed' ? { errorCode: 'E', errorMessage: 'e' } : {}),
});

beforeAll(async () => {
  const r = await send(h.db, [
    // In order, in time.
    msg('po1', 'P1', 'purchase_order', at('08:00:00')),
    msg('rc1', 'P1', 'receipt', at('09:00:00')),
    msg('pa1', 'P1', 'putaway', at('10:00:00')),
    // The receipt left five minutes before the purchase order.
    msg('po2', 'P2', 'purchase_order', at('10:00:00')),
    msg('rc2', 'P2', 'receipt', at('09:55:00')),
    // A receipt for a purchase order the log never saw, at another facility.
    msg('rc3', 'P3', 'receipt', at('11:00:00'), 'delivered', at('11:00:01'), 'G'),
    // A release delivered late; its pick created before that delivery; a shipment still pending.
    msg('or4', 'O4', 'order_release', at('12:00:00'), 'delivered', at('14:00:00')),
    msg('pk4', 'O4', 'pick', at('13:00:00')),
    msg('sh4', 'O4', 'shipment', at('13:30:00'), 'pending'),
    // Outside the day, and a message without a document.
    msg('rc5', 'P5', 'receipt', at('00:00:00', '2026-11-21')),
    msg('rc6', null, 'receipt', at('15:00:00')),
    // Not a flow step.
    msg('adj', 'A7', 'adjustment', at('16:00:00'), 'pending'),
    // Half of an order received; a case more than another.
    msg('po8', 'P8', 'purchase_order', at('16:00:00'), 'delivered', at('16:00:00'), 'F', 48),
    msg('rc8', 'P8', 'receipt', at('17:00:00'), 'delivered', at('17:00:00'), 'F', 24),
    msg('po9', 'P9', 'purchase_order', at('16:00:00'), 'delivered', at('16:00:00'), 'F', 48),
    msg('rc9', 'P9', 'receipt', at('17:00:00'), 'delivered', at('17:00:00'), 'F', 60),
  ]);
  expect(r.rejected).toEqual([]);
});

const day = { from: new Date(at('00:00:00')), to: new Date(at('00:00:00', '2026-11-21')), facility: null };
const now = new Date(at('18:00:00'));

describe('lifecycle checks over the log', () => {
  it("finds the steps of the window that break their document's flow, oldest first", async () => {
    const found = await lifecycleFindingsIn(h.db, day, now);
    expect(found.map((f) => [f.messageId, f.kinds])).toEqual([
      ['rc2', ['out_of_order']],
      ['rc3', ['missing_prerequisite']],
      ['or4', ['over_sla']],
      ['pk4', ['before_prerequisite']],
      ['sh4', ['over_sla']],
      ['rc8', ['open_quantity']],
      ['rc9', ['over_received']],
    ]);
    expect(found[0]).toEqual({
      messageId: 'rc2',
      correlationKey: 'P2',
      facility: 'F',
      txType: 'receipt',
      status: 'delivered',
      createdAt: '2026-11-20T09:55:00.000Z',
      kinds: ['out_of_order'],
    });
  });

  it('keeps to the facility, and to what is late by the time given', async () => {
    expect((await lifecycleFindingsIn(h.db, { ...day, facility: 'G' }, now)).map((f) => f.messageId)).toEqual(['rc3']);
    // At 14:00 the pending shipment has waited 30 minutes: within its SLA.
    expect((await lifecycleFindingsIn(h.db, day, new Date(at('14:00:00')))).map((f) => f.messageId)).toEqual([
      'rc2',
      'rc3',
      'or4',
      'pk4',
      'rc8',
      'rc9',
    ]);
  });

  it("reads each step's own SLA, where the admin set one", async () => {
    // Shipments late after 15 minutes: at 14:00 the pending shipment is. Releases get 3 hours: or4 (2 h) is not.
    await saveStepSla(h.db, { txType: 'shipment', slaMs: 15 * 60_000 });
    await saveStepSla(h.db, { txType: 'order_release', slaMs: 3 * 3_600_000 });
    try {
      const found = await lifecycleFindingsIn(h.db, day, new Date(at('14:00:00')));
      expect(found.filter((f) => f.kinds.includes('over_sla')).map((f) => f.messageId)).toEqual(['sh4']);
      expect(await listStepSlas(h.db)).toContainEqual({ txType: 'shipment', slaMs: 900_000, own: true });
      expect(await listStepSlas(h.db)).toContainEqual({ txType: 'receipt', slaMs: 3_600_000, own: false });
    } finally {
      await removeStepSla(h.db, 'shipment');
      await removeStepSla(h.db, 'order_release');
    }
    await expect(removeStepSla(h.db, 'shipment')).rejects.toMatchObject({ code: 'not_found' });
    await expect(saveStepSla(h.db, { txType: 'adjustment', slaMs: 10 })).rejects.toMatchObject({
      code: 'validation_failed',
      details: [
        'txType: must be a step of a flow: purchase_order, receipt, putaway, order_release, pick, shipment',
        'slaMs: at least 1 second',
      ],
    });
  });

  it('agrees with the rules applied to each whole document, on random documents', async () => {
    const g = await freshDb();
    try {
      const base = Date.parse('2026-10-01T00:00:00Z');
      const stepArb = fc.record({
        // Receipts and orders weigh more, so that order lines with several receipts are common.
        txType: fc.constantFrom(...FLOW_STEPS, 'purchase_order', 'receipt', 'receipt', 'receipt', 'adjustment'),
        minutes: fc.integer({ min: 0, max: 600 }),
        status: fc.constantFrom('delivered', 'delivered', 'pending', 'failed'),
        delayMinutes: fc.integer({ min: 0, max: 120 }),
        line: fc.constantFrom('10', '10', '20', null),
        quantity: fc.constantFrom('24', '24.000', '48', '12', '60'),
        uom: fc.constantFrom('EA', 'EA', 'EA', 'EA', 'EA', 'CASE'),
      });
      const docs = fc.sample(fc.array(stepArb, { minLength: 1, maxLength: 8 }), { numRuns: 150, seed: 20261128 });
      const sent = docs.flatMap((steps, d) =>
        steps.map((x, i) => {
          const created = base + x.minutes * 60_000 + i; // distinct instants within a document
          return {
            messageId: `D${d}-${i}`,
            txType: x.txType,
            direction: 'wms_to_erp',
            facility: d % 2 ? 'F' : 'G',
            correlationKey: `DOC-${d}`,
            lineKey: x.line,
            sku: 'S',
            quantity: x.quantity,
            uom: x.uom,
            status: x.status,
            attempts: 1,
            createdAt: new Date(created).toISOString(),
            processedAt: x.status === 'delivered' ? new Date(created + x.delayMinutes * 60_000).toISOString() : null,
            ...(x.status === 'failed' ? { errorCode: 'E', errorMessage: 'e' } : {}),
          };
        }),
      );
      expect((await send(g.db, sent)).rejected).toEqual([]);
      const nowAt = new Date(base + 8 * 3_600_000);
      const w = { from: new Date(base + 2 * 3_600_000), to: new Date(base + 6 * 3_600_000), facility: null };
      const fromSql = (await lifecycleFindingsIn(g.db, w, nowAt)).map((f) => [f.messageId, f.kinds]);
      const expected = docs.flatMap((_, d) => {
        const doc = sent
          .filter((m) => m.correlationKey === `DOC-${d}`)
          .map((m) => ({
            messageId: m.messageId,
            txType: m.txType,
            status: m.status,
            lineKey: m.lineKey,
            quantity: m.quantity,
            uom: m.uom,
            createdMs: Date.parse(m.createdAt),
            processedMs: m.processedAt ? Date.parse(m.processedAt) : null,
          }));
        return documentFindings(doc, nowAt.getTime())
          .filter(
            (f) => f.kinds.length && f.message.createdMs >= w.from.getTime() && f.message.createdMs < w.to.getTime(),
          )
          .map((f) => ({ at: f.message.createdMs, row: [f.message.messageId, f.kinds] }));
      });
      expected.sort((a, b) => a.at - b.at || ((a.row[0] as string) < (b.row[0] as string) ? -1 : 1));
      expect(expected.length).toBeGreaterThan(20);
      // Quantity findings on lines with more than one receipt are among them.
      const quantityOnShared = expected.filter((e) =>
        (e.row[1] as string[]).some((k) => k === 'open_quantity' || k === 'over_received'),
      ).length;
      expect(quantityOnShared).toBeGreaterThan(5);
      expect(fromSql).toEqual(expected.map((e) => e.row));
    } finally {
      await g.close();
    }
  });
});
