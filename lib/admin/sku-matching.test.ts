/**
 * The SKU matching admin list (SPEC 10): an admin sets the rules per facility ('*' the default)
 * through its API, its form and its CSV; every other role is refused by each, on the server, and
 * nothing changes. Changing the default recomputes the master data audit with it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '@/db';
import { ROLES, type Role } from '@/db/schema';
import { listAction } from '@/lib/admin/list-actions';
import { answerList, answerListCsv, type ListMethod } from '@/lib/admin/list-route';
import type { SessionUser } from '@/lib/auth/session';
import { handler } from '@/lib/http/route';
import { ingestItems } from '@/lib/ingest/feeds';
import { DEFAULT_SKU_MATCHING } from '@/lib/sku-matching/rules';
import { skuMatchingFor } from '@/lib/sku-matching/settings';
import { testDb } from '@/lib/testing/db';
import { signedInUsers } from '@/lib/testing/users';

const h = testDb();
let as: Record<Role, SessionUser>;
beforeAll(async () => {
  as = await signedInUsers(h.db);
});
const REFUSED = ROLES.filter((r) => r !== 'admin');

const api = handler((req: Request, user: SessionUser) =>
  answerList(req.method as ListMethod, req, 'sku-matching', user),
);
async function call(role: Role, method: ListMethod, query = '', body?: unknown) {
  const req = new Request(`http://test/api/admin/sku-matching${query}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const res = await api(req, as[role]);
  return { status: res.status, body: await res.json() };
}
const form = (values: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(values)) f.append(k, v);
  return f;
};
const stored = () =>
  rows<{ facility: string; c: boolean; s: boolean; z: boolean }>(
    h.db,
    sql`select facility, ignore_case as c, ignore_separators as s, ignore_leading_zeros as z from sku_matching_rules
      order by facility`,
  );

describe('SKU matching rules per facility', () => {
  it('starts from the built-in default: ignore case on, separators and leading zeros off', async () => {
    expect(DEFAULT_SKU_MATCHING).toEqual({ ignoreCase: true, ignoreSeparators: false, ignoreLeadingZeros: false });
    expect(await skuMatchingFor(h.db, 'DC1')).toEqual(DEFAULT_SKU_MATCHING);
    expect((await call('admin', 'GET')).body).toEqual({
      skuMatching: [{ facility: '*', ...DEFAULT_SKU_MATCHING, own: false }],
    });
  });

  it('an admin sets, changes and resets them through the API; a facility falls back to the default row', async () => {
    const dc1 = { facility: ' DC1 ', ignoreCase: false, ignoreSeparators: true, ignoreLeadingZeros: true };
    expect(await call('admin', 'PUT', '', dc1)).toEqual({
      status: 201,
      body: { skuMatching: { ...dc1, facility: 'DC1' } },
    });
    expect((await call('admin', 'PUT', '', { ...dc1, ignoreCase: true })).status).toBe(200);
    expect(await skuMatchingFor(h.db, 'DC1')).toEqual({
      ignoreCase: true,
      ignoreSeparators: true,
      ignoreLeadingZeros: true,
    });
    const every = { facility: '*', ignoreCase: false, ignoreSeparators: false, ignoreLeadingZeros: true };
    expect((await call('admin', 'PUT', '', every)).status).toBe(201);
    expect(await skuMatchingFor(h.db, 'DC2')).toEqual({
      ignoreCase: false,
      ignoreSeparators: false,
      ignoreLeadingZeros: true,
    });
    expect(await call('admin', 'PUT', '', { facility: '', ignoreCase: 'maybe' })).toEqual({
      status: 422,
      body: {
        error: {
          code: 'validation_failed',
          message: 'The SKU matching rules were not saved.',
          details: [
            "facility: is required ('*' for every facility)",
            'ignoreCase: must be true or false',
            'ignoreSeparators: must be true or false',
            'ignoreLeadingZeros: must be true or false',
          ],
        },
      },
    });
    expect(await call('admin', 'DELETE', '?facility=*')).toEqual({ status: 200, body: { removed: { facility: '*' } } });
    expect((await call('admin', 'DELETE', '?facility=*')).status).toBe(404);
    expect(await skuMatchingFor(h.db, 'DC2')).toEqual(DEFAULT_SKU_MATCHING);
    expect(await call('admin', 'DELETE', '?facility=DC1')).toEqual({
      status: 200,
      body: { removed: { facility: 'DC1' } },
    });
    expect(await stored()).toEqual([]);
  });

  it('an admin sets them from the form too, and a bad form is answered by field', async () => {
    const save = (values: Record<string, string>) => listAction('save', 'sku-matching').run(as.admin, form(values));
    expect(
      (await save({ facility: 'DC3', ignoreCase: 'true', ignoreSeparators: 'true', ignoreLeadingZeros: 'false' }))
        .state,
    ).toEqual({ ok: 'Set the SKU matching of DC3: ignore case, separators.' });
    expect(
      (await save({ facility: '', ignoreCase: 'true', ignoreSeparators: 'x', ignoreLeadingZeros: 'no' })).state,
    ).toEqual({
      error: 'The SKU matching rules were not saved.',
      fieldErrors: { facility: "is required ('*' for every facility)", ignoreSeparators: 'must be true or false' },
    });
    expect(await stored()).toEqual([{ facility: 'DC3', c: true, s: true, z: false }]);
    const csv = await handler(() => answerListCsv('sku-matching', as.admin))(new Request('http://test/csv'));
    expect((await csv.text()).split('\r\n').slice(0, 3)).toEqual([
      'facility,ignoreCase,ignoreSeparators,ignoreLeadingZeros,own',
      '*,true,false,false,false',
      'DC3,true,true,false,true',
    ]);
    expect((await listAction('remove', 'sku-matching').run(as.admin, form({ facility: 'DC3' }))).state).toEqual({});
    expect(await stored()).toEqual([]);
  });

  it('refuses every other role on the server: API, CSV and form, reading and writing; nothing changes', async () => {
    await call('admin', 'PUT', '', {
      facility: 'KEEP',
      ignoreCase: true,
      ignoreSeparators: true,
      ignoreLeadingZeros: true,
    });
    const before = await stored();
    const rules = { facility: 'KEEP', ignoreCase: 'false', ignoreSeparators: 'false', ignoreLeadingZeros: 'false' };
    for (const role of REFUSED) {
      for (const [method, query, body] of [
        ['GET', ''],
        ['PUT', '', rules],
        ['PUT', '', { ...rules, facility: '*' }],
        ['DELETE', '?facility=KEEP'],
      ] as const) {
        expect(await call(role, method, query, body), `${role} ${method}`).toEqual({
          status: 403,
          body: { error: { code: 'forbidden', message: `The role ${role} may not do this.`, details: [] } },
        });
      }
      const csv = await handler(() => answerListCsv('sku-matching', as[role]))(new Request('http://test/csv'));
      expect(csv.status, `${role} csv`).toBe(403);
      for (const [kind, values] of [
        ['save', rules],
        ['remove', { facility: 'KEEP' }],
      ] as const) {
        await expect(
          listAction(kind, 'sku-matching').run(as[role], form(values)),
          `${role} ${kind}`,
        ).rejects.toMatchObject({ code: 'forbidden', status: 403 });
      }
    }
    expect(await stored()).toEqual(before);
    expect((await call('admin', 'DELETE', '?facility=KEEP')).status).toBe(200);
  });
});

describe('the master data audit under the default rules', () => {
  const item = (system: string, sku: string, over: Record<string, unknown> = {}) => ({
    value: {
      system,
      sku,
      description: sku,
      baseUom: 'EA',
      uoms: [],
      lotControlled: false,
      serialControlled: false,
      unitCost: '1',
      status: 'active',
      ...over,
    },
    raw: '{}',
  });
  const findings = async () =>
    (
      await rows<{ kind: string; sku: string; other: string | null }>(
        h.db,
        sql`select kind, sku, other_sku as other from master_data_findings order by kind, sku`,
      )
    ).map((f) => [f.kind, f.sku, f.other]);
  const setDefault = (rules: Record<string, boolean>) =>
    call('admin', 'PUT', '', {
      facility: '*',
      ignoreCase: false,
      ignoreSeparators: false,
      ignoreLeadingZeros: false,
      ...rules,
    });

  it('compares codes the rules make one as one item, and lists them as near-identical; recomputed on a change', async () => {
    await ingestItems(
      h.db,
      [
        item('erp', 'SKU-008'),
        item('wms', 'sku-008', { baseUom: 'PCS' }),
        item('erp', 'SKU005'),
        item('wms', 'SKU-005'),
        item('erp', '000456'),
        item('wms', '456'),
      ],
      'test',
    );
    // Default: case ignored, so sku-008 is SKU-008 (its base UOM compared); the others are missing on a side.
    expect(await findings()).toEqual([
      ['base_uom', 'SKU-008', null],
      ['missing_in_erp', '456', null],
      ['missing_in_erp', 'SKU-005', null],
      ['missing_in_wms', '000456', null],
      ['missing_in_wms', 'SKU005', null],
      ['near_identical_code', '000456', '456'],
      ['near_identical_code', 'SKU-008', 'sku-008'],
    ]);
    await setDefault({ ignoreCase: false });
    expect(await findings()).toEqual([
      ['missing_in_erp', '456', null],
      ['missing_in_erp', 'SKU-005', null],
      ['missing_in_erp', 'sku-008', null],
      ['missing_in_wms', '000456', null],
      ['missing_in_wms', 'SKU-008', null],
      ['missing_in_wms', 'SKU005', null],
      ['near_identical_code', '000456', '456'],
      ['near_identical_code', 'SKU-008', 'sku-008'],
    ]);
    await setDefault({ ignoreCase: true, ignoreSeparators: true, ignoreLeadingZeros: true });
    expect(await findings()).toEqual([
      ['base_uom', 'SKU-008', null],
      ['near_identical_code', '000456', '456'],
      ['near_identical_code', 'SKU-008', 'sku-008'],
      ['near_identical_code', 'SKU005', 'SKU-005'],
    ]);
    await setDefault({ ignoreSeparators: true });
    expect(await findings()).toEqual([
      ['missing_in_erp', '456', null],
      ['missing_in_erp', 'sku-008', null],
      ['missing_in_wms', '000456', null],
      ['missing_in_wms', 'SKU-008', null],
      ['near_identical_code', '000456', '456'],
      ['near_identical_code', 'SKU-008', 'sku-008'],
      ['near_identical_code', 'SKU005', 'SKU-005'],
    ]);
    expect((await call('admin', 'DELETE', '?facility=*')).status).toBe(200);
    expect((await findings()).filter((f) => f[0] !== 'near_identical_code')).toEqual([
      ['base_uom', 'SKU-008', null],
      ['missing_in_erp', '456', null],
      ['missing_in_erp', 'SKU-005', null],
      ['missing_in_wms', '000456', null],
      ['missing_in_wms', 'SKU005', null],
    ]);
  });
});
