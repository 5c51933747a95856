import { beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS_FOLDER, rows } from '@/db';
import { emptyMessageTables, testDb } from '@/lib/testing/db';
import { send } from '@/lib/testing/send';
import { freshGuessForTests } from '@/lib/ingest/store';
import { referenceKpis, type SentRecord } from '@/lib/testing/reference-kpis';
import { computeKpis, statusCount, windowMessageSums } from '@/lib/kpi/kpis';
import { splitDays, splitWindow } from '@/lib/kpi/window';
import { MESSAGE_STATUSES } from '@/db/schema';
import { bucketOf, percentileFromSketch } from '@/lib/kpi/delay-sketch';
import { computeKpisFromRaw } from '@/lib/kpi/raw-baseline';
import { parseKpiScope } from '@/lib/kpi/scope';
import { AppError } from '@/lib/errors';
import { toMicros } from '@/lib/time';
import { env } from '@/lib/env';

const h = testDb();
const reset = () => emptyMessageTables(h.db);
beforeEach(reset);

const T0 = Date.parse('2026-11-18T00:00:00Z');
const isoAt = (ms: number) => new Date(ms).toISOString();

/** A random message version: few ids and few contents, so replays, updates and duplicates collide. */
const version = fc
  .record({
    id: fc.integer({ min: 0, max: 14 }),
    facility: fc.constantFrom('DC1', 'DC2'),
    txType: fc.constantFrom('receipt', 'shipment'),
    corr: fc.constantFrom('PO-1', 'PO-2', null),
    qty: fc.constantFrom(24, '24.0', 12, '-3.50'),
    status: fc.constantFrom('pending', 'retrying', 'delivered', 'delivered', 'failed', 'dead_letter'),
    attempts: fc.integer({ min: 1, max: 3 }),
    // created within 4 days, in whole minutes plus odd milliseconds
    createdMin: fc.integer({ min: 0, max: 4 * 24 * 60 }),
    createdMs: fc.integer({ min: 0, max: 999 }),
    delayMs: fc.integer({ min: 0, max: 3_600_000 }),
    updatedOffsetMin: fc.integer({ min: 0, max: 120 }),
  })
  .map((v): SentRecord => {
    const created = T0 + v.createdMin * 60_000 + v.createdMs;
    const processed = v.status === 'delivered' ? created + v.delayMs : null;
    return {
      messageId: `M${v.id}`,
      txType: v.txType,
      direction: 'wms_to_erp',
      facility: v.facility,
      correlationKey: v.corr,
      lineKey: '10',
      sku: 'SKU-1',
      quantity: v.qty,
      uom: 'EA',
      status: v.status,
      attempts: v.attempts,
      errorCode: v.status === 'failed' ? 'TIMEOUT' : null,
      createdAt: isoAt(created),
      processedAt: processed === null ? null : isoAt(processed),
      updatedAt: isoAt(created + v.updatedOffsetMin * 60_000),
    };
  });

const DAY_MS = 86_400_000;
/** The same record moved to one of 40 days from 2026-10-20 by its message number, as message `S${n}`. */
function spread(r: SentRecord, n: number): SentRecord {
  const shift = (((n * 7919) % 40) - 29) * DAY_MS;
  const move = (iso: string | null | undefined) => (iso ? new Date(Date.parse(iso) + shift).toISOString() : iso);
  return {
    ...r,
    messageId: `S${n}`,
    createdAt: move(r.createdAt)!,
    processedAt: move(r.processedAt),
    updatedAt: move(r.updatedAt),
  };
}

const WINDOWS = [
  { from: '2026-11-18T00:00:00Z', to: '2026-11-22T00:00:00Z' }, // whole days
  // ragged edges: the first hour less its first 17 min, raw to 19:03
  { from: '2026-11-18T05:17:13.250Z', to: '2026-11-21T19:03:00Z' },
  // raw from 23:41, the last hour less its last 9.5 min
  { from: '2026-11-18T23:41:00Z', to: '2026-11-20T00:50:00.500Z' },
  { from: '2026-11-19T10:00:00Z', to: '2026-11-19T11:00:00Z' }, // one hour
  { from: '2026-11-20T03:30:00Z', to: '2026-11-20T03:45:00Z' }, // inside one hour
  { from: '2026-11-20T05:04:00Z', to: '2026-11-20T05:58:00Z' }, // inside one hour: the hour less 4 min and 2 min
];

const nonZero = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).filter(([, n]) => n !== 0));

function close(a: number | null, b: number | null, rel = 1e-9) {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= rel * Math.max(1, Math.abs(b));
}

async function check(sent: SentRecord[]) {
  for (const w of WINDOWS) {
    for (const facility of [null, 'DC1']) {
      for (const txType of [null, 'shipment']) {
        const scope = { from: new Date(w.from), to: new Date(w.to), facility, txType };
        const got = await computeKpis(h.db, scope);
        const want = referenceKpis(sent, { fromUs: toMicros(w.from)!, toUs: toMicros(w.to)!, facility, txType });
        const ctx = JSON.stringify({ w, facility, txType });
        expect(got.messages, ctx).toBe(want.messages);
        expect(close(got.failedMessageRate, want.failedMessageRate), ctx).toBe(true);
        expect(close(got.firstPassFailureRate, want.firstPassFailureRate), ctx).toBe(true);
        expect(
          close(got.avgProcessingDelayMs, want.avgProcessingDelayMs),
          `${ctx} avg ${got.avgProcessingDelayMs} vs ${want.avgProcessingDelayMs}`,
        ).toBe(true);
        expect(close(got.p95ProcessingDelayMs, want.p95ProcessingDelayMs), `${ctx} p95`).toBe(true);
        expect(got.duplicateCount, ctx).toBe(want.duplicateCount);
        expect(got.openExceptions, ctx).toBe(want.openExceptions);
        expect(got.oldestOpenException ? toMicros(got.oldestOpenException.openedAt) : null, ctx).toBe(
          want.oldestOpenedUs,
        );
        // The sketch path (what large windows use) stays within SPEC's 1%.
        const sketched = await computeKpis(h.db, scope, { exactP95Limit: 0 });
        if (want.p95ProcessingDelayMs !== null) {
          expect(Math.abs(sketched.p95ProcessingDelayMs! - want.p95ProcessingDelayMs), ctx).toBeLessThanOrEqual(
            0.01 * Math.abs(want.p95ProcessingDelayMs) + 1e-9,
          );
        }
        // Each status's count (the log explorer's totals) from the same sums.
        const sums = await windowMessageSums(h.db, scope);
        expect(Object.fromEntries(MESSAGE_STATUSES.map((st) => [st, statusCount(sums, st)])), ctx).toEqual(
          want.byStatus,
        );
        // Rollups agree with the plain-SQL baseline over the raw log.
        const raw = await computeKpisFromRaw(h.db, scope);
        expect(raw.messages, ctx).toBe(got.messages);
        expect(raw.duplicateCount, ctx).toBe(got.duplicateCount);
        expect(close(raw.failedMessageRate, got.failedMessageRate), ctx).toBe(true);
        expect(close(raw.avgProcessingDelayMs, got.avgProcessingDelayMs), ctx).toBe(true);
        // The exception counters the triggers keep agree with counting the exceptions.
        expect(got.openExceptions, ctx).toBe(raw.openExceptions);
        expect(nonZero(got.exceptionsByRootCause), ctx).toEqual(raw.exceptionsByRootCause);
      }
    }
  }
}

describe('KPIs from rollups', () => {
  it('splits whole days into whole weeks, Monday to Monday (UTC), and the days left over', () => {
    fc.assert(
      fc.property(fc.integer({ min: -400, max: 400 }), fc.integer({ min: 1, max: 60 }), (start, len) => {
        const d0 = Date.UTC(2026, 10, 1) + start * DAY_MS;
        const { weekly, daily } = splitDays([[d0, d0 + len * DAY_MS]]);
        const pieces = [...weekly, ...daily].sort((x, y) => x[0] - y[0]);
        expect(pieces[0][0]).toBe(d0);
        expect(pieces[pieces.length - 1][1]).toBe(d0 + len * DAY_MS);
        for (let i = 1; i < pieces.length; i++) expect(pieces[i][0]).toBe(pieces[i - 1][1]);
        for (const [a, b] of weekly) {
          expect(new Date(a).getUTCDay()).toBe(1);
          expect((b - a) % (7 * DAY_MS)).toBe(0);
        }
        // No whole week is left in the days: the first Monday in a piece is less than a week before its end.
        for (const [a, b] of daily) {
          let monday = a;
          while (new Date(monday).getUTCDay() !== 1) monday += DAY_MS;
          expect(monday + 7 * DAY_MS).toBeGreaterThan(b);
        }
      }),
    );
  });

  it('splits windows into raw edges, hours and days that count each instant of it once, reading at most half an hour raw per edge', () => {
    const HOUR = 3_600_000;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 * 86_400_000 }),
        fc.integer({ min: 1, max: 10 * 86_400_000 }),
        fc.boolean(),
        (a, len, onHour) => {
          const from = onHour ? T0 + Math.floor(a / HOUR) * HOUR : T0 + a;
          const to = from + len;
          const parts = splitWindow(from, to);
          // Each elementary interval between piece boundaries counts +1 per raw, hourly or daily piece
          // and -1 per minus piece covering it: 1 inside the window, 0 outside.
          const all = [...parts.raw, ...parts.hourly, ...parts.daily, ...parts.minus];
          const cuts = [...new Set([from, to, ...all.flat()])].sort((x, y) => x - y);
          for (let i = 1; i < cuts.length; i++) {
            const mid = (cuts[i - 1] + cuts[i]) / 2;
            const cover = (list: [number, number][]) => list.filter(([x, y]) => x <= mid && mid < y).length;
            const n = cover(parts.raw) + cover(parts.hourly) + cover(parts.daily) - cover(parts.minus);
            expect(n, JSON.stringify({ from, to, mid, parts })).toBe(mid >= from && mid < to ? 1 : 0);
            expect(cover(parts.raw) + cover(parts.hourly) + cover(parts.daily)).toBeLessThanOrEqual(1);
          }
          for (const [x, y] of [...parts.raw, ...parts.minus]) expect(y - x).toBeLessThanOrEqual(HOUR / 2);
          for (const [x, y] of parts.minus) expect(x < from || y > to).toBe(true);
          expect(parts.raw.length + parts.minus.length).toBeLessThanOrEqual(2);
        },
      ),
    );
  });

  it('random batches with replays and shuffled updates end where last-write-wins predicts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(version, { minLength: 1, maxLength: 60 }),
        fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        async (records, cuts, replays) => {
          await reset();
          // Replays: earlier records sent again later, in any batch.
          const sent = [...records, ...replays.map((r) => records[r % records.length])];
          let i = 0;
          for (const size of [...cuts, Infinity]) {
            if (i >= sent.length) break;
            await send(h.db, sent.slice(i, i + size));
            i += size;
          }
          await check(sent);
        },
      ),
      { numRuns: env().PROPERTY_RUNS, endOnFailure: true },
    );
  });

  it('window bounds finer than a millisecond hold to the microsecond, as timestamps are stored', async () => {
    await send(h.db, [
      {
        messageId: 'U1',
        txType: 'receipt',
        direction: 'wms_to_erp',
        facility: 'DC1',
        status: 'delivered',
        createdAt: '2026-11-20T10:00:00.000500Z',
        processedAt: '2026-11-20T10:00:00.000900Z',
      },
      {
        messageId: 'U2',
        txType: 'receipt',
        direction: 'wms_to_erp',
        facility: 'DC1',
        status: 'failed',
        createdAt: '2026-11-20T10:59:59.999990+00:00',
        updatedAt: '2026-11-20T11:00:00.000001Z',
      },
    ]);
    const count = async (from: string, to: string) => {
      const k = await computeKpis(h.db, parseKpiScope(new URLSearchParams({ from, to })));
      return [
        k.messages,
        k.exceptionsByRootCause.unclassified +
          k.exceptionsByRootCause.timing +
          k.exceptionsByRootCause.exception_handling +
          k.exceptionsByRootCause.mapping +
          k.exceptionsByRootCause.master_data +
          k.exceptionsByRootCause.ownership,
      ];
    };
    expect(await count('2026-11-20T10:00:00.000400Z', '2026-11-20T10:30:00Z')).toEqual([1, 0]);
    expect(await count('2026-11-20T10:00:00.000500Z', '2026-11-20T10:30:00Z')).toEqual([1, 0]);
    expect(await count('2026-11-20T10:00:00.000600Z', '2026-11-20T10:30:00Z')).toEqual([0, 0]);
    expect(await count('2026-11-20T09:00:00Z', '2026-11-20T10:00:00.000500Z')).toEqual([0, 0]);
    expect(await count('2026-11-20T09:00:00Z', '2026-11-20T10:00:00.000501Z')).toEqual([1, 0]);
    // The failure is created a hundredth of a millisecond before 11:00 and opened a microsecond after it.
    expect(await count('2026-11-20T10:59:59.999991Z', '2026-11-20T11:00:00.000001Z')).toEqual([0, 0]);
    expect(await count('2026-11-20T10:59:59.99999Z', '2026-11-20T11:00:00.000002Z')).toEqual([1, 1]);
    expect(await count('2026-11-20T09:00:00Z', '2026-11-20T13:00:00.000002+02:00')).toEqual([2, 1]);
    const k = await computeKpis(
      h.db,
      parseKpiScope(new URLSearchParams({ from: '2026-11-20T10:00:00.000400Z', to: '2026-11-20T10:00:00.0006Z' })),
    );
    expect([k.from, k.to, k.messages, k.avgProcessingDelayMs]).toEqual([
      '2026-11-20T10:00:00.000400Z',
      '2026-11-20T10:00:00.000600Z',
      1,
      0.4,
    ]);
  });

  it('a window reaching past the years Postgres reads is a 400 by field, and one just inside them is answered', async () => {
    const refused = (q: Record<string, string>) => {
      try {
        parseKpiScope(new URLSearchParams(q));
      } catch (e) {
        if (e instanceof AppError) return [e.status, e.details];
        throw e;
      }
      return null;
    };
    const between = 'must lie between 1900-01-01T00:00:00.000Z and 9999-01-01T00:00:00.000Z';
    expect(refused({ from: '9998-12-31T00:00:00Z', to: '9999-12-31T23:59:59Z' })).toEqual([400, [`to: ${between}`]]);
    expect(refused({ from: '0001-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' })).toEqual([400, [`from: ${between}`]]);
    expect(refused({ from: '1000-01-01T00:00:00Z', to: '9999-06-01T00:00:00Z' })).toEqual([
      400,
      [`from: ${between}`, `to: ${between}`],
    ]);
    // The widest window: every day and week it rounds out to is one Postgres reads (these failed as a 500 before).
    await send(h.db, [
      {
        messageId: 'WIDE-1',
        txType: 'receipt',
        direction: 'wms_to_erp',
        facility: 'WIDE',
        status: 'delivered',
        createdAt: '1900-01-01T00:00:00Z',
        processedAt: '1900-01-01T00:00:01Z',
      },
      {
        messageId: 'WIDE-2',
        txType: 'receipt',
        direction: 'wms_to_erp',
        facility: 'WIDE',
        status: 'delivered',
        createdAt: '9998-12-31T23:00:00Z',
        processedAt: '9998-12-31T23:00:03Z',
      },
    ]);
    const k = await computeKpis(
      h.db,
      parseKpiScope(
        new URLSearchParams({ from: '1900-01-01T00:00:00Z', to: '9999-01-01T00:00:00Z', facility: 'WIDE' }),
      ),
    );
    expect([k.messages, k.avgProcessingDelayMs]).toEqual([2, 2000]);
  });

  it('edges read as the whole hour less the part outside the window count exactly', async () => {
    // A message every 97 s over four days: each part of an hour outside a window holds some of
    // them, delivered, failed (their exceptions open in the same minute) and duplicated.
    const statuses = ['delivered', 'delivered', 'failed', 'delivered', 'pending', 'dead_letter', 'delivered'];
    const sent: SentRecord[] = Array.from({ length: 3560 }, (_, i) => {
      const created = T0 + i * 97_000 + (i % 1000);
      const status = statuses[i % statuses.length];
      const at = isoAt(created + 1000 + ((i * 7919) % 60_000));
      return {
        messageId: `E${i}`,
        txType: i % 3 ? 'receipt' : 'shipment',
        direction: 'wms_to_erp',
        facility: i % 4 ? 'DC1' : 'DC2',
        correlationKey: `PO-${i % 6}`,
        lineKey: '10',
        sku: 'SKU-1',
        quantity: 24,
        uom: 'EA',
        status,
        attempts: 1 + (i % 5 === 0 ? 1 : 0),
        errorCode: status === 'failed' || status === 'dead_letter' ? 'TIMEOUT' : null,
        createdAt: isoAt(created),
        processedAt: status === 'delivered' ? at : null,
        updatedAt: at,
      };
    });
    for (let i = 0; i < sent.length; i += 500) await send(h.db, sent.slice(i, i + 500));
    await check(sent);
  });

  it('the sketches the ingest keeps (hours, days, weeks), batch after batch and through updates, are the ones rebuilt from the log (migration 0008)', async () => {
    // 300 messages over 40 days sent twice in batches of 50: later versions replace, move or drop delays.
    const sent = fc.sample(version, { numRuns: 600, seed: 7 }).map((r, i) => spread(r, i % 300));
    for (let i = 0; i < sent.length; i += 50) await send(h.db, sent.slice(i, i + 50));
    const snapshot = () =>
      rows(h.db, sql`select * from delay_sketches where cardinality(delay_idx) > 0 order by 1, 2, 3, 4, 5`);
    const kept = await snapshot();
    expect(kept.filter((r) => (r as { grain: string }).grain === 'week').length).toBeGreaterThan(10);
    const migration = fs.readFileSync(path.join(MIGRATIONS_FOLDER, '0008_delay_sketches.sql'), 'utf8');
    expect(migration).toContain('SELECT delay_sketch_rebuild();');
    await h.db.execute(sql`select delay_sketch_rebuild()`);
    expect(await snapshot()).toEqual(kept);
  });

  it('concurrent senders keep rollups, duplicate flags, exceptions and sketches equal to the log', async () => {
    // 300 messages over 40 days, each sent twice, in 12 batches of 50 sent all at once: the second
    // half replaces the first while it may still be going in, and contents repeat across batches.
    freshGuessForTests(true);
    const sent = fc.sample(version, { numRuns: 600, seed: 23 }).map((r, i) => spread(r, i % 300));
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, b) => send(h.db, sent.slice(b * 50, b * 50 + 50))),
    );
    expect(results.reduce((n, r) => n + r.accepted, 0)).toBe(300);
    expect(results.reduce((n, r) => n + r.accepted + r.updated + r.unchanged, 0)).toBe(600);
    for (const [from, to] of [
      ['2026-10-01T00:00:00Z', '2026-12-01T00:00:00Z'],
      ['2026-10-26T00:00:00Z', '2026-11-16T07:30:00Z'],
    ]) {
      for (const facility of [null, 'DC2']) {
        const scope = { from: new Date(from), to: new Date(to), facility, txType: null };
        const [got, raw] = [await computeKpis(h.db, scope), await computeKpisFromRaw(h.db, scope)];
        const ctx = JSON.stringify(scope);
        expect(got.messages, ctx).toBe(raw.messages);
        expect(got.duplicateCount, ctx).toBe(raw.duplicateCount);
        expect(close(got.failedMessageRate, raw.failedMessageRate), ctx).toBe(true);
        expect(close(got.firstPassFailureRate, raw.firstPassFailureRate), ctx).toBe(true);
        expect(close(got.avgProcessingDelayMs, raw.avgProcessingDelayMs), ctx).toBe(true);
        expect(got.openExceptions, ctx).toBe(raw.openExceptions);
      }
    }
    expect(
      (await computeKpis(h.db, { from: new Date('2026-10-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') }))
        .duplicateCount,
    ).toBeGreaterThan(2);
    const snapshot = () =>
      rows(h.db, sql`select * from delay_sketches where cardinality(delay_idx) > 0 order by 1, 2, 3, 4, 5`);
    const kept = await snapshot();
    await h.db.execute(sql`select delay_sketch_rebuild()`);
    expect(await snapshot()).toEqual(kept);
  });

  it("the partial hours at a window's edges count in the sums and in the sketch", async () => {
    // Slow deliveries only in the ragged first and last hours of the window, fast ones in the whole hours between.
    const at = (iso: string, i: number, delayMs: number): SentRecord => {
      const created = Date.parse(iso) + i * 30_000;
      return {
        messageId: `E${iso}-${i}`,
        txType: 'receipt',
        direction: 'wms_to_erp',
        facility: 'DC1',
        correlationKey: null,
        status: 'delivered',
        attempts: i % 4 === 0 ? 2 : 1,
        createdAt: isoAt(created),
        processedAt: isoAt(created + delayMs),
      };
    };
    const sent = [
      // 10:20–10:39:30, inside 10:13–11:00
      ...Array.from({ length: 40 }, (_, i) => at('2026-11-19T10:20:00Z', i, 50_000 + i * 1000)),
      ...Array.from({ length: 40 }, (_, i) => at('2026-11-19T11:00:00Z', i, 100 + i)),
      // 13:05–13:24:30, inside 13:00–13:30
      ...Array.from({ length: 40 }, (_, i) => at('2026-11-19T13:05:00Z', i, 70_000 + i * 1000)),
      at('2026-11-19T13:40:00Z', 0, 5), // after the window
    ];
    await send(h.db, sent);
    const scope = { from: new Date('2026-11-19T10:13:00Z'), to: new Date('2026-11-19T13:30:00Z') };
    const got = await computeKpis(h.db, scope, { exactP95Limit: 0 });
    const want = referenceKpis(sent, {
      fromUs: toMicros(scope.from.toISOString())!,
      toUs: toMicros(scope.to.toISOString())!,
    });
    expect(got).toMatchObject({ messages: 120, firstPassFailureRate: want.firstPassFailureRate });
    expect(close(got.avgProcessingDelayMs, want.avgProcessingDelayMs)).toBe(true);
    const counts = new Map<number, number>();
    for (const r of sent.slice(0, 120)) {
      const b = bucketOf(Date.parse(r.processedAt!) - Date.parse(r.createdAt));
      counts.set(b, (counts.get(b) ?? 0) + 1);
    }
    expect(close(got.p95ProcessingDelayMs, percentileFromSketch(counts, 0.95), 1e-12)).toBe(true);
    expect(got.p95ProcessingDelayMs).toBeGreaterThan(70_000);
  });

  it('windows over weeks read the sketch of exactly their messages: p95 as from bucketing the raw delays', async () => {
    const sent = fc.sample(version, { numRuns: 900, seed: 11 }).map((r, i) => spread(r, i % 500));
    for (let i = 0; i < sent.length; i += 100) await send(h.db, sent.slice(i, i + 100));
    const stored = await rows<{ facility: string; tx_type: string; created_ms: number; delay_ms: number }>(
      h.db,
      sql`select facility, tx_type, (extract(epoch from created_at) * 1000)::float8 as created_ms,
            (extract(epoch from processed_at - created_at) * 1000)::float8 as delay_ms
          from integration_messages where status = 'delivered'`,
    );
    const windows = [
      ['2026-10-20T00:00:00Z', '2026-11-30T00:00:00Z'], // everything, whole days
      ['2026-10-26T00:00:00Z', '2026-11-16T00:00:00Z'], // three whole weeks
      ['2026-10-22T07:13:09.5Z', '2026-11-19T16:00:00Z'], // ragged edges around weeks
    ];
    for (const [from, to] of windows) {
      for (const [facility, txType] of [
        [null, null],
        ['DC1', null],
        [null, 'receipt'],
        ['DC2', 'shipment'],
      ] as const) {
        const inWindow = stored.filter(
          (m) =>
            m.created_ms >= Date.parse(from) &&
            m.created_ms < Date.parse(to) &&
            (!facility || m.facility === facility) &&
            (!txType || m.tx_type === txType),
        );
        const counts = new Map<number, number>();
        for (const m of inWindow) counts.set(bucketOf(m.delay_ms), (counts.get(bucketOf(m.delay_ms)) ?? 0) + 1);
        const got = await computeKpis(
          h.db,
          { from: new Date(from), to: new Date(to), facility, txType },
          { exactP95Limit: 0 },
        );
        const ctx = JSON.stringify({ from, to, facility, txType, n: inWindow.length });
        expect(inWindow.length, ctx).toBeGreaterThan(10);
        expect(close(got.p95ProcessingDelayMs, percentileFromSketch(counts, 0.95), 1e-12), ctx).toBe(true);
      }
    }
  });
});
