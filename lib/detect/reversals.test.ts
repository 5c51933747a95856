import { describe, expect, it } from 'vitest';
import { findReversals, type Adjusting } from '@/lib/detect/reversals';

const H = 3_600_000;
let seq = 0;
const adj = (quantity: string, atH: number, o: Partial<Adjusting> = {}): Adjusting => ({
  messageId: `m${String(++seq).padStart(3, '0')}`,
  correlationKey: 'CC-1',
  facility: 'F',
  txType: 'cycle_count',
  sku: 'S',
  location: 'A-1',
  lot: null,
  uom: 'EA',
  quantity,
  status: 'delivered',
  createdMs: atH * H,
  ...o,
});
const pairs = (list: Adjusting[]) => findReversals(list).map((r) => [r.original.messageId, r.reversal.messageId]);

describe('reversed adjustments', () => {
  it('pairs a count with the one that undoes it, numerically, within 24 hours', () => {
    const a = adj('5', 1);
    const b = adj('-5.000', 2);
    expect(pairs([b, a])).toEqual([[a.messageId, b.messageId]]);
    expect(pairs([adj('5', 1), adj('-5', 25.01)])).toEqual([]);
    expect(pairs([adj('5', 1), adj('-4', 2)])).toEqual([]);
    expect(pairs([adj('5', 1), adj('5', 2)])).toEqual([]);
  });

  it('matches one to one, each to the earliest it undoes', () => {
    const a = adj('5', 1);
    const b = adj('5', 2);
    const c = adj('-5', 3);
    const d = adj('-5', 4);
    const e = adj('-5', 5);
    expect(pairs([a, b, c, d, e])).toEqual([
      [a.messageId, c.messageId],
      [b.messageId, d.messageId],
    ]);
  });

  it('keeps to one document, position and unit, and to delivered adjusting messages', () => {
    expect(pairs([adj('5', 1), adj('-5', 2, { correlationKey: 'CC-2' })])).toEqual([]);
    expect(pairs([adj('5', 1), adj('-5', 2, { location: 'B-1' })])).toEqual([]);
    expect(pairs([adj('5', 1), adj('-5', 2, { lot: 'L1' })])).toEqual([]);
    expect(pairs([adj('5', 1), adj('-5', 2, { uom: 'CASE' })])).toEqual([]);
    expect(pairs([adj('5', 1), adj('-5', 2, { status: 'failed' })])).toEqual([]);
    expect(pairs([adj('5', 1, { txType: 'receipt' }), adj('-5', 2)])).toEqual([]);
    expect(pairs([adj('0', 1), adj('0', 2)])).toEqual([]);
    // An adjustment undone by a cycle count of the same document counts.
    expect(pairs([adj('3', 1, { txType: 'adjustment' }), adj('-3', 2)])).toHaveLength(1);
  });
});
