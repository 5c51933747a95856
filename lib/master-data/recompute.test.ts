import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '@/db';
import { testDb } from '@/lib/testing/db';
import { ingestItems } from '@/lib/ingest/feeds';

const h = testDb();

const raw = (xs: unknown[]) => xs.map((value) => ({ value, raw: JSON.stringify(value) }));
const item = (system: string, sku: string, over: Record<string, unknown> = {}) => ({
  system,
  sku,
  description: sku,
  baseUom: 'EA',
  uoms: [{ uom: 'CASE', toBase: 12 }],
  lotControlled: false,
  serialControlled: false,
  unitCost: '1',
  status: 'active',
  ...over,
});
const findings = () =>
  rows<{ kind: string; sku: string; other: string | null; field: string; erp: string | null; wms: string | null }>(
    h.db,
    sql`select kind, sku, other_sku as other, field, erp_value as erp, wms_value as wms from master_data_findings order
      by kind, sku, field`,
  );

describe('master data audit', () => {
  it('compares both item masters field by field and finds near-identical codes', async () => {
    await ingestItems(
      h.db,
      raw([
        item('erp', 'SAME'),
        item('wms', 'SAME', { uoms: [{ uom: 'case', toBase: '12.000' }], status: 'ACTIVE' }),
        item('erp', 'DIFF', {
          lotControlled: true,
          serialControlled: true,
          status: 'blocked',
          uoms: [
            { uom: 'CASE', toBase: 12 },
            { uom: 'PLT', toBase: 480 },
          ],
        }),
        item('wms', 'DIFF', { baseUom: 'PCS', uoms: [{ uom: 'CASE', toBase: 10 }] }),
        item('erp', 'ERPONLY'),
        item('wms', 'WMSONLY'),
        item('erp', '000456'),
        item('wms', '456'),
        item('erp', 'ab 12'),
        item('wms', 'AB12'),
      ]),
      'test',
    );
    expect(await findings()).toEqual([
      { kind: 'base_uom', sku: 'DIFF', other: null, field: 'baseUom', erp: 'EA', wms: 'PCS' },
      { kind: 'conversion', sku: 'DIFF', other: null, field: 'uoms.CASE', erp: '12', wms: '10' },
      { kind: 'conversion', sku: 'DIFF', other: null, field: 'uoms.PLT', erp: '480', wms: null },
      { kind: 'lot_control', sku: 'DIFF', other: null, field: 'lotControlled', erp: 'true', wms: 'false' },
      { kind: 'missing_in_erp', sku: '456', other: null, field: 'item', erp: null, wms: 'present' },
      { kind: 'missing_in_erp', sku: 'AB12', other: null, field: 'item', erp: null, wms: 'present' },
      { kind: 'missing_in_erp', sku: 'WMSONLY', other: null, field: 'item', erp: null, wms: 'present' },
      { kind: 'missing_in_wms', sku: '000456', other: null, field: 'item', erp: 'present', wms: null },
      { kind: 'missing_in_wms', sku: 'ERPONLY', other: null, field: 'item', erp: 'present', wms: null },
      { kind: 'missing_in_wms', sku: 'ab 12', other: null, field: 'item', erp: 'present', wms: null },
      { kind: 'near_identical_code', sku: '000456', other: '456', field: 'sku', erp: '000456', wms: '456' },
      { kind: 'near_identical_code', sku: 'ab 12', other: 'AB12', field: 'sku', erp: 'ab 12', wms: 'AB12' },
      { kind: 'serial_control', sku: 'DIFF', other: null, field: 'serialControlled', erp: 'true', wms: 'false' },
      { kind: 'status', sku: 'DIFF', other: null, field: 'status', erp: 'blocked', wms: 'active' },
    ]);
  });

  it('is recomputed when item masters arrive', async () => {
    await ingestItems(
      h.db,
      raw([
        item('wms', 'DIFF', {
          baseUom: 'EA',
          uoms: [
            { uom: 'CASE', toBase: 12 },
            { uom: 'PLT', toBase: 480 },
          ],
          lotControlled: true,
          serialControlled: true,
          status: 'blocked',
        }),
        item('wms', 'ERPONLY'),
      ]),
      'test',
    );
    const kinds = (await findings()).map((f) => `${f.kind}:${f.sku}`);
    expect(kinds.filter((k) => k.endsWith(':DIFF') || k.endsWith(':ERPONLY'))).toEqual([]);
  });
});
