import { beforeAll, describe, expect, it } from 'vitest';
import { ingestCorrections } from '@/lib/ingest/feeds';
import { testDb } from '@/lib/testing/db';
import { testCorrection } from '@/lib/testing/records';
import { correctionFilters, correctionTrend } from '@/lib/corrections/queries';

const h = testDb();
const corr = (id: string, system: 'erp' | 'wms', at: string, facility = 'DC1') =>
  testCorrection(id, system, at, { facility });

beforeAll(async () => {
  const records = [
    corr('a', 'erp', '2026-11-20T00:00:00Z'),
    corr('b', 'wms', '2026-11-20T00:59:59.999Z'),
    corr('c', 'erp', '2026-11-20T05:30:00Z'),
    corr('d', 'erp', '2026-11-22T10:00:00Z'),
    corr('e', 'wms', '2026-11-20T05:31:00Z', 'DC2'),
  ];
  await ingestCorrections(
    h.db,
    records.map((value) => ({ value, raw: JSON.stringify(value) })),
    'test',
  );
});

const trend = (from: string, to: string, facility: string | null = null) =>
  correctionTrend(h.db, correctionFilters.parse({}), { from: new Date(from), to: new Date(to), facility });

describe('corrections trend', () => {
  it('counts per hour over a short window, every hour present, the partial ones at the edges included', async () => {
    const t = await trend('2026-11-19T23:30:00Z', '2026-11-20T06:10:00Z');
    expect(t.grain).toBe('hour');
    expect(t.buckets.map((b) => b.t)).toEqual(
      [
        '2026-11-19T23',
        '2026-11-20T00',
        '2026-11-20T01',
        '2026-11-20T02',
        '2026-11-20T03',
        '2026-11-20T04',
        '2026-11-20T05',
        '2026-11-20T06',
      ].map((h) => `${h}:00:00.000Z`),
    );
    expect(t.buckets.map((b) => [b.erp, b.wms])).toEqual([
      [0, 0],
      [1, 1],
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [1, 1],
      [0, 0],
    ]);
    const dc1 = await trend('2026-11-20T05:00:00Z', '2026-11-20T06:00:00Z', 'DC1');
    expect(dc1.buckets).toEqual([{ t: '2026-11-20T05:00:00.000Z', erp: 1, wms: 0 }]);
  });

  it('counts per day beyond three days', async () => {
    const t = await trend('2026-11-19T12:00:00Z', '2026-11-24T00:00:00Z');
    expect(t.grain).toBe('day');
    expect(t.buckets.map((b) => [b.t.slice(0, 10), b.erp, b.wms])).toEqual([
      ['2026-11-19', 0, 0],
      ['2026-11-20', 2, 2],
      ['2026-11-21', 0, 0],
      ['2026-11-22', 1, 0],
      ['2026-11-23', 0, 0],
    ]);
    expect(t.byReason).toEqual([{ reason: 'DAMAGE', erp: 3, wms: 2 }]);
  });
});
