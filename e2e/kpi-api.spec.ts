import { expect, test } from '@playwright/test';
import { apiWithKey, cliApiKey } from './api-client';
import { referenceKpis, type SentRecord } from '../lib/testing/reference-kpis';
import { toMicros } from '../lib/time';

/**
 * The machine API from outside, as an integration would use it: random traffic (replays, updates
 * out of order and with equal updatedAt, numerically equal quantities, copies around 24 h apart,
 * timestamps with microseconds and offsets) posted over HTTP as JSON arrays and NDJSON to the
 * running server, then /api/v1/kpis over windows with sub-millisecond bounds compared with the KPIs
 * computed in plain TypeScript from what was sent (lib/testing/reference-kpis.ts).
 */

/** Deterministic random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]) => xs[int(xs.length)];
  return { next, int, pick };
}

/** An instant in microseconds written as senders do: Z with microseconds, an offset, or milliseconds. */
function spell(us: number, how: number): string {
  const ms = Math.floor(us / 1000);
  const micro = String(us - ms * 1000).padStart(3, '0');
  const iso = new Date(ms).toISOString(); // …SS.mmmZ
  if (how === 0) return iso.replace('Z', `${micro}Z`);
  if (how === 1) {
    const local = new Date(ms + 2 * 3_600_000).toISOString().replace('Z', `${micro}+02:00`);
    return local;
  }
  return iso; // milliseconds only: the instant is cut to the millisecond, as the sender wrote it
}

test('/api/v1/kpis equals the KPIs computed from what was sent, over HTTP, for every window and filter', async ({
  playwright,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const key = cliApiKey(`kpi-e2e-${Date.now()}`);
  const api = await apiWithKey(playwright, baseURL, key);

  // Facilities of this test only: the demo data of the e2e server lies elsewhere.
  const run = `K${Date.now().toString(36)}`;
  const FAC = [`${run}-A`, `${run}-B`];
  const r = random(20261127);
  const T0 = Date.parse('2026-10-01T00:00:00Z') * 1000;
  const HOUR = 3_600_000_000;
  const sent: SentRecord[] = [];
  const contents: (Omit<SentRecord, 'messageId' | 'status' | 'createdAt'> & { createdUs: number })[] = [];
  for (let i = 0; i < 600; i++) {
    let c: (typeof contents)[number];
    if (contents.length && r.next() < 0.3) {
      // The same content as an earlier message, created 0, 5 min, 23.99 h, 24 h, 24 h + 1 µs or 30 h later.
      const e = r.pick(contents);
      c = {
        ...e,
        quantity: e.quantity === 24 ? r.pick([24, '24.000', 24.0]) : e.quantity,
        createdUs: e.createdUs + r.pick([0, 300e6, 23.99 * HOUR, 24 * HOUR, 24 * HOUR + 1, 30 * HOUR]),
      };
    } else {
      c = {
        txType: r.pick(['receipt', 'shipment', 'pick']),
        direction: r.pick(['erp_to_wms', 'wms_to_erp']),
        facility: r.pick(FAC),
        correlationKey: r.next() < 0.1 ? null : `D${r.int(200)}`,
        lineKey: r.pick([null, '1']),
        sku: `S${r.int(20)}`,
        lot: r.pick([null, 'L1']),
        location: r.pick([null, 'A-1']),
        uom: 'EA',
        quantity: r.pick([24, '24.5', 3, null]),
        createdUs: T0 + r.int(10 * 24 * 3600) * 1_000_000 + r.int(1000),
      };
      contents.push(c);
    }
    const versions = r.pick([1, 1, 2, 3]);
    let updUs = c.createdUs;
    for (let v = 0; v < versions; v++) {
      const status = r.pick(['pending', 'retrying', 'delivered', 'delivered', 'delivered', 'failed', 'dead_letter']);
      if (v === 0 || r.next() > 0.15) updUs += r.pick([1, 500_000, 60_000_000, HOUR]); // else: equal updatedAt
      const how = r.int(3);
      const processedUs = status === 'delivered' ? c.createdUs + 1 + r.int(3_600_000_000) : null;
      const { createdUs, ...content } = c;
      const rec: SentRecord = {
        ...content,
        messageId: `${run}-${i}`,
        status,
        attempts: r.pick([1, 1, 2]),
        errorCode: status === 'failed' || status === 'dead_letter' ? r.pick(['TIMEOUT', 'ITEM_NOT_FOUND']) : null,
        createdAt: spell(createdUs, how),
        processedAt: processedUs === null ? null : spell(processedUs, how),
        updatedAt: spell(updUs, how),
      };
      // What the server stores is what the text says: a millisecond spelling cuts the microseconds.
      sent.push(rec);
    }
  }
  // Arrival: shuffled in places, and a tenth of the records replayed.
  for (let k = 0; k < sent.length / 3; k++) {
    const [a, b] = [r.int(sent.length), r.int(sent.length)];
    [sent[a], sent[b]] = [sent[b], sent[a]];
  }
  const arrival = [...sent, ...Array.from({ length: Math.floor(sent.length / 10) }, () => sent[r.int(sent.length)])];

  // Each response's counts against the model: new ids accepted, later updatedAt updated, the rest unchanged.
  const seen = new Map<string, number>();
  const upd = (x: SentRecord) => toMicros(x.updatedAt ?? x.processedAt ?? x.createdAt)!;
  for (let s = 0, b = 0; s < arrival.length; s += 250, b++) {
    const batch = arrival.slice(s, s + 250);
    const want = { accepted: 0, updated: 0, unchanged: 0 };
    for (const x of batch) {
      const prev = seen.get(x.messageId);
      if (prev === undefined) want.accepted++;
      else if (upd(x) > prev) want.updated++;
      else want.unchanged++;
      if (prev === undefined || upd(x) > prev) seen.set(x.messageId, upd(x));
    }
    const res =
      b % 2
        ? await api.post('/api/v1/messages', {
            headers: { 'content-type': 'application/x-ndjson' },
            data: batch.map((x) => JSON.stringify(x)).join('\n'),
          })
        : await api.post('/api/v1/messages', { data: batch });
    expect(res.status()).toBe(200);
    const body = await res.json();
    expect(body.rejected).toEqual([]);
    expect({ accepted: body.accepted, updated: body.updated, unchanged: body.unchanged }, `batch ${b}`).toEqual(want);
  }

  // Windows: whole range, random ones with sub-millisecond bounds, and bounds on a message's own
  // createdAt and a microsecond either side.
  const windows: [number, number][] = [[T0 - HOUR, T0 + 12 * 24 * HOUR]];
  for (let k = 0; k < 6; k++) {
    const a = T0 + r.int(10 * 24 * 3600) * 1_000_000 + r.pick([0, 123_456]);
    windows.push([a, a + 1 + r.int(4 * 24 * 3600) * 1_000_000 + r.pick([0, 500, 999_999])]);
  }
  for (let k = 0; k < 4; k++) {
    const c = toMicros(sent[r.int(sent.length)].createdAt)! + r.pick([-1, 0, 1]);
    windows.push([c, c + r.pick([1, 30]) * HOUR], [c - r.pick([1, 30]) * HOUR, c]);
  }
  const usIso = (us: number) =>
    new Date(Math.floor(us / 1000)).toISOString().replace('Z', `${String(us % 1000).padStart(3, '0')}Z`);
  const close = (a: number | null, b: number | null, rel: number) =>
    a === null || b === null ? a === b : Math.abs(a - b) <= rel * Math.max(1, Math.abs(b));
  let compared = 0;
  for (const [fromUs, toUs] of windows) {
    for (const [facility, txType] of [
      [FAC[0], null],
      [FAC[1], 'receipt'],
      [FAC[0], 'pick'],
    ] as const) {
      const q = new URLSearchParams({ from: usIso(fromUs), to: usIso(toUs), facility, ...(txType ? { txType } : {}) });
      const got = await (await api.get(`/api/v1/kpis?${q}`)).json();
      const want = referenceKpis(sent, { fromUs, toUs, facility, txType });
      const ctx = q.toString();
      expect([toMicros(got.from), toMicros(got.to)], ctx).toEqual([fromUs, toUs]);
      expect(got.messages, ctx).toBe(want.messages);
      expect(close(got.failedMessageRate, want.failedMessageRate, 1e-12), `${ctx} failed rate`).toBe(true);
      expect(close(got.firstPassFailureRate, want.firstPassFailureRate, 1e-12), `${ctx} first pass`).toBe(true);
      expect(
        close(got.avgProcessingDelayMs, want.avgProcessingDelayMs, 1e-9),
        `${ctx} avg ${got.avgProcessingDelayMs} vs ${want.avgProcessingDelayMs}`,
      ).toBe(true);
      expect(
        close(got.p95ProcessingDelayMs, want.p95ProcessingDelayMs, 0.01),
        `${ctx} p95 ${got.p95ProcessingDelayMs} vs ${want.p95ProcessingDelayMs}`,
      ).toBe(true);
      expect(got.duplicateCount, ctx).toBe(want.duplicateCount);
      expect(got.openExceptions, ctx).toBe(want.openExceptions);
      expect(got.oldestOpenException ? toMicros(got.oldestOpenException.openedAt) : null, ctx).toBe(
        want.oldestOpenedUs,
      );
      compared++;
    }
  }
  expect(compared).toBe(windows.length * 3);
  await api.dispose();
});
