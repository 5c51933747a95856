import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '@/db';
import { ingestCorrections } from '@/lib/ingest/feeds';
import { applyBulkAction } from '@/lib/exceptions/actions';
import { computeKpis } from '@/lib/kpi/kpis';
import { percentileCont } from '@/lib/kpi/delay-sketch';
import { correctionSeries, p95Series, windowBuckets } from '@/lib/kpi/series';
import { loadTiles } from '@/lib/kpi/tiles';
import { testDb } from '@/lib/testing/db';
import { testCorrection } from '@/lib/testing/records';
import { send } from '@/lib/testing/send';

const h = testDb();
const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-20T00:00:00Z');
/** Per hour h (0..3) at DC1, twenty delivered messages with delays that differ by hour; DC2 slower. */
const delays = (hour: number, facility: string) =>
  Array.from({ length: 20 }, (_, i) => (facility === 'DC2' ? 10 : 1) * (hour + 1) * (100 + i * i * 37));

beforeAll(async () => {
  const msgs: Record<string, unknown>[] = [];
  for (const facility of ['DC1', 'DC2']) {
    for (let hour = 0; hour < 4; hour++) {
      if (facility === 'DC2' && hour === 2) continue; // a quiet hour at DC2
      delays(hour, facility).forEach((d, i) => {
        const created = T0 + hour * HOUR + i * 60_000;
        msgs.push({
          messageId: `${facility}-${hour}-${i}`,
          txType: i % 2 ? 'receipt' : 'pick',
          direction: 'wms_to_erp',
          facility,
          status: 'delivered',
          createdAt: new Date(created).toISOString(),
          processedAt: new Date(created + d).toISOString(),
        });
      });
    }
  }
  await send(h.db, msgs);
  const corr = (id: string, system: string, at: string) =>
    testCorrection(id, system, at, { quantityDelta: 2, reasonCode: 'X', user: 'u' });
  const list = [
    corr('e1', 'erp', '2026-11-20T00:10:00Z'),
    { ...corr('w1', 'wms', '2026-11-20T02:30:00Z'), effortMinutes: 15 },
    corr('e2', 'erp', '2026-11-20T03:59:00Z'),
  ];
  await ingestCorrections(
    h.db,
    list.map((value) => ({ value, raw: JSON.stringify(value) })),
    'test',
  );
});

describe('tile sparklines', () => {
  it('p95 per hour from the delay sketches, within 1% of the exact percentile of that hour, per facility and overall', async () => {
    const scope = { from: new Date(T0), to: new Date(T0 + 4 * HOUR) };
    for (const facility of [null, 'DC1', 'DC2']) {
      const got = await p95Series(h.db, { ...scope, facility });
      for (let hour = 0; hour < 4; hour++) {
        const values = (facility ? [facility] : ['DC1', 'DC2'])
          .filter((f) => !(f === 'DC2' && hour === 2))
          .flatMap((f) => delays(hour, f));
        const t = new Date(T0 + hour * HOUR).toISOString().replace('.000Z', 'Z');
        const want = percentileCont(values, 0.95);
        if (want === null) expect(got.get(t) ?? null).toBeNull();
        else expect(Math.abs(got.get(t)! - want)).toBeLessThanOrEqual(0.01 * want);
      }
    }
  });

  it('corrections per hour, every hour present, and the pair in the hour of its later correction: each sums to its KPI', async () => {
    const scope = { from: new Date(T0), to: new Date(T0 + 4 * HOUR), facility: 'DC1' };
    const s = await correctionSeries(h.db, scope);
    expect(s).toEqual([
      { t: '2026-11-20T00:00:00Z', corrections: 1, pairs: 0, effortMinutes: 0 },
      { t: '2026-11-20T01:00:00Z', corrections: 0, pairs: 0, effortMinutes: 0 },
      { t: '2026-11-20T02:00:00Z', corrections: 1, pairs: 1, effortMinutes: 15 }, // e1 and w1, counted at w1
      { t: '2026-11-20T03:00:00Z', corrections: 1, pairs: 0, effortMinutes: 0 },
    ]);
    const k = await computeKpis(h.db, scope);
    expect(s.reduce((a, b) => a + b.corrections, 0)).toBe(k.manualCorrections.total);
    expect(s.reduce((a, b) => a + b.pairs, 0)).toBe(k.duplicateManualCorrections);
    expect(s.reduce((a, b) => a + b.effortMinutes, 0)).toBe(k.reconciliationMinutes);
  });

  it('effort minutes of an exception count in the hour it was resolved in', async () => {
    const at = new Date(Date.now() - 60_000).toISOString();
    await send(h.db, [
      {
        messageId: 'F-1',
        txType: 'receipt',
        direction: 'wms_to_erp',
        facility: 'DC1',
        status: 'failed',
        errorCode: 'X',
        createdAt: at,
      },
    ]);
    const ids = (await rows<{ id: string }>(h.db, sql`select id::text from exceptions where message_id = 'F-1'`)).map(
      (r) => Number(r.id),
    );
    expect(await applyBulkAction(h.db, { ids, action: 'resolve', rootCause: 'timing', effortMinutes: 40 }, 'kim')).toBe(
      1,
    );
    const scope = { from: new Date(Date.now() - 2 * HOUR), to: new Date(Date.now() + HOUR), facility: 'DC1' };
    const s = await correctionSeries(h.db, scope);
    expect(s.map((b) => b.effortMinutes).filter((m) => m)).toEqual([40]);
    expect((await computeKpis(h.db, scope)).reconciliationMinutes).toBe(40);
    expect((await correctionSeries(h.db, { ...scope, txType: 'pick' })).every((b) => b.effortMinutes === 0)).toBe(true);
  });

  it('buckets a window by hour up to three days and by day beyond, the partial ones at the edges included', () => {
    expect(
      windowBuckets({ from: new Date('2026-11-20T00:30:00Z'), to: new Date('2026-11-20T02:00:00Z') }, 'hour'),
    ).toEqual(['2026-11-20T00:00:00Z', '2026-11-20T01:00:00Z']);
    expect(
      windowBuckets({ from: new Date('2026-11-20T12:00:00Z'), to: new Date('2026-11-22T00:00:01Z') }, 'day'),
    ).toEqual(['2026-11-20T00:00:00Z', '2026-11-21T00:00:00Z', '2026-11-22T00:00:00Z']);
  });

  it('tiles: every windowed KPI has a sparkline and a change against the previous period; what is not windowed says what it is instead', async () => {
    const { tiles } = await loadTiles(
      h.db,
      { range: 'custom', from: new Date(T0), to: new Date(T0 + 4 * HOUR), facility: null, txType: null },
      'manager',
    );
    const byKey = new Map(tiles.map((t) => [t.key, t]));
    for (const key of [
      'messages',
      'p95ProcessingDelayMs',
      'manualCorrections',
      'duplicateManualCorrections',
      'reconciliationMinutes',
    ]) {
      expect(byKey.get(key)!.spark, key).not.toBeNull();
    }
    // The four hours before are empty: counts of 0, and no delay to compare.
    expect([
      byKey.get('messages')!.previous,
      byKey.get('manualCorrections')!.previous,
      byKey.get('p95ProcessingDelayMs')!.previous,
    ]).toEqual([0, 0, null]);
    // Against an empty period the change is the absolute difference (lib/kpi/change), not a ratio.
    expect(byKey.get('messages')!.change).toEqual({ kind: 'absolute', delta: byKey.get('messages')!.value });
    expect(byKey.get('p95ProcessingDelayMs')!.change).toBeNull();
    expect(byKey.get('p95ProcessingDelayMs')!.spark).toHaveLength(4);
    expect(byKey.get('manualCorrections')!.spark).toEqual([1, 0, 1, 1]);
    for (const key of ['openExceptions', 'mismatches', 'mismatchValue']) {
      expect(byKey.get(key)!.previous, key).toBeNull();
      expect(byKey.get(key)!.note, key).toBeTruthy();
    }
    expect(byKey.get('mismatches')!.note).toBe('latest reconciliation of each facility');
  });
});
