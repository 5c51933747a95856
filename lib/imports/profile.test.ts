import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testDb } from '@/lib/testing/db';
import { rejectsWithAppError } from '@/lib/testing/errors';
import { collect, memoryFile } from './collect';
import { profileFormat } from './profile';
import { canonicalJson, recordHash } from './profile-map';
import { deleteProfile, getProfile, listProfiles, saveProfile } from './profile-store';

const h = testDb();
const dir = path.join(__dirname, 'profiles');
const shipped = (name: string) => JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8'));
const sample = (file: string) => memoryFile(file, fs.readFileSync(path.join(dir, file)), 113);
const BASE = {
  messageId: 'id',
  txType: { const: 'receipt' },
  direction: { const: 'wms_to_erp' },
  status: 'st',
  createdAt: 'ts',
};
const run = async (profile: object, files: ReturnType<typeof memoryFile>[], options: Record<string, string> = {}) => {
  const saved = await saveProfile(h.db, profile, 'test');
  return collect(profileFormat, h.db, { profile: saved.name, ...options }, files);
};

describe('mapping profiles: storage and validation', () => {
  it('saves, lists, gets and deletes profiles by name with who saved them', async () => {
    const first = await saveProfile(h.db, { name: 'p1', input: 'csv', fields: BASE }, 'kim@example.com');
    expect(first.created).toBe(true);
    const again = await saveProfile(h.db, { name: 'p1', input: 'json', fields: BASE }, 'ravi@example.com');
    expect(again.created).toBe(false);
    expect(await getProfile(h.db, 'p1')).toMatchObject({ updatedBy: 'ravi@example.com', profile: { input: 'json' } });
    expect((await listProfiles(h.db)).map((p) => p.name)).toContain('p1');
    expect(await deleteProfile(h.db, 'p1')).toBe(true);
    expect(await deleteProfile(h.db, 'p1')).toBe(false);
    expect(await getProfile(h.db, 'p1')).toBeNull();
  });

  it('refuses a bad profile with 422 and one error per field, by path', async () => {
    const e = await rejectsWithAppError(
      saveProfile(
        h.db,
        {
          name: 'bad name!',
          input: 'xml',
          records: 'x',
          timezone: 'Mars/Olympus',
          fields: {
            messageId: { hash: 'yes' },
            txType: { const: 'teleport' },
            status: { path: 's', map: { OK: 'done' } },
            createdAt: { path: 't', format: 'YYYY-MM-dd' },
            sku: { hash: true },
            quantity: { path: 'q', format: 'iso' },
            colour: 'c',
            lot: { path: 'l', mapping: {} },
          },
        },
        null,
      ),
    );
    expect(e?.status).toBe(422);
    expect(e?.details).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^name: /),
        'input: must be csv, json or ndjson',
        expect.stringMatching(/^timezone: not an IANA time zone/),
        'fields.messageId.hash: must be exactly { "hash": true }',
        expect.stringMatching(/^fields\.txType\.const: must be one of item_master/),
        expect.stringMatching(/^fields\.status\.map\.OK: must be one of pending/),
        expect.stringMatching(/^fields\.createdAt\.format: use yyyy/),
        'fields.sku.hash: only messageId can be a hash of the record',
        expect.stringMatching(/^fields\.quantity\.format: a format reads timestamps/),
        expect.stringMatching(/^fields\.colour: not a message field/),
        expect.stringMatching(/^fields\.lot\.mapping: not a key of a source/),
        expect.stringMatching(/^fields\.direction: required/),
      ]),
    );
    const csvRecords = await rejectsWithAppError(
      saveProfile(h.db, { name: 'c', input: 'csv', records: 'a', fields: BASE }, null),
    );
    expect(csvRecords?.details).toEqual(['records: a CSV file has one record per row: leave it empty']);
  });

  it('the profile option is required and must name a saved profile (400 naming it)', async () => {
    const none = await rejectsWithAppError(collect(profileFormat, h.db, {}, []));
    expect(none?.status).toBe(400);
    expect(none?.message).toContain('option profile');
    const unknown = await rejectsWithAppError(collect(profileFormat, h.db, { profile: 'nope' }, []));
    expect(unknown?.status).toBe(400);
    expect(unknown?.message).toContain('no mapping profile is named "nope"');
    await saveProfile(h.db, { name: 'nofac', input: 'json', fields: BASE }, null);
    const noFacility = await rejectsWithAppError(collect(profileFormat, h.db, { profile: 'nofac' }, []));
    expect(noFacility?.message).toContain('option facility');
  });
});

describe('mapping profiles: sources', () => {
  it('reads dotted paths with numeric indexes, map and default, const, and turns numbers into text', async () => {
    const body = JSON.stringify({
      batch: {
        items: [
          { id: 114475, st: 'OK', ts: '2026-11-20T10:00:00Z', inv: { sku: 'SKU-1', lines: [{ qty: 24 }] }, n: '3' },
          {
            id: 'A-2',
            st: 'NOK',
            ts: '2026-11-20T10:00:00Z',
            inv: { sku: 7, lines: [] },
            wh: 'W2',
            err: { code: 500 },
          },
          { id: 'A-3', st: 'weird', ts: '2026-11-20T10:00:00Z', inv: { sku: { x: 1 } } },
        ],
      },
    });
    const out = await run(
      {
        name: 'paths',
        input: 'json',
        records: 'batch.items',
        fields: {
          ...BASE,
          status: { path: 'st', map: { OK: 'delivered', NOK: 'failed' } },
          processedAt: 'ts',
          facility: { path: 'wh', default: 'DC1', map: { W2: 'DC2' } },
          sku: 'inv.sku',
          quantity: 'inv.lines.0.qty',
          attempts: 'n',
          errorCode: 'err.code',
          customer: { const: 'ACME' },
        },
      },
      [memoryFile('b.json', body)],
    );
    expect(out.rows).toBe(3);
    const [a, b] = out.records.map((r) => r.value);
    expect(a).toMatchObject({
      messageId: '114475',
      status: 'delivered',
      facility: 'DC1',
      sku: 'SKU-1',
      quantity: 24,
      attempts: 3,
      customer: 'ACME',
      errorCode: null,
    });
    expect(a.payload).toMatchObject({ id: 114475 }); // the whole record, without a payload source
    expect(b).toMatchObject({
      messageId: 'A-2',
      status: 'failed',
      facility: 'DC2',
      sku: '7',
      quantity: null,
      errorCode: '500',
    });
    expect(out.rejected).toHaveLength(1);
    expect(out.rejected[0]).toMatchObject({ row: 3, key: 'A-3' });
    expect(out.rejected[0].errors).toEqual(['sku: an object (path "inv.sku"), not text']);
    // an unmapped value passes as written: the ingest's validation then names it
    expect(out.rejected[0].raw).toContain('weird');
  });

  it('a hash id is the SHA-256 of the canonical JSON: stable across re-sends and key order', async () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: null }] })).toBe('{"a":[{"c":null,"d":2}],"b":1}');
    const profile = { name: 'hashed', input: 'ndjson', fields: { ...BASE, messageId: { hash: true } } };
    const lines = [
      '{"st":"pending","ts":"2026-11-20T10:00:00Z","sku":"X"}',
      '{"sku":"X","ts":"2026-11-20T10:00:00Z","st":"pending"}',
    ];
    const out = await run(profile, [memoryFile('a.ndjson', lines.join('\n'))], { facility: 'DC1' });
    const again = await run(profile, [memoryFile('b.ndjson', lines[0] + '\n')], { facility: 'DC1' });
    const id = out.records[0].value.messageId;
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(id).toBe(recordHash({ st: 'pending', ts: '2026-11-20T10:00:00Z', sku: 'X' }));
    expect(out.records[1].value.messageId).toBe(id);
    expect(again.records[0].value.messageId).toBe(id);
  });

  it('reads timestamps as iso, epoch_s, epoch_ms and patterns, zone-less ones in the profile or request zone', async () => {
    const rec = {
      id: 'T-1',
      st: 'delivered',
      iso: '2026-07-01 12:00:00',
      s: 1795000000,
      ms: '1795000000123',
      us: '07/01/2026 12:30',
    };
    const profile = {
      name: 'times',
      input: 'json',
      timezone: 'America/New_York',
      fields: {
        ...BASE,
        createdAt: 'iso',
        processedAt: { path: 'us', format: 'MM/dd/yyyy HH:mm' },
        updatedAt: { path: 's', format: 'epoch_s' },
      },
    };
    const inProfileZone = await run(profile, [memoryFile('t.json', JSON.stringify(rec))], { facility: 'DC1' });
    expect(inProfileZone.records[0].value).toMatchObject({
      createdAt: '2026-07-01T12:00:00-04:00',
      processedAt: '2026-07-01T16:30:00.000Z',
      updatedAt: new Date(1795000000 * 1000).toISOString(),
    });
    const inRequestZone = await run(profile, [memoryFile('t.json', JSON.stringify(rec))], {
      facility: 'DC1',
      timezone: 'Asia/Tokyo',
    });
    expect(inRequestZone.records[0].value).toMatchObject({
      createdAt: '2026-07-01T12:00:00+09:00',
      processedAt: '2026-07-01T03:30:00.000Z',
    });
    const ms = await run(
      { ...profile, name: 'ms', fields: { ...BASE, createdAt: { path: 'ms', format: 'epoch_ms' } } },
      [memoryFile('t.json', JSON.stringify(rec))],
      { facility: 'DC1' },
    );
    expect(ms.records[0].value.createdAt).toBe(new Date(1795000000123).toISOString());
    const bad = await run(
      {
        ...profile,
        name: 'bad-times',
        fields: { ...BASE, createdAt: { path: 'us', format: 'yyyy-MM-dd' }, processedAt: 's' },
      },
      [memoryFile('t.json', JSON.stringify(rec))],
      { facility: 'DC1' },
    );
    expect(bad.rejected[0].errors).toEqual([
      'createdAt: "07/01/2026 12:30" (path "us") does not read as yyyy-MM-dd',
      'processedAt: 1795000000 (path "s") is not text: give the source a format (epoch_s, epoch_ms or a pattern)',
    ]);
  });

  it('reports missing required values, bad NDJSON lines and a records path that is not there', async () => {
    const profile = { name: 'nd', input: 'ndjson', records: 'items', fields: BASE };
    const lines = [
      '{"items":[{"id":"1","st":"pending","ts":"2026-11-20T10:00:00Z"},{"id":"2","st":"pending"}]}',
      '{oops',
      '{"other":1}',
    ];
    const out = await run(profile, [memoryFile('x.ndjson', lines.join('\r\n'), 7)], { facility: 'DC1' });
    expect(out.rows).toBe(3);
    expect(out.records.map((r) => [r.row, r.value.messageId])).toEqual([[1, '1']]);
    expect(out.rejected.map((r) => [r.row, r.errors[0]])).toEqual([
      [1, 'createdAt: no value at path "ts"'],
      [2, expect.stringContaining('not valid JSON')],
      [3, 'no "items" in it (the profile\'s records path)'],
    ]);
  });
});

describe('the shipped profiles map their samples', () => {
  it('boomi-executions (CSV)', async () => {
    const out = await run(shipped('boomi-executions'), [sample('boomi-executions.sample.csv')]);
    expect(out.rejected).toEqual([]);
    expect(out.records.map((r) => r.value)).toEqual([
      expect.objectContaining({
        txType: 'order_release',
        direction: 'erp_to_wms',
        facility: 'DC1',
        status: 'delivered',
        createdAt: '2026-11-20T10:00:00.000Z',
        processedAt: '2026-11-20T10:00:00.000Z',
        errorMessage: null,
      }),
      expect.objectContaining({
        txType: 'shipment',
        direction: 'wms_to_erp',
        status: 'failed',
        errorMessage: expect.stringContaining('IF-20931'),
      }),
      expect.objectContaining({ txType: 'receipt', facility: 'DC2', status: 'delivered' }),
      expect.objectContaining({
        status: 'pending',
        messageId: 'execution-3f1a9c02-7b51-4d7e-9e0a-1c2d3e4f5a63-2026.11.20',
      }),
    ]);
  });

  it('mulesoft-json-logger (JSON)', async () => {
    const out = await run(shipped('mulesoft-json-logger'), [sample('mulesoft-json-logger.sample.json')]);
    expect(out.rejected).toEqual([]);
    const v = out.records.map((r) => r.value);
    expect(v[1]).toMatchObject({
      messageId: '0f8e1d20-a1fa-11ef-8918-f01898696750',
      txType: 'order_release',
      status: 'delivered',
      correlationKey: 'SO-100231',
      lineKey: '10',
      sku: 'SKU-10023',
      quantity: 24,
      uom: 'EA',
      createdAt: '2026-11-20T10:00:00.100Z',
      processedAt: '2026-11-20T10:00:01.960Z',
    });
    expect(v[2]).toMatchObject({ status: 'failed', errorCode: 'HTTP:TIMEOUT', quantity: 1.5, uom: 'KG' });
    expect(v[3]).toMatchObject({
      txType: 'receipt',
      direction: 'wms_to_erp',
      facility: 'DC2',
      uom: 'EA',
      status: 'pending',
    });
  });

  it('shiphero-inventory-change (NDJSON): lot_id 114475 becomes "114475"', async () => {
    const out = await run(shipped('shiphero-inventory-change'), [sample('shiphero-inventory-change.sample.ndjson')]);
    expect(out.rows).toBe(3);
    expect(out.rejected).toEqual([]);
    expect(out.records.map((r) => r.row)).toEqual([1, 2, 4]);
    expect(out.records[0].value).toMatchObject({
      txType: 'adjustment',
      direction: 'wms_to_erp',
      facility: 'DC1',
      sku: 'SKU-10023',
      quantity: -2,
      location: 'A-01-02',
      lot: '114475',
      status: 'delivered',
      createdAt: '2026-11-20T13:19:30.000Z',
    });
    expect(out.records[0].value.messageId).toMatch(/^[0-9a-f]{64}$/);
    expect(out.records[1].value).toMatchObject({ facility: 'DC2', lot: null });
    expect(out.records[2].value.facility).toBe('99999');
  });
});
