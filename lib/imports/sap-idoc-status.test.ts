import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rows } from '@/db';
import { validateMessages } from '@/lib/ingest/validate';
import { testDb } from '@/lib/testing/db';
import { rejectsWithAppError } from '@/lib/testing/errors';
import { STAGE_BATCH } from './sap-idoc-status';
import { collectSap, fileOf } from './sap/testing';

const h = testDb();
const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'sap-idoc-status');
const fixture = (name: string, chunk = 97) => fileOf(name, readFileSync(path.join(FIXTURES, name), 'utf8'), chunk);
const PARTNERS = { 'partner.WMSDC1': 'DC1', 'partner.WMSDC2': 'DC2' };

let importId = 100;
const sap = (files: ReturnType<typeof fileOf>[], options: Record<string, string> = PARTNERS, dryRun = false) =>
  collectSap(h.db, files, { options, dryRun, importId: ++importId });

const count = async (table: string) =>
  Number((await rows<{ n: number }>(h.db, sql.raw(`select count(*)::int as n from ${table}`)))[0].n);

beforeEach(async () => {
  await h.db.execute(sql`truncate idoc_control, idoc_status`);
});

const byId = (records: { value: Record<string, unknown> }[]) =>
  Object.fromEntries(records.map((r) => [r.value.messageId as string, r.value]));

/** The messages the fixtures' README promises (UTC). */
const EXPECTED = {
  '0000000000700101': {
    txType: 'putaway',
    direction: 'erp_to_wms',
    facility: 'DC1',
    status: 'delivered',
    attempts: 1,
    errorCode: null,
    errorMessage: null,
    createdAt: '2026-11-20T08:00:00.000Z',
    processedAt: '2026-11-20T08:00:12.000Z',
    updatedAt: '2026-11-20T08:00:12.000Z',
  },
  '0000000000700102': {
    txType: 'adjustment',
    direction: 'wms_to_erp',
    facility: 'DC1',
    status: 'failed',
    attempts: 1,
    errorCode: 'ZWM/114',
    errorMessage: 'No stock of SKU-10023 in plant 1000, storage location 0001',
    createdAt: '2026-11-20T09:15:00.000Z',
    processedAt: null,
    updatedAt: '2026-11-20T09:15:03.000Z',
  },
  '0000000000700103': {
    txType: 'shipment',
    direction: 'wms_to_erp',
    facility: 'DC2',
    status: 'delivered',
    attempts: 2,
    errorCode: null,
    errorMessage: null,
    createdAt: '2026-11-20T10:10:00.000Z',
    processedAt: '2026-11-21T10:15:00.000Z',
    updatedAt: '2026-11-21T10:15:00.000Z',
  },
  '0000000000700104': {
    txType: 'order_release',
    direction: 'erp_to_wms',
    facility: 'DC2',
    status: 'failed',
    attempts: 1,
    errorCode: 'ZWM/310',
    errorMessage: 'Port WMSPORT could not be reached (timeout, 30 s)',
    createdAt: '2026-11-20T11:30:00.000Z',
    processedAt: null,
    updatedAt: '2026-11-20T11:30:01.000Z',
  },
  '0000000000700105': {
    txType: 'cycle_count',
    direction: 'wms_to_erp',
    facility: 'DC1',
    status: 'dead_letter',
    attempts: 1,
    errorCode: 'ZWM/402',
    errorMessage: 'Count document CNT-778 not found',
    createdAt: '2026-11-20T12:00:00.000Z',
    processedAt: null,
    updatedAt: '2026-11-22T09:00:00.000Z',
  },
  '0000000000700106': {
    txType: 'item_master',
    direction: 'erp_to_wms',
    facility: 'DC1',
    status: 'pending',
    attempts: 1,
    errorCode: null,
    errorMessage: null,
    createdAt: '2026-11-20T13:00:00.000Z',
    processedAt: null,
    updatedAt: '2026-11-20T13:00:00.000Z',
  },
  '0000000000700107': {
    txType: 'purchase_order',
    direction: 'wms_to_erp',
    facility: 'DC2',
    status: 'pending',
    attempts: 1,
    errorCode: null,
    errorMessage: null,
    createdAt: '2026-11-20T14:00:00.000Z',
    processedAt: null,
    updatedAt: '2026-11-20T14:00:02.000Z',
  },
};

const FORMS = [
  ['tab', 'EDIDC.txt', 'EDIDS.txt'],
  ['semicolon, lower-case header', 'edidc-semicolon.csv', 'edids-semicolon.csv'],
  ['pipe with dashes (SE16 list)', 'edidc-se16-list.txt', 'edids-se16-list.txt'],
  ['comma, quoted cells, CRLF', 'edidc.csv', 'edids.csv'],
] as const;

describe('sap-idoc-status: the fixtures in every delimiter form', () => {
  it.each(FORMS)('reads the %s form into the messages the README lists', async (_, edidc, edids) => {
    const out = await sap([fixture(edidc), fixture(edids)]);
    expect(out.rows).toBe(7 + 19);
    expect(out.warnings).toEqual([]);
    const got = byId(out.records);
    expect(Object.keys(got).sort()).toEqual(Object.keys(EXPECTED));
    for (const [id, want] of Object.entries(EXPECTED)) expect(got[id], id).toMatchObject({ messageId: id, ...want });
    // The record points at its control row, with that row's text.
    const first = out.records.find((r) => r.value.messageId === '0000000000700101')!;
    expect(first).toMatchObject({ file: edidc, row: 1 });
    expect(first.raw).toContain('0000000000700101');
    expect(first.raw).toContain('WMTORD');
    // The status row without a control record: rejected with its text and place, and kept.
    expect(out.rejected).toEqual([
      expect.objectContaining({
        file: edids,
        row: 19,
        key: '0000000000799999',
        errors: [expect.stringMatching(/no control record/)],
      }),
    ]);
    expect(out.rejected[0].raw).toContain('No control record in this export');
    expect(await count('idoc_status')).toBe(19);
    expect(await count('idoc_control')).toBe(7);
    // Every record passes the v1 contract.
    const checked = validateMessages(out.records.map((r) => ({ value: r.value, raw: r.raw })));
    expect(checked.rejected).toEqual([]);
  });

  it('gives the same messages whichever form and whichever file order', async () => {
    const results = [];
    for (const [, edidc, edids] of FORMS) {
      await h.db.execute(sql`truncate idoc_control, idoc_status`);
      results.push(byId((await sap([fixture(edids), fixture(edidc)])).records));
    }
    for (const r of results.slice(1)) expect(r).toEqual(results[0]);
  });
});

describe('sap-idoc-status: reading', () => {
  it('reads header names in any case and keeps DOCNUM as written', async () => {
    const edidc =
      'DocNum\tmestyp\tStatus\tDIRECT\tsndprn\tCreDat\tcretim\n000042\tWMMBXY\t53\t2\tWMSDC1\t20261120\t100000\n';
    const out = await sap([fileOf('c.txt', edidc)]);
    expect(out.records.map((r) => r.value.messageId)).toEqual(['000042']);
    expect(await rows(h.db, sql`select docnum from idoc_control`)).toEqual([{ docnum: '000042' }]);
  });

  it('reads dates in the option timezone', async () => {
    const out = await sap([fixture('EDIDC.txt'), fixture('EDIDS.txt')], { ...PARTNERS, timezone: 'Europe/Berlin' });
    expect(byId(out.records)['0000000000700101']).toMatchObject({
      createdAt: '2026-11-20T07:00:00.000Z',
      processedAt: '2026-11-20T07:00:12.000Z',
    });
  });

  it('rejects rows with dates that do not exist, naming the field and the value', async () => {
    const edidc =
      'DOCNUM;MESTYP;STATUS;CREDAT;CRETIM\n0001;WMMBXY;51;20201332;100000\n0002;WMMBXY;51;20261120;100000\n';
    const edids = 'DOCNUM;COUNTR;STATUS;LOGDAT;LOGTIM\n0001;1;51;20261120;100000\n0002;1;51;20261131;100000\n';
    const out = await sap([fileOf('c.csv', edidc), fileOf('s.csv', edids)], { facility: 'DC1' });
    expect(out.rejected).toEqual([
      expect.objectContaining({
        file: 'c.csv',
        row: 1,
        key: '0001',
        errors: ['CREDAT "20201332" is not a date (YYYYMMDD)'],
      }),
      expect.objectContaining({
        file: 's.csv',
        row: 2,
        key: '0002',
        errors: ['LOGDAT "20261131" is not a date (YYYYMMDD)'],
      }),
      expect.objectContaining({
        file: 's.csv',
        row: 1,
        key: '0001',
        errors: [
          expect.stringContaining(
            'has no control record (EDIDC row) in this import or stored (its EDIDC row, c.csv row 1, was rejected)',
          ),
        ],
      }),
    ]);
    expect(byId(out.records)['0002']).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it.each([
    ['an empty file', '', /the file is empty/],
    ['a file of blank lines', '\n\n  \n', /the file is empty/],
    [
      'a header with no SAP field',
      'Id;Type;When\n1;2;3\n',
      /names no SAP IDoc table \(found: ID, TYPE, WHEN\)\. Expected the field names of EDIDC/,
    ],
    ['a header without delimiter', 'DOCNUM MESTYP STATUS CREDAT CRETIM\n', /no tab, pipe, semicolon or comma/],
    ['header cells that run together', 'DOCNUM MESTYP STATUS,CREDAT CRETIM\n1 X 3,4 5\n', /fields run together/],
    ['an EDIDS header without LOGDAT', 'DOCNUM\tCOUNTR\tSTATUS\n1\t1\t51\n', /needs the fields LOGDAT, LOGTIM/],
  ])('refuses %s as a whole with a 400', async (_, text, message) => {
    const err = await rejectsWithAppError(sap([fileOf('f.txt', text)]));
    expect(err.code).toBe('bad_request');
    expect(err.message).toMatch(message);
  });

  it('refuses a timezone or a map option that cannot be used, before reading', async () => {
    await expect(sap([], { timezone: 'Mars/Olympus' })).rejects.toThrow(/Option timezone/);
    await expect(sap([], { 'map.ZFOO': 'sales' })).rejects.toThrow(/Option map\.ZFOO: "sales" is not a txType/);
  });
});

describe('sap-idoc-status: options', () => {
  const edidc =
    'DOCNUM|MESTYP|STATUS|DIRECT|SNDPRN|RCVPRN|CREDAT|CRETIM\n' +
    '0000000000000001|ZWMRET|53|2|0000100001|S4P|20261120|100000\n' +
    '0000000000000002|WMMBXY|53|1|S4P|WMSX|20261120|100000\n' +
    '0000000000000003|ZUNKNOWN|53|2|WMSDC1|S4P|20261120|100000\n';

  it('maps MESTYP and partners through map. and partner. options, else option facility', async () => {
    const out = await sap([fileOf('c.txt', edidc)], {
      'map.ZWMRET': 'return',
      'map.WMMBXY': 'receipt',
      'partner.100001': 'DC5',
      facility: 'MAIN',
    });
    const got = byId(out.records);
    expect(got['0000000000000001']).toMatchObject({ txType: 'return', facility: 'DC5', direction: 'wms_to_erp' });
    expect(got['0000000000000002']).toMatchObject({ txType: 'receipt', facility: 'MAIN', direction: 'erp_to_wms' });
  });

  it('rejects an unmapped MESTYP and an IDoc without facility, naming the options to add', async () => {
    const out = await sap([fileOf('c.txt', edidc)], {});
    expect(out.records).toEqual([]);
    const errors = Object.fromEntries(out.rejected.map((r) => [r.key, r.errors]));
    expect(errors['0000000000000003']).toEqual([
      expect.stringMatching(/^MESTYP "ZUNKNOWN" has no txType: add the option map\.ZUNKNOWN=<txType>/),
      'no facility for this IDoc: add the option partner.WMSDC1=<facility> (its SNDPRN is "WMSDC1") or the option facility',
    ]);
    expect(out.rejected.find((r) => r.key === '0000000000000003')).toMatchObject({ file: 'c.txt', row: 3 });
    expect(out.rejected.find((r) => r.key === '0000000000000003')!.raw).toBe(
      '0000000000000003|ZUNKNOWN|53|2|WMSDC1|S4P|20261120|100000',
    );
  });
});

describe('sap-idoc-status: status rows across imports', () => {
  const edidc =
    'DOCNUM\tMESTYP\tSTATUS\tDIRECT\tSNDPRN\tCREDAT\tCRETIM\n0000000000900001\tWMMBXY\t50\t2\tWMSDC1\t20261120\t100000\n';
  const first =
    'DOCNUM\tCOUNTR\tSTATUS\tLOGDAT\tLOGTIM\tSTAMID\tSTAMNO\tSTATXT\tSTAPA1\n' +
    '0000000000900001\t1\t50\t20261120\t100000\t\t\t\t\n' +
    '0000000000900001\t2\t51\t20261120\t100005\tZWM\t114\tNo stock of &1\tSKU-1\n';
  const later = 'DOCNUM\tCOUNTR\tSTATUS\tLOGDAT\tLOGTIM\n0000000000900001\t3\t53\t20261121\t100005\n';

  it('recomputes a reprocessed IDoc from every row known: 51, then 53 a day later → delivered, 2 attempts', async () => {
    const a = await sap([fileOf('EDIDC.txt', edidc), fileOf('EDIDS-1.txt', first)]);
    expect(a.records[0].value).toMatchObject({
      status: 'failed',
      attempts: 1,
      errorCode: 'ZWM/114',
      errorMessage: 'No stock of SKU-1',
    });
    const b = await sap([fileOf('EDIDS-2.txt', later)]);
    expect(b.records).toHaveLength(1);
    expect(b.records[0]).toMatchObject({ file: 'EDIDS-2.txt', row: 1 });
    expect(b.records[0].raw).toContain('WMMBXY'); // the control row's text, stored by the first import
    expect(b.records[0].value).toMatchObject({
      status: 'delivered',
      attempts: 2,
      errorCode: null,
      processedAt: '2026-11-21T10:00:05.000Z',
      updatedAt: '2026-11-21T10:00:05.000Z',
      createdAt: '2026-11-20T10:00:00.000Z',
    });
  });

  it('keeps status rows without a control record, and counts them once an EDIDC file brings it', async () => {
    const a = await sap([fileOf('EDIDS-1.txt', first)]);
    expect(a.records).toEqual([]);
    expect(a.rejected.map((r) => [r.file, r.row])).toEqual([
      ['EDIDS-1.txt', 1],
      ['EDIDS-1.txt', 2],
    ]);
    expect(await count('idoc_status')).toBe(2);
    const b = await sap([fileOf('EDIDC.txt', edidc)]);
    expect(b.rejected).toEqual([]);
    expect(b.records[0]).toMatchObject({ file: 'EDIDC.txt', row: 1 });
    expect(b.records[0].value).toMatchObject({ status: 'failed', errorCode: 'ZWM/114' });
  });

  it('is idempotent: importing the same files again stores nothing more and computes the same messages', async () => {
    const a = await sap([fixture('EDIDC.txt'), fixture('EDIDS.txt')]);
    const b = await sap([fixture('edids.csv'), fixture('edidc.csv')]);
    expect(byId(b.records)).toEqual(byId(a.records));
    expect(await count('idoc_status')).toBe(19);
    expect(await count('idoc_control')).toBe(7);
  });

  it('stores nothing in a dry run, and still computes over the rows stored before', async () => {
    await sap([fileOf('EDIDC.txt', edidc), fileOf('EDIDS-1.txt', first)]);
    const before = await rows(h.db, sql`select docnum, countr, import_id from idoc_status order by countr`);
    const dry = await sap([fileOf('EDIDS-2.txt', later), fixture('EDIDC.txt'), fixture('EDIDS.txt')], PARTNERS, true);
    expect(byId(dry.records)['0000000000900001']).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(byId(dry.records)['0000000000700103']).toMatchObject(EXPECTED['0000000000700103']);
    expect(dry.rejected.map((r) => r.key)).toEqual(['0000000000799999']);
    expect(await rows(h.db, sql`select docnum, countr, import_id from idoc_status order by countr`)).toEqual(before);
    expect(await count('idoc_control')).toBe(1);
  });
});

describe('sap-idoc-status: volume', () => {
  it('stages and computes in batches: several pieces, every IDoc once', async () => {
    const n = 3_000;
    const ids = Array.from({ length: n }, (_, i) => String(i + 1).padStart(16, '0'));
    const edidc = [
      'DOCNUM,MESTYP,STATUS,DIRECT,SNDPRN,CREDAT,CRETIM',
      ...ids.map((d) => `${d},WMMBXY,50,2,WMSDC1,20261120,100000`),
    ];
    const edids = ['DOCNUM,COUNTR,STATUS,LOGDAT,LOGTIM'];
    for (const [i, d] of ids.entries()) {
      edids.push(
        `${d},1,50,20261120,100000`,
        `${d},2,51,20261120,100010`,
        `${d},3,${i % 2 ? '53' : '51'},20261120,100020`,
      );
    }
    const out = await sap([fileOf('s.csv', edids.join('\n'), 1000), fileOf('c.csv', edidc.join('\n'))]);
    expect(out.rows).toBe(n * 4);
    expect(out.rejected).toEqual([]);
    expect(out.records).toHaveLength(n);
    expect(out.pieces).toBeGreaterThan((n * 3) / STAGE_BATCH + 1);
    const statuses = out.records.map((r) => r.value.status);
    expect(statuses.filter((s) => s === 'delivered')).toHaveLength(n / 2);
    expect(out.records.find((r) => r.value.status === 'delivered')!.value.attempts).toBe(2);
  });
});
