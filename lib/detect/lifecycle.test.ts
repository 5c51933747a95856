import { describe, expect, it } from 'vitest';
import {
  PREREQUISITE,
  documentFindings,
  lifecycleFindings,
  prerequisiteIn,
  receiptQuantityIn,
  type DocumentStep,
} from '@/lib/detect/lifecycle';

const H = 3_600_000;
const NOW = 100 * H;
let seq = 0;
const step = (
  txType: string,
  createdH: number,
  status = 'delivered',
  processedH: number | null = createdH + 0.01,
  q: Partial<DocumentStep> = {},
): DocumentStep => ({
  messageId: `m${String(++seq).padStart(3, '0')}`,
  lineKey: '10',
  quantity: null,
  uom: null,
  txType,
  createdMs: createdH * H,
  status,
  processedMs: processedH === null ? null : processedH * H,
  ...q,
});
const qty = (quantity: string, uom = 'EA', lineKey = '10') => ({ quantity, uom, lineKey });

describe('lifecycle checks', () => {
  it('knows the step before each later step of the inbound and outbound flows', () => {
    expect(PREREQUISITE).toEqual({
      receipt: 'purchase_order',
      putaway: 'receipt',
      pick: 'order_release',
      shipment: 'pick',
    });
  });

  it('passes a flow that runs in order, each step delivered in time', () => {
    const doc = [step('purchase_order', 1), step('receipt', 5), step('putaway', 6)];
    expect(documentFindings(doc, NOW).map((f) => f.kinds)).toEqual([[], [], []]);
  });

  it('finds a step sent before the step before it, or before that step was delivered', () => {
    // The receipt left the WMS five minutes before the purchase order was even sent.
    expect(documentFindings([step('purchase_order', 10), step('receipt', 10 - 5 / 60)], NOW)[1].kinds).toEqual([
      'out_of_order',
    ]);
    // The purchase order was sent first but delivered after the receipt was created.
    expect(
      documentFindings([step('purchase_order', 10, 'delivered', 10.5), step('receipt', 10.2)], NOW)[1].kinds,
    ).toEqual(['before_prerequisite']);
    // ... or never delivered (failed); the failed order itself is past its SLA by now.
    expect(
      documentFindings([step('purchase_order', 10, 'failed', null), step('receipt', 11)], NOW).map((f) => f.kinds),
    ).toEqual([['over_sla'], ['before_prerequisite']]);
    // Created at the very instant of the delivery counts as after it.
    expect(documentFindings([step('order_release', 1, 'delivered', 2), step('pick', 2)], NOW)[1].kinds).toEqual([]);
  });

  it('takes the first delivery of a prerequisite sent more than once', () => {
    const doc = [
      step('pick', 1, 'failed', null),
      step('pick', 1.5, 'delivered', 3),
      step('pick', 2, 'delivered', 2.5),
      step('shipment', 2.7),
    ];
    expect(prerequisiteIn(doc, 'shipment')).toEqual({ firstCreatedMs: 1 * H, firstDeliveredMs: 2.5 * H });
    expect(documentFindings(doc, 4 * H)[3].kinds).toEqual([]);
  });

  it('finds a step whose prerequisite is not in the log', () => {
    expect(lifecycleFindings(step('putaway', 3), prerequisiteIn([step('putaway', 3)], 'putaway'), NOW)).toEqual([
      'missing_prerequisite',
    ]);
    expect(lifecycleFindings(step('putaway', 3), null, NOW)).toEqual(['missing_prerequisite']);
  });

  it('finds a step not delivered within the SLA: delivered late, or still waiting past it', () => {
    expect(lifecycleFindings(step('purchase_order', 1, 'delivered', 2.01), null, NOW)).toEqual(['over_sla']);
    expect(lifecycleFindings(step('purchase_order', 1, 'delivered', 2), null, NOW)).toEqual([]); // exactly the SLA
    expect(lifecycleFindings(step('order_release', NOW / H - 0.5, 'pending', null), null, NOW)).toEqual([]);
    expect(lifecycleFindings(step('order_release', NOW / H - 2, 'retrying', null), null, NOW)).toEqual(['over_sla']);
    expect(lifecycleFindings(step('purchase_order', 1, 'delivered', 1.5), null, NOW, 15 * 60_000)).toEqual([
      'over_sla',
    ]);
    // One SLA per step type; a type without one has the default hour.
    expect(
      lifecycleFindings(step('purchase_order', 1, 'delivered', 1.5), null, NOW, { purchase_order: 15 * 60_000 }),
    ).toEqual(['over_sla']);
    expect(lifecycleFindings(step('purchase_order', 1, 'delivered', 1.5), null, NOW, { receipt: 15 * 60_000 })).toEqual(
      [],
    );
    expect(
      lifecycleFindings(step('purchase_order', 1, 'delivered', 3.5), null, NOW, { purchase_order: 3 * H }),
    ).toEqual([]);
  });

  it('leaves types outside the flows alone', () => {
    expect(
      documentFindings([step('adjustment', 1, 'pending', null), step('transfer', 1, 'delivered', 50)], NOW).map(
        (f) => f.kinds,
      ),
    ).toEqual([[], []]);
  });

  it('on the latest receipt of an order line, finds quantity still open or received beyond the order', () => {
    const po = step('purchase_order', 1, 'delivered', 1.01, qty('48'));
    const kinds = (doc: DocumentStep[]) => documentFindings(doc, 10 * H).map((f) => f.kinds);
    // Two receipts that together make the order: nothing, and only the later one is the line's latest.
    const r1 = step('receipt', 2, 'delivered', 2.01, qty('24.000'));
    const r2 = step('receipt', 3, 'delivered', 3.01, qty('24'));
    expect(kinds([po, r1, r2])).toEqual([[], [], []]);
    expect(receiptQuantityIn([po, r1, r2], r1)).toEqual({ ordered: 48, received: 48, latest: false });
    // Half received: open on the latest receipt only.
    expect(kinds([po, r1])).toEqual([[], ['open_quantity']]);
    // A dead-lettered receipt adds nothing on the ERP side.
    expect(kinds([po, r1, step('receipt', 3, 'dead_letter', null, qty('24'))])).toEqual([
      [],
      [],
      ['over_sla', 'open_quantity'],
    ]);
    // A case more than ordered.
    expect(kinds([po, step('receipt', 2, 'delivered', 2.01, qty('60'))])).toEqual([[], ['over_received']]);
    // Two receipts at the same instant: the later message id is the latest.
    const a = step('receipt', 2, 'delivered', 2.01, { ...qty('10'), messageId: 'a' });
    const b = step('receipt', 2, 'delivered', 2.01, { ...qty('10'), messageId: 'b' });
    expect(kinds([po, a, b])).toEqual([[], [], ['open_quantity']]);
  });

  it('leaves quantities alone across units, other lines or without an order line', () => {
    const kinds = (doc: DocumentStep[]) => documentFindings(doc, 10 * H).map((f) => f.kinds);
    expect(
      kinds([
        step('purchase_order', 1, 'delivered', 1.01, qty('48')),
        step('receipt', 2, 'delivered', 2.01, qty('4', 'CASE')),
      ]),
    ).toEqual([[], []]);
    expect(
      kinds([
        step('purchase_order', 1, 'delivered', 1.01, qty('48', 'EA', '10')),
        step('receipt', 2, 'delivered', 2.01, qty('5', 'EA', '20')),
      ]),
    ).toEqual([[], []]);
    expect(
      lifecycleFindings(step('receipt', 2), { firstCreatedMs: H, firstDeliveredMs: H }, 10 * H, undefined, {
        ordered: null,
        received: 5,
        latest: true,
      }),
    ).toEqual([]);
  });
});
