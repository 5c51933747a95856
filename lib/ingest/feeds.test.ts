import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '@/db';
import { testDb } from '@/lib/testing/db';
import { createApiKey } from '@/lib/auth/api-keys';
import { computeKpis } from '@/lib/kpi/kpis';
import { POST as postItems } from '@/app/api/v1/items/route';
import { POST as postCorrections } from '@/app/api/v1/corrections/route';
import { POST as postChanges } from '@/app/api/v1/changes/route';

const h = testDb();
let key: string;
beforeAll(async () => {
  key = (await createApiKey(h.db, 'feeds')).key;
});

const call = (fn: (r: Request) => Promise<Response>, body: unknown) =>
  fn(
    new Request('http://test/x', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  ).then(async (r) => ({ status: r.status, body: await r.json() }));

const item = {
  system: 'erp',
  sku: 'SKU-1',
  description: 'Widget',
  baseUom: 'EA',
  uoms: [{ uom: 'CASE', toBase: 12 }],
  lotControlled: true,
  serialControlled: false,
  unitCost: '2.50',
  status: 'active',
};
const corr = (id: string, over: Record<string, unknown> = {}) => ({
  correctionId: id,
  system: 'erp',
  facility: 'DC1',
  sku: 'SKU-1',
  location: 'A-1',
  lot: 'L1',
  quantityDelta: -24,
  uom: 'EA',
  reasonCode: 'DAMAGE',
  user: 'kim',
  at: '2026-11-20T10:00:00Z',
  ...over,
});

describe('items, corrections and changes feeds', () => {
  it('upsert items idempotently and report exact counts', async () => {
    expect((await call(postItems, [item, { ...item, system: 'wms', uoms: [] }])).body).toMatchObject({
      accepted: 2,
      updated: 0,
      unchanged: 0,
      rejected: [],
    });
    expect((await call(postItems, [item])).body).toMatchObject({ accepted: 0, updated: 0, unchanged: 1 });
    expect((await call(postItems, [{ ...item, unitCost: 3 }])).body).toMatchObject({
      accepted: 0,
      updated: 1,
      unchanged: 0,
    });
    const bad = await call(postItems, [
      { ...item, system: 'crm' },
      { ...item, uoms: [{ uom: 'CASE', toBase: 0 }] },
    ]);
    expect(bad.status).toBe(200);
    expect(bad.body.rejected).toEqual([
      { index: 0, key: 'crm|SKU-1', errors: ['system: must be one of erp, wms'] },
      { index: 1, key: 'erp|SKU-1', errors: ['uoms.0.toBase: must be greater than 0'] },
    ]);
  });

  it('refuse a record nested too deep to be kept with a 400 on every feed, and keep a merely deep one as rejected', async () => {
    const before = await rows(h.db, sql`select count(*)::int as n from quarantine`);
    for (const fn of [postItems, postCorrections, postChanges]) {
      const body = `[{}, ${'['.repeat(100_000)}${']'.repeat(100_000)}]`;
      const res = await fn(
        new Request('http://test/x', {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body,
        }),
      );
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({ code: 'bad_request', details: [{ index: 1 }] });
    }
    expect(await rows(h.db, sql`select count(*)::int as n from quarantine`)).toEqual(before);
    const some = await call(postItems, [{ ...item, uoms: JSON.parse('['.repeat(500) + ']'.repeat(500)) }]);
    expect(some.status).toBe(200);
    expect(some.body.rejected).toHaveLength(1);
  });

  it('quarantine a rejected record whose key holds a character Postgres cannot store (NUL, half a surrogate pair)', async () => {
    const change = {
      changeId: 'X',
      at: '2026-11-20T10:00:00Z',
      system: 'erp',
      kind: 'mapping',
      summary: 's',
      integrationReviewed: false,
    };
    for (const [fn, record] of [
      [postCorrections, corr('\ud800', { system: 'crm' })],
      [postCorrections, corr('a\u0000b', { system: 'crm' })],
      [postChanges, { ...change, changeId: '\udfff', at: null }],
    ] as const) {
      const res = await call(fn, [record]);
      expect(res.status).toBe(200);
      expect(res.body.rejected).toHaveLength(1);
    }
    const kept = await rows<{ record_key: string; raw: string }>(
      h.db,
      sql`select record_key, raw from quarantine where record_key like '%\uFFFD%' order by id`,
    );
    expect(kept.map((k) => k.record_key)).toEqual(['\uFFFD', 'a\uFFFDb', '\uFFFD']);
    // The raw text keeps the escapes as sent.
    expect(JSON.parse(kept[0].raw).correctionId).toBe('\ud800');
    // Valid-looking records holding such text in any field are rejected with the field, not a 500.
    const items = await call(postItems, [
      { ...item, sku: 'NUL-1', description: 'a\u0000b' },
      { ...item, sku: 'NUL-2', uoms: [{ uom: 'C\ud800', toBase: 2 }] },
    ]);
    expect(items.status).toBe(200);
    expect(items.body.rejected.map((r: { errors: string[] }) => r.errors[0].split(':')[0])).toEqual([
      'description',
      'uoms.0.uom',
    ]);
    const changes = await call(postChanges, [{ ...change, changeId: 'NUL-3', summary: '\udfff' }]);
    expect(changes.body.rejected.map((r: { errors: string[] }) => r.errors)).toEqual([
      ['summary: must not contain NUL (\\u0000) characters or half of a UTF-16 surrogate pair'],
    ]);
  });

  it('keep corrections idempotent on correctionId and count them and their cross-system duplicates', async () => {
    const first = await call(postCorrections, [
      corr('C1'),
      corr('W1', { system: 'wms', quantityDelta: -2, uom: 'CASE', at: '2026-11-20T20:00:00Z' }),
      corr('W2', { system: 'wms', at: '2026-11-21T11:00:00Z' }),
    ]);
    expect(first.body).toMatchObject({ accepted: 3, updated: 0, unchanged: 0 });
    expect((await call(postCorrections, [corr('C1')])).body).toMatchObject({ accepted: 0, unchanged: 1 });
    const k = await computeKpis(h.db, { from: new Date('2026-11-20T00:00:00Z'), to: new Date('2026-11-22T00:00:00Z') });
    expect(k.manualCorrections).toEqual({ total: 3, erp: 1, wms: 2 });
    // C1 (24 EA) pairs with W1 (2 CASE of 12 = 24 EA, 10 h later); W2 is left alone (one-to-one).
    expect(k.duplicateManualCorrections).toBe(1);
  });

  it('keep the first record of a correctionId whether its later records come in the same batch or another', async () => {
    const same = await call(postCorrections, [
      corr('FK-1', { quantityDelta: 5 }),
      corr('FK-1', { quantityDelta: 999 }),
    ]);
    expect(same.body).toMatchObject({ accepted: 1, updated: 0, unchanged: 1 });
    await call(postCorrections, [corr('FK-2', { quantityDelta: 5 })]);
    expect((await call(postCorrections, [corr('FK-2', { quantityDelta: 999 })])).body).toMatchObject({
      accepted: 0,
      unchanged: 1,
    });
    const stored = await rows<{ correction_id: string; q: string }>(
      h.db,
      sql`select correction_id, quantity_delta::text as q from manual_corrections where correction_id like 'FK-%' order
        by 1`,
    );
    expect(stored).toEqual([
      { correction_id: 'FK-1', q: '5' },
      { correction_id: 'FK-2', q: '5' },
    ]);
  });

  it('match duplicate corrections exactly: near misses (25 h apart, another lot, another quantity) are no pair', async () => {
    const day = (h: number) => new Date(Date.parse('2026-12-01T00:00:00Z') + h * 3_600_000).toISOString();
    const base = { facility: 'NM', sku: 'SKU-1', lot: 'L1', uom: 'EA', quantityDelta: -6 };
    await call(postCorrections, [
      corr('NM-E1', { ...base, at: day(0) }),
      corr('NM-W1', { ...base, system: 'wms', at: day(25) }), // 25 h later: too late
      corr('NM-E2', { ...base, at: day(60) }),
      corr('NM-W2', { ...base, system: 'wms', lot: 'L2', at: day(61) }), // another lot
      corr('NM-E3', { ...base, at: day(96) }),
      corr('NM-W3', { ...base, system: 'wms', quantityDelta: -7, at: day(97) }), // another quantity
      corr('NM-E4', { ...base, at: day(144) }),
      corr('NM-W4', { ...base, system: 'wms', at: day(144 + 23.9) }), // within 24 h: the one pair
    ]);
    const k = await computeKpis(h.db, { from: new Date(day(0)), to: new Date(day(200)), facility: 'NM' });
    expect(k.manualCorrections).toEqual({ total: 8, erp: 4, wms: 4 });
    expect(k.duplicateManualCorrections).toBe(1);
  });

  it('store the change log and quarantine what is invalid', async () => {
    const res = await call(postChanges, [
      {
        changeId: 'CH-1',
        at: '2026-11-19T08:00:00Z',
        system: 'middleware',
        kind: 'mapping',
        summary: 'Receipt status map v2',
        integrationReviewed: false,
      },
      { changeId: 'CH-2', at: 'yesterday', system: 'erp', kind: 'party', summary: '' },
    ]);
    expect(res.body.accepted).toBe(1);
    expect(res.body.rejected[0].errors).toEqual([
      'at: must be an ISO 8601 timestamp with a zone, e.g. 2026-11-20T10:00:00Z',
      'kind: must be one of mapping, config, release',
      'summary: must not be empty',
    ]);
    const q = await rows<{ feed: string; record_key: string }>(
      h.db,
      sql`select feed, record_key from quarantine where feed = 'changes' and record_key like 'CH-%'`,
    );
    expect(q).toEqual([{ feed: 'changes', record_key: 'CH-2' }]);
  });
});
