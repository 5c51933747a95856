/**
 * KPIs of a past window once retention dropped its raw rows (SPEC 11): every KPI stays, read from
 * the rollups, p95 from the delay sketches (a small window's p95 was exact from the raw log, and
 * would turn null). The drop is played here by emptying the log and moving the horizon, as a run
 * does after dropping the log's partitions (lib/retention/run.ts).
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { computeKpis, type Kpis } from '@/lib/kpi/kpis';
import { advanceHorizon, forgetHorizon } from '@/lib/retention/horizon';
import { testDb } from '@/lib/testing/db';
import { testMessage } from '@/lib/testing/records';
import { send } from '@/lib/testing/send';

const h = testDb();
const T0 = Date.parse('2026-11-18T10:00:00Z');
const at = (ms: number) => new Date(ms).toISOString();
/** A KPI object without what moves with the clock (the oldest open exception's age). */
const still = (k: Kpis, o: Partial<Kpis> = {}) => ({
  ...k,
  oldestOpenException: k.oldestOpenException && { ...k.oldestOpenException, ageSeconds: 0 },
  ...o,
});

describe('KPIs of a window whose raw rows are gone', () => {
  it('stay as they were, p95 from the sketch', async () => {
    // 240 messages over six hours, one a minute and a half: delays of 1 to 40 s, every seventh failed.
    const records = Array.from({ length: 240 }, (_, i) => {
      const created = T0 + i * 90_000 + 7;
      return i % 7 === 3
        ? testMessage(`H${i}`, at(created), { status: 'failed', facility: 'DC1' })
        : testMessage(`H${i}`, at(created), { facility: 'DC1', processedAt: at(created + 1000 + (i % 40) * 1000) });
    });
    await send(h.db, records);
    const aligned = { from: new Date('2026-11-18T11:00:00Z'), to: new Date('2026-11-18T15:00:00Z') };
    const ragged = { from: new Date('2026-11-18T11:20:00Z'), to: new Date('2026-11-18T14:40:00Z') };
    const snapped = { from: new Date('2026-11-18T11:00:00Z'), to: new Date('2026-11-18T14:00:00Z') };
    const exact = await computeKpis(h.db, aligned);
    const sketched = await computeKpis(h.db, aligned, { exactP95Limit: 0 });
    const snappedBefore = await computeKpis(h.db, snapped, { exactP95Limit: 0 });
    expect(exact.messages).toBe(160);
    expect(exact.p95ProcessingDelayMs).not.toBeNull();

    // Retention drops the log's partitions before the next day.
    await h.db.execute(sql`truncate integration_messages`);
    forgetHorizon();
    // Without the horizon the exact p95 would read an empty log: null.
    expect((await computeKpis(h.db, aligned)).p95ProcessingDelayMs).toBeNull();
    await advanceHorizon(h.db, '2026-11-19T00:00:00.000Z');
    const after = await computeKpis(h.db, aligned);
    expect(still(after)).toEqual(still(exact, { p95ProcessingDelayMs: sketched.p95ProcessingDelayMs }));
    expect(after.p95ProcessingDelayMs).toBeGreaterThan(0);
    // A window with ragged edges reads the whole hours they fall in.
    const raggedAfter = await computeKpis(h.db, ragged);
    expect(still(raggedAfter, { from: '', to: '' })).toEqual(still(snappedBefore, { from: '', to: '' }));
  });
});
