/**
 * Inventory snapshots from files (SPEC 10) through the snapshot route: files without a UOM column
 * (option default.uom, else the ERP base UOM of the SKU, else a 422 naming the option), quantities
 * as written (decimal=, for a decimal comma), negative quantities and repeated positions kept and
 * listed in `warnings`, other columns ignored; and the pair of files of the issue reconciled.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '@/db';
import { createApiKey } from '@/lib/auth/api-keys';
import { ingestItems } from '@/lib/ingest/feeds';
import { executeRun, getRun, requestReconciliation } from '@/lib/recon/reconcile';
import { saveSkuMatching } from '@/lib/sku-matching/settings';
import { testDb } from '@/lib/testing/db';
import { POST as postSnapshot } from '@/app/api/v1/snapshots/route';

const h = testDb();
let key: string;
beforeAll(async () => {
  key = (await createApiKey(h.db, 'files')).key;
  const item = (sku: string, baseUom = 'EA') => ({
    value: { system: 'erp', sku, description: sku, baseUom, uoms: [{ uom: 'CASE', toBase: 12 }], unitCost: '1' },
    raw: '{}',
  });
  await ingestItems(
    h.db,
    ['SKU-001', 'SKU-002', 'SKU005', 'SKU-008', 'SKU-010', 'KG1'].map((s) => item(s, s === 'KG1' ? 'KG' : 'EA')),
    'test',
  );
});

let clock = Date.parse('2026-11-20T00:00:00Z');
async function upload(csv: string, query: Record<string, string>) {
  clock += 60_000;
  const q = new URLSearchParams({ system: 'wms', facility: 'F1', takenAt: new Date(clock).toISOString(), ...query });
  const res = await postSnapshot(
    new Request(`http://test/api/v1/snapshots?${q}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' },
      body: csv,
    }),
  );
  return { status: res.status, body: await res.json() };
}
const stored = (id: number) =>
  rows<{ sku: string; uom: string; q: string }>(
    h.db,
    sql`select sku, uom, quantity::text as q from snapshot_rows where snapshot_id = ${id} order by sku, quantity`,
  );

describe('a snapshot file without a UOM column', () => {
  it('takes option default.uom for every row', async () => {
    const r = await upload('sku,quantity,counted\nA1,5,2026-11-20\nB2,7,2026-11-19\n', { 'default.uom': 'PCS' });
    expect(r).toMatchObject({ status: 201, body: { rows: 2, warnings: [], warningCount: 0 } });
    expect(await stored(r.body.id)).toEqual([
      { sku: 'A1', uom: 'PCS', q: '5' },
      { sku: 'B2', uom: 'PCS', q: '7' },
    ]);
  });

  it("else takes the ERP item master's base UOM of each SKU, found under the facility's SKU rules", async () => {
    // sku-008 is the ERP's SKU-008 because case is ignored by default; a row with a UOM of its own keeps it.
    const r = await upload('sku,uom,quantity\nSKU-001,,3\nsku-008,,4\nKG1,,2.5\nSKU-002,CASE,1\n', {});
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(await stored(r.body.id)).toEqual([
      { sku: 'KG1', uom: 'KG', q: '2.5' },
      { sku: 'SKU-001', uom: 'EA', q: '3' },
      { sku: 'SKU-002', uom: 'CASE', q: '1' },
      { sku: 'sku-008', uom: 'EA', q: '4' },
    ]);
  });

  it('is refused with a 422 naming default.uom for each row neither gives a UOM, other errors alongside', async () => {
    const r = await upload('sku,quantity\nSKU-001,1\nNOPE,2\nNADA,ten\n', { facility: 'NOUOM' });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ code: 'validation_failed', rejectedCount: 2, rows: 3 });
    const uom = (sku: string) =>
      `uom: the row has no UOM, the option default.uom was not given, and the ERP item master has no item ${sku} ` +
      'with a base UOM; send default.uom=<UOM> or a UOM column';
    expect(r.body.error.details).toEqual([
      { index: 1, line: 'line 3', errors: [uom('NOPE')] },
      { index: 2, line: 'line 4', errors: [uom('NADA'), 'quantity: must be a decimal number'] },
    ]);
    const [n] = await rows<{ n: number }>(h.db, sql`select count(*)::int as n from snapshots where facility = 'NOUOM'`);
    expect(n.n).toBe(0);
    // Bad options are a 422 naming them.
    const bad = await upload('sku,quantity\nA,1\n', { 'default.uom': ' ', decimal: ';' });
    expect(bad).toMatchObject({ status: 422, body: { error: { code: 'validation_failed' } } });
    expect(bad.body.error.details).toEqual(['default.uom: must not be empty', 'decimal: must be one of ., ,']);
  });
});

describe('quantities as written', () => {
  it('keeps 70.0 as written, reads 1,5 with decimal=, and says which option a decimal comma needs', async () => {
    const r = await upload('sku,uom,quantity\nA,EA,70.0\nB,EA,0.250\n', {});
    expect(await stored(r.body.id)).toEqual([
      { sku: 'A', uom: 'EA', q: '70.0' },
      { sku: 'B', uom: 'EA', q: '0.250' },
    ]);
    const comma = await upload('sku;uom;quantity;date\nA;EA;1,5;20.11.2026\nB;EA;70,0;20.11.2026\nC;EA;-2;\n', {
      decimal: ',',
    });
    expect(comma.status, JSON.stringify(comma.body)).toBe(201);
    expect(await stored(comma.body.id)).toEqual([
      { sku: 'A', uom: 'EA', q: '1.5' },
      { sku: 'B', uom: 'EA', q: '70.0' },
      { sku: 'C', uom: 'EA', q: '-2' },
    ]);
    const without = await upload('sku,uom,quantity\nA,EA,"1,5"\n', {});
    expect(without.status).toBe(422);
    expect(without.body.error.details).toEqual([
      {
        index: 0,
        line: 'line 2',
        errors: ['quantity: "1,5" has a decimal comma; send the option decimal=, to read it'],
      },
    ]);
    const point = await upload('sku;uom;quantity\nA;EA;1.5\n', { decimal: ',' });
    expect(point.body.error.details).toEqual([
      {
        index: 0,
        line: 'line 2',
        errors: ['quantity: "1.5" has a point, but the option decimal=, says commas mark decimals'],
      },
    ]);
  });

  it('keeps negative quantities and repeated positions, and lists both in warnings', async () => {
    const csv = 'sku,location,lot,uom,quantity\nA,L1,,EA,5\nB,L1,,EA,-3\nA,L1,,EA,2\nA,L2,,EA,-0\nA,L1,,EA,1\n';
    const r = await upload(csv, {});
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ rows: 5, warningCount: 3 });
    expect(r.body.warnings).toEqual([
      { row: 3, message: 'quantity -3 is negative; kept as sent' },
      { row: 4, message: 'repeats the sku A, location L1 and lot (none) of row 2: their quantities are summed' },
      { row: 6, message: 'repeats the sku A, location L1 and lot (none) of row 2: their quantities are summed' },
    ]);
    expect((await stored(r.body.id)).map((x) => x.q)).toEqual(['0', '1', '2', '5', '-3']);
    const [flags] = await rows<{ positions: boolean; keys: boolean }>(
      h.db,
      sql`select unique_positions as positions, unique_sku_keys as keys from snapshots where id = ${r.body.id}`,
    );
    expect(flags).toEqual({ positions: false, keys: false });
  });
});

describe('the pair of files of the issue', () => {
  const fixture = (name: string) => readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');

  it('is stored without a UOM column, and reconciles to three quantity differences', async () => {
    await saveSkuMatching(h.db, {
      facility: 'STORY',
      ignoreCase: true,
      ignoreSeparators: true,
      ignoreLeadingZeros: false,
    });
    const at = (d: string) => ({ facility: 'STORY', takenAt: d });
    const erp = await upload(fixture('erp-onhand.csv'), {
      system: 'erp',
      ...at('2026-11-20T06:00:00Z'),
      'col.sku': 'Item',
      'col.location': 'Location',
      'col.lot': 'Batch',
      'col.quantity': 'Qty On Hand',
    });
    expect(erp, JSON.stringify(erp.body)).toMatchObject({ status: 201, body: { rows: 5, warnings: [] } });
    const wms = await upload(fixture('wms-onhand.csv'), { system: 'wms', ...at('2026-11-20T06:00:00Z') });
    expect(wms, JSON.stringify(wms.body)).toMatchObject({ status: 201, body: { rows: 5, warnings: [] } });
    expect((await stored(wms.body.id)).every((r) => r.uom === 'EA')).toBe(true);
    const { id } = await requestReconciliation(h.db, 'STORY', 'test');
    await executeRun(h.db, id);
    expect(await getRun(h.db, id)).toMatchObject({
      status: 'succeeded',
      counts: { quantity: 3 },
      matchedByRule: 2,
      skuMatching: { ignoreCase: true, ignoreSeparators: true, ignoreLeadingZeros: false },
    });
    const diffs = await rows<{ kind: string; sku: string; erpSku: string; wmsSku: string; delta: string }>(
      h.db,
      sql`select kind, sku, erp_sku as "erpSku", wms_sku as "wmsSku", trim_scale(delta)::text as delta
        from reconciliation_differences where run_id = ${id} order by sku`,
    );
    expect(diffs).toEqual([
      { kind: 'quantity', sku: 'SKU-002', erpSku: 'SKU-002', wmsSku: 'SKU-002', delta: '-5' },
      { kind: 'quantity', sku: 'SKU-008', erpSku: 'SKU-008', wmsSku: 'sku-008', delta: '2' },
      { kind: 'quantity', sku: 'SKU005', erpSku: 'SKU005', wmsSku: 'SKU-005', delta: '-2' },
    ]);
  });
});
