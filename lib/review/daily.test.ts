import { beforeAll, describe, expect, it } from 'vitest';
import { ingestCorrections } from '@/lib/ingest/feeds';
import { testDb } from '@/lib/testing/db';
import { send } from '@/lib/testing/send';
import { testCorrection } from '@/lib/testing/records';
import {
  comparedFlows,
  failuresOfDay,
  flowsBetweenSystems,
  kpiChecks,
  normalBand,
  openExceptionsByAge,
} from '@/lib/review/daily';
import { reviewPeriod } from '@/lib/review/period';
import { getSignoff, signOff, signoffInput } from '@/lib/review/signoff';

const h = testDb();
const D = '2026-11-20';
const at = (day: string, time: string) => `${day}T${time}Z`;
const msg = (
  messageId: string,
  o: {
    txType?: string;
    facility?: string;
    createdAt: string;
    status: string;
    processedAt?: string;
    updatedAt?: string;
    errorCode?: string;
    attempts?: number;
  },
) => ({
  messageId,
  txType: o.txType ?? 'receipt',
  direction: 'wms_to_erp',
  facility: o.facility ?? 'F',
  correlationKey: `DOC-${messageId}`,
  sku: 'S',
  quantity: 1,
  uom: 'EA',
  status: o.status,
  attempts: o.attempts ?? 1,
  createdAt: o.createdAt,
  processedAt: o.processedAt ?? null,
  updatedAt: o.updatedAt,
  errorCode: o.errorCode ?? null,
  errorMessage: o.errorCode ? `${o.errorCode} happened` : null,
});
const correction = (correctionId: string, system: string, time: string, qty: number) =>
  testCorrection(correctionId, system, time, {
    facility: 'F',
    location: 'A-1',
    quantityDelta: qty,
    reasonCode: 'count',
    user: 'u',
  });

beforeAll(async () => {
  const res = await send(h.db, [
    msg('r1', { createdAt: at(D, '00:00:00'), status: 'delivered', processedAt: at(D, '00:00:10') }),
    msg('r2', { createdAt: at(D, '12:00:00'), status: 'delivered', processedAt: at(D, '12:00:30') }),
    msg('r3', {
      createdAt: at(D, '23:59:59.999'),
      status: 'failed',
      updatedAt: at(D, '23:59:59.999'),
      errorCode: 'TIMEOUT',
    }),
    msg('r4', {
      createdAt: at('2026-11-21', '00:00:00'),
      status: 'delivered',
      processedAt: at('2026-11-21', '00:00:01'),
    }),
    msg('r5', { createdAt: at('2026-11-19', '23:59:59'), status: 'pending' }),
    msg('r6', { createdAt: at(D, '06:00:00'), status: 'pending' }),
    msg('r7', { createdAt: at(D, '07:00:00'), status: 'retrying', attempts: 2 }),
    msg('s1', {
      txType: 'shipment',
      createdAt: at(D, '08:00:00'),
      status: 'dead_letter',
      updatedAt: at(D, '08:00:00'),
      errorCode: 'DLQ_MAX_RETRIES',
    }),
    msg('a1', {
      txType: 'adjustment',
      facility: 'G',
      createdAt: at(D, '09:00:00'),
      status: 'delivered',
      processedAt: at(D, '09:00:01'),
    }),
    // Opened ten days before, still open; opened and resolved by retry that day; opened the next morning.
    msg('old', {
      createdAt: at('2026-11-10', '10:00:00'),
      status: 'failed',
      updatedAt: at('2026-11-10', '10:00:00'),
      errorCode: 'ITEM_NOT_FOUND',
    }),
    msg('retried', {
      createdAt: at(D, '10:00:00'),
      status: 'failed',
      updatedAt: at(D, '10:00:00'),
      errorCode: 'TIMEOUT',
    }),
    msg('retried', {
      createdAt: at(D, '10:00:00'),
      status: 'delivered',
      processedAt: at(D, '11:00:00'),
      updatedAt: at(D, '11:00:00'),
      attempts: 2,
    }),
    msg('early', {
      createdAt: at('2026-11-21', '05:30:00'),
      status: 'failed',
      updatedAt: at('2026-11-21', '05:30:00'),
      errorCode: 'MAP_STATUS',
    }),
  ]);
  expect(res.rejected).toEqual([]);
  await ingestCorrections(
    h.db,
    [
      correction('e1', 'erp', at(D, '09:00:00'), 5),
      correction('w1', 'wms', at(D, '10:00:00'), 5),
      correction('e2', 'erp', at(D, '11:00:00'), 3),
    ].map((value) => ({ value, raw: JSON.stringify(value) })),
    'test',
  );
});

const day = (d = D, facility?: string) => reviewPeriod('daily', { day: d, facility }, new Date('2026-11-28T01:00:00Z'));

describe('the daily review', () => {
  it('counts open exceptions by transaction type and age, now', async () => {
    const now = new Date(at('2026-11-21', '06:00:00'));
    expect(await openExceptionsByAge(h.db, null, now)).toEqual([
      // r3 (6 h) and old (over 10 days); early (30 min) — retried is resolved.
      { txType: 'receipt', ages: [1, 1, 0, 0, 1], total: 3 },
      { txType: 'shipment', ages: [0, 1, 0, 0, 0], total: 1 },
    ]);
    expect(await openExceptionsByAge(h.db, 'G', now)).toEqual([]);
    // Read earlier than the latest opening (a clock behind the sender's): that one is the youngest.
    expect((await openExceptionsByAge(h.db, null, new Date(at('2026-11-21', '05:00:00'))))[0]).toEqual({
      txType: 'receipt',
      ages: [1, 1, 0, 0, 1],
      total: 3,
    });
  });

  it('counts the failures of the day by type and root cause, and how many are still open', async () => {
    const f = await failuresOfDay(h.db, day());
    expect(f.map((x) => [x.txType, x.total, x.open])).toEqual([
      ['receipt', 2, 1],
      ['shipment', 1, 1],
    ]);
    // ROOT_CAUSES order: ownership, master_data, timing, mapping, exception_handling, unclassified.
    expect(f[0].byCause).toEqual([0, 0, 2, 0, 0, 0]);
    expect(f[1].byCause).toEqual([0, 0, 0, 0, 1, 0]);
    expect(await failuresOfDay(h.db, day('2026-11-21'))).toEqual([
      { txType: 'receipt', byCause: [0, 0, 0, 1, 0, 0], total: 1, open: 1 },
    ]);
  });

  it('compares the receipts, shipments and adjustments sent that day with what the other system posted', async () => {
    const flows = await comparedFlows(h.db, day());
    expect(flows).toEqual([
      // r1, r2, r3, r6, r7 and retried: the day's first instant counts, the next day's does not.
      {
        txType: 'receipt',
        direction: 'wms_to_erp',
        sent: 6,
        posted: 3,
        failed: 1,
        waiting: 2,
        avgDelayMs: (10_000 + 30_000 + 3_600_000) / 3,
      },
      { txType: 'shipment', direction: 'wms_to_erp', sent: 1, posted: 0, failed: 1, waiting: 0, avgDelayMs: null },
      { txType: 'adjustment', direction: 'wms_to_erp', sent: 1, posted: 1, failed: 0, waiting: 0, avgDelayMs: 1000 },
    ]);
    const atF = await comparedFlows(h.db, day(D, 'F'));
    expect(atF.find((x) => x.txType === 'adjustment')).toMatchObject({ sent: 0, posted: 0 });
    // Every type with traffic, busiest first, and the same from the daily rollups for whole days.
    const all = await flowsBetweenSystems(h.db, day());
    expect(all.map((f) => [f.txType, f.sent])).toEqual([
      ['receipt', 6],
      ['adjustment', 1],
      ['shipment', 1],
    ]);
    expect(await flowsBetweenSystems(h.db, day(), { grain: 'daily' })).toEqual(all);
  });

  it('flags a KPI outside its threshold or the normal band of the week before', async () => {
    const checks = await kpiChecks(h.db, day());
    const by = Object.fromEntries(checks.map((c) => [c.key, c]));
    // Eight messages that day; the seven days before had 0, 0, 0, 0, 0, 0 and 1 (r5): a band of 0 to 0.9.
    expect(by.messages).toMatchObject({ value: 8, low: 0, band: 'above', flagged: true });
    expect(by.messages.high).toBeCloseTo(1 / 7 + 2 * Math.sqrt(1 / 7), 9);
    expect(by.failedMessageRate).toMatchObject({ value: 2 / 8, tone: 'bad', flagged: true });
    // One pair keyed twice (e1 and w1), at the amber threshold of 1.
    expect(by.duplicateManualCorrections).toMatchObject({ value: 1, tone: 'warn', flagged: true });
    expect(by.manualCorrections).toMatchObject({ value: 3 });
    // A KPI inside its band and its threshold is not flagged; the band says where the value lies.
    expect(by.duplicateCount).toMatchObject({ value: 0, low: 0, high: 0, band: 'within', tone: 'ok', flagged: false });
    expect(checks.some((c) => c.key === 'openExceptions' || c.key === 'mismatchValue')).toBe(false);
    // The next day is measured against a week that includes this one.
    const next = Object.fromEntries((await kpiChecks(h.db, day('2026-11-21'))).map((c) => [c.key, c]));
    expect(next.messages).toMatchObject({ value: 2, low: 0, band: 'within', flagged: false });
    expect(next.messages.high).toBeCloseTo(normalBand([8, 1, 0, 0, 0, 0, 0]).high!, 9);
  });

  it('draws the normal band at two standard deviations around the mean of the week before', () => {
    expect(normalBand([])).toEqual({ low: null, high: null });
    expect(normalBand([5])).toEqual({ low: null, high: null });
    expect(normalBand([10, 10, 10])).toEqual({ low: 10, high: 10 });
    // Mean 12, sample standard deviation 2.
    const b = normalBand([10, 12, 14]);
    expect(b.low).toBeCloseTo(8, 12);
    expect(b.high).toBeCloseTo(16, 12);
    expect(normalBand([0, 0, 9]).low).toBe(0);
  });
});

describe('review sign-off', () => {
  const ops = { email: 'ops@x', name: 'Olive Ops', role: 'ops' as const };
  const manager = { email: 'm@x', name: 'Max Manager', role: 'manager' as const };

  it('keeps the first sign-off of a review, per facility, and says so to a second signer', async () => {
    const first = await signOff(h.db, signoffInput.parse({ cadence: 'daily', period: D, notes: '  r3 to IT  ' }), ops);
    expect(first.created).toBe(true);
    expect(first.signoff).toMatchObject({
      signedBy: 'ops@x',
      signedByName: 'Olive Ops',
      role: 'ops',
      notes: 'r3 to IT',
    });
    const second = await signOff(h.db, signoffInput.parse({ cadence: 'daily', period: D, notes: 'other' }), manager);
    expect(second.created).toBe(false);
    expect(second.signoff.signedBy).toBe('ops@x');
    // Another facility and another cadence are reviews of their own.
    expect(
      (await signOff(h.db, signoffInput.parse({ cadence: 'daily', period: D, facility: 'G' }), manager)).created,
    ).toBe(true);
    expect(await getSignoff(h.db, 'daily', D, 'G')).toMatchObject({ signedBy: 'm@x', notes: null });
    expect(await getSignoff(h.db, 'weekly', D, null)).toBeNull();
  });

  it('refuses a sign-off with a period that is not a day or notes that are too long', () => {
    expect(signoffInput.safeParse({ cadence: 'daily', period: '2026-02-30' }).success).toBe(false);
    expect(signoffInput.safeParse({ cadence: 'yearly', period: D }).success).toBe(false);
    const long = signoffInput.safeParse({ cadence: 'daily', period: D, notes: 'x'.repeat(2001) });
    expect(long.success).toBe(false);
    expect(long.error?.issues[0]).toMatchObject({ path: ['notes'], message: 'at most 2,000 characters' });
  });
});
