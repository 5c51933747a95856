/**
 * Reconciliation under SKU matching rules (SPEC 10): each rule on and off, the facility's rules
 * and the request's override (kept on the run), matchedByRule, both sides' SKUs as written on each
 * difference (table, API, CSV rows), on both join paths (rows unique or repeated under the rules).
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '@/db';
import { createApiKey } from '@/lib/auth/api-keys';
import { ingestItems } from '@/lib/ingest/feeds';
import { differenceFilters, iterateDifferences } from '@/lib/recon/queries';
import { executeRun, getRun, requestReconciliation } from '@/lib/recon/reconcile';
import type { SkuMatching } from '@/lib/sku-matching/rules';
import { saveSkuMatching } from '@/lib/sku-matching/settings';
import { testDb } from '@/lib/testing/db';
import { POST as postSnapshot } from '@/app/api/v1/snapshots/route';
import { POST as postRecon } from '@/app/api/v1/reconciliations/route';
import { GET as getRecon } from '@/app/api/v1/reconciliations/[id]/route';
import { GET as getDifferences } from '@/app/api/v1/reconciliations/[id]/differences/route';

const h = testDb();
let key: string;
beforeAll(async () => {
  key = (await createApiKey(h.db, 'sku')).key;
  await ingestItems(
    h.db,
    ['SKU-008', 'SKU005', '00123', 'LOT-1'].map((sku) => ({
      value: { system: 'erp', sku, description: sku, baseUom: 'EA', uoms: [{ uom: 'CASE', toBase: 12 }] },
      raw: '{}',
    })),
    'test',
  );
});
beforeEach(async () => {
  await h.db.execute(sql`truncate reconciliation_runs, reconciliation_differences, sku_matching_rules cascade`);
});

type Row = { sku: string; location?: string; lot?: string; uom?: string; quantity: number };
let clock = Date.parse('2026-11-20T00:00:00Z');
async function snapshots(facility: string, erp: Row[], wms: Row[]) {
  for (const [system, list] of [
    ['erp', erp],
    ['wms', wms],
  ] as const) {
    clock += 60_000;
    const res = await postSnapshot(
      new Request('http://test/api/v1/snapshots', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          system,
          facility,
          takenAt: new Date(clock).toISOString(),
          rows: list.map((r) => ({ location: 'A', uom: 'EA', ...r })),
        }),
      }),
    );
    expect(res.status).toBe(201);
  }
}

async function reconcile(facility: string, override?: Partial<SkuMatching>) {
  const { id } = await requestReconciliation(h.db, facility, 'test', override);
  await executeRun(h.db, id);
  const run = (await getRun(h.db, id))!;
  const diffs = await rows<{ kind: string; sku: string; erp: string | null; wms: string | null; delta: string }>(
    h.db,
    sql`select kind, sku, erp_sku as erp, wms_sku as wms, trim_scale(delta)::text as delta
      from reconciliation_differences where run_id = ${id}`,
  );
  // Sorted here, by code point: the databases' collations order mixed-case codes differently.
  const list = diffs.map((d) => [d.kind, d.sku, d.erp, d.wms, d.delta]);
  const text = (r: unknown[]) => `${r[1]}\u0001${r[0]}\u0001${r[2]}`;
  return { run, diffs: list.sort((a, b) => (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0)) };
}

const ISSUE_ERP = [
  { sku: 'SKU-008', quantity: 10 },
  { sku: 'SKU005', quantity: 5 },
];
const ISSUE_WMS = [
  { sku: 'sku-008', quantity: 12 },
  { sku: 'SKU-005', quantity: 4 },
];

describe('SKU matching in reconciliation', () => {
  it('ignores case by default: sku-008 is SKU-008, a quantity difference showing both SKUs as written', async () => {
    await snapshots('CASE', ISSUE_ERP, ISSUE_WMS);
    const { run, diffs } = await reconcile('CASE');
    expect(run).toMatchObject({
      status: 'succeeded',
      skuMatching: { ignoreCase: true, ignoreSeparators: false, ignoreLeadingZeros: false },
      matchedByRule: 1,
    });
    expect(diffs).toEqual([
      ['missing_in_erp', 'SKU-005', null, 'SKU-005', '4'],
      ['quantity', 'SKU-008', 'SKU-008', 'sku-008', '2'],
      ['missing_in_wms', 'SKU005', 'SKU005', null, '-5'],
    ]);
    // Case off: both missing.
    const off = await reconcile('CASE', { ignoreCase: false });
    expect(off.run).toMatchObject({ skuMatching: { ignoreCase: false }, matchedByRule: 0 });
    expect(off.diffs.filter((d) => String(d[1]).toUpperCase() === 'SKU-008')).toEqual([
      ['missing_in_wms', 'SKU-008', 'SKU-008', null, '-10'],
      ['missing_in_erp', 'sku-008', null, 'sku-008', '12'],
    ]);
  });

  it("ignores separators when the facility's rules say so, or the request's override", async () => {
    await snapshots('SEP', ISSUE_ERP, ISSUE_WMS);
    const expected = [
      ['quantity', 'SKU-008', 'SKU-008', 'sku-008', '2'],
      ['quantity', 'SKU005', 'SKU005', 'SKU-005', '-1'],
    ];
    expect((await reconcile('SEP', { ignoreSeparators: true })).diffs).toEqual(expected);
    await saveSkuMatching(h.db, {
      facility: 'SEP',
      ignoreCase: true,
      ignoreSeparators: true,
      ignoreLeadingZeros: false,
    });
    const { run, diffs } = await reconcile('SEP');
    expect(diffs).toEqual(expected);
    expect(run).toMatchObject({ matchedByRule: 2, counts: { quantity: 2 } });
    // The override wins over the facility's rules, for that run only.
    expect((await reconcile('SEP', { ignoreSeparators: false })).diffs).toHaveLength(3);
    expect((await reconcile('SEP')).diffs).toEqual(expected);
    // The default row ('*') applies to facilities without rules of their own.
    await saveSkuMatching(h.db, {
      facility: '*',
      ignoreCase: false,
      ignoreSeparators: true,
      ignoreLeadingZeros: false,
    });
    await snapshots('OTHER', ISSUE_ERP, ISSUE_WMS);
    expect((await reconcile('OTHER')).diffs).toEqual([
      ['missing_in_wms', 'SKU-008', 'SKU-008', null, '-10'],
      ['quantity', 'SKU005', 'SKU005', 'SKU-005', '-1'],
      ['missing_in_erp', 'sku-008', null, 'sku-008', '12'],
    ]);
  });

  it('ignores leading zeros only when asked', async () => {
    await snapshots('ZERO', [{ sku: '00123', quantity: 5 }], [{ sku: '123', quantity: 5 }]);
    expect((await reconcile('ZERO')).diffs).toEqual([
      ['missing_in_wms', '00123', '00123', null, '-5'],
      ['missing_in_erp', '123', null, '123', '5'],
    ]);
    const on = await reconcile('ZERO', { ignoreLeadingZeros: true });
    // Equal quantities: no difference, but the pair matched thanks to the rule.
    expect(on).toMatchObject({ run: { matchedByRule: 1, counts: {} }, diffs: [] });
  });

  it('sums rows the rules make one position (the aggregating path), and pairs lot splits by the key', async () => {
    await snapshots(
      'SUM',
      [
        { sku: 'ab-1', quantity: 2 },
        { sku: 'AB-1', quantity: 3 },
        { sku: 'LOT-1', lot: 'L1', quantity: 7 },
      ],
      [
        { sku: 'AB-1', quantity: 5 },
        { sku: 'lot-1', lot: 'L2', quantity: 7 },
      ],
    );
    const flags = await rows<{ system: string; keys: boolean; positions: boolean }>(
      h.db,
      sql`select system, unique_sku_keys as keys, unique_positions as positions from snapshots where facility = 'SUM'
        order by system`,
    );
    expect(flags).toEqual([
      { system: 'erp', keys: false, positions: true },
      { system: 'wms', keys: true, positions: true },
    ]);
    const { run, diffs } = await reconcile('SUM');
    expect(diffs).toEqual([['lot', 'LOT-1', 'LOT-1', 'lot-1', '0']]);
    // ab-1 + AB-1 against AB-1 (several texts on one side), and the lot pair.
    expect(run.matchedByRule).toBe(2);
    const exact = await reconcile('SUM', { ignoreCase: false });
    expect(exact.diffs).toEqual([
      ['quantity', 'AB-1', 'AB-1', 'AB-1', '2'],
      ['missing_in_wms', 'LOT-1', 'LOT-1', null, '-7'],
      ['missing_in_wms', 'ab-1', 'ab-1', null, '-2'],
      ['missing_in_erp', 'lot-1', null, 'lot-1', '7'],
    ]);
    expect(exact.run.matchedByRule).toBe(0);
  });
});

describe('the API', () => {
  const get = async (path: string, id: string) => {
    const handler = path.endsWith('differences') ? getDifferences : getRecon;
    const res = await handler(new Request(`http://t${path}`, { headers: { authorization: `Bearer ${key}` } }), {
      params: Promise.resolve({ id }),
    });
    return { status: res.status, body: await res.json() };
  };
  const start = (body: unknown) =>
    postRecon(
      new Request('http://t/api/v1/reconciliations', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}` },
        body: JSON.stringify(body),
      }),
    );

  it('takes an override, reports matchedByRule and the rules used, and lists both SKUs of each difference', async () => {
    await snapshots('API', ISSUE_ERP, ISSUE_WMS);
    const bad = await start({ facility: 'API', skuMatching: { ignoreCase: 'yes', ignoreZeros: true } });
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.details).toEqual([
      expect.stringMatching(/^skuMatching\.ignoreCase: .*boolean/),
      expect.stringMatching(/^skuMatching: .*ignoreZeros/),
    ]);
    const res = await start({ facility: 'API', skuMatching: { ignoreSeparators: true } });
    expect(res.status).toBe(202);
    const { id } = await res.json();
    let run = (await get(`/api/v1/reconciliations/${id}`, String(id))).body;
    for (let i = 0; i < 100 && (run.status === 'queued' || run.status === 'running'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      run = (await get(`/api/v1/reconciliations/${id}`, String(id))).body;
    }
    expect(run).toMatchObject({
      status: 'succeeded',
      counts: { quantity: 2 },
      matchedByRule: 2,
      skuMatching: { ignoreCase: true, ignoreSeparators: true, ignoreLeadingZeros: false },
    });
    const list = await get(`/api/v1/reconciliations/${id}/differences`, String(id));
    expect(list.body).toMatchObject({ page: 1, pages: 1, total: 2 });
    const bySku = (a: string[], b: string[]) => (a[0] < b[0] ? -1 : 1);
    const listed = list.body.differences.map((d: Record<string, string>) => [d.sku, d.erpSku, d.wmsSku, d.delta]);
    expect(listed.sort(bySku)).toEqual([
      ['SKU-008', 'SKU-008', 'sku-008', '2'],
      ['SKU005', 'SKU005', 'SKU-005', '-1'],
    ]);
    expect((await get('/x/differences', '999999')).status).toBe(404);
    // The CSV export's rows carry them too.
    const csvRows = [];
    for await (const batch of iterateDifferences(h.db, differenceFilters.parse({ run: String(id) }), false))
      csvRows.push(...batch);
    expect(csvRows.map((d) => [d.erpSku ?? '', d.wmsSku ?? '']).sort(bySku)).toEqual([
      ['SKU-008', 'sku-008'],
      ['SKU005', 'SKU-005'],
    ]);
    // The page's SKU filter finds a difference by either side's SKU as written.
    for (const sku of ['SKU-005', 'SKU005'])
      expect(
        (await iterateDifferences(h.db, differenceFilters.parse({ run: String(id), sku }), false).next()).value,
      ).toHaveLength(1);
  });
});
