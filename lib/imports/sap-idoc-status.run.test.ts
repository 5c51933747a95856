import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '@/db';
import { testDb } from '@/lib/testing/db';
import { runImport } from './run';
import { fileOf } from './sap/testing';

const h = testDb();
const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'sap-idoc-status');
const fixture = (name: string) => fileOf(name, readFileSync(path.join(FIXTURES, name), 'utf8'), 512);
const options = { 'partner.WMSDC1': 'DC1', 'partner.WMSDC2': 'DC2' };

const sapImport = (files: ReturnType<typeof fileOf>[], dryRun = false) =>
  runImport(h.db, { format: 'sap-idoc-status', files, options, dryRun, source: 'test', via: 'cli' });

const message = async (id: string) =>
  (
    await rows<{ status: string; attempts: number; error_code: string | null; updated_at: string }>(
      h.db,
      sql`select status, attempts, error_code, to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as updated_at
        from integration_messages where message_id = ${id}`,
    )
  )[0];

const exceptionsOf = (id: string) =>
  rows<{ state: string; error_code: string | null; error_message: string | null; resolved: boolean }>(
    h.db,
    sql`select state, error_code, error_message, resolved_at is not null as resolved from exceptions
      where message_id = ${id} order by id`,
  );

describe('sap-idoc-status through runImport', () => {
  it('previews without storing anything', async () => {
    const out = await sapImport([fixture('EDIDC.txt'), fixture('EDIDS.txt')], true);
    expect(out).toMatchObject({ importId: null, rows: 26, accepted: 7 });
    expect(out.preview).toHaveLength(7);
    const [{ n }] = await rows<{ n: number }>(
      h.db,
      sql`select (select count(*) from idoc_status) + (select count(*) from idoc_control)
        + (select count(*) from integration_messages) + (select count(*) from quarantine) as n`,
    );
    expect(Number(n)).toBe(0);
  });

  it('stores the messages, quarantines the status row without control, and opens exceptions for failed IDocs', async () => {
    const out = await sapImport([fixture('edids.csv'), fixture('edidc.csv')]);
    expect(out).toMatchObject({ rows: 26, accepted: 7, updated: 0, unchanged: 0 });
    expect(out.rejected).toEqual([
      expect.objectContaining({ file: 'edids.csv', row: 19, index: 19, messageId: '0000000000799999' }),
    ]);
    const [q] = await rows<{ raw: string; import_id: number }>(h.db, sql`select raw, import_id from quarantine`);
    expect(q.raw).toContain('0000000000799999');
    expect(Number(q.import_id)).toBe(out.importId);
    expect(await message('0000000000700102')).toMatchObject({ status: 'failed', attempts: 1, error_code: 'ZWM/114' });
    expect(await exceptionsOf('0000000000700102')).toEqual([
      {
        state: 'open',
        error_code: 'ZWM/114',
        error_message: 'No stock of SKU-10023 in plant 1000, storage location 0001',
        resolved: false,
      },
    ]);
    expect((await exceptionsOf('0000000000700104'))[0]).toMatchObject({ state: 'open', error_code: 'ZWM/310' });
    const [{ n }] = await rows<{ n: number }>(
      h.db,
      sql`select count(*)::int as n from import_messages where import_id = ${out.importId}`,
    );
    expect(Number(n)).toBe(7);
  });

  it('resolves the exception when a later EDIDS file reports the IDoc posted (51, then 53 a day later)', async () => {
    const later =
      'DOCNUM\tCOUNTR\tSTATUS\tLOGDAT\tLOGTIM\tSTATXT\n' +
      '0000000000700102\t5\t53\t20261121\t091503\tPosted after stock move\n';
    const out = await sapImport([fileOf('EDIDS-later.txt', later)]);
    expect(out).toMatchObject({ rows: 1, accepted: 0, updated: 1, unchanged: 0, rejected: [] });
    expect(await message('0000000000700102')).toMatchObject({
      status: 'delivered',
      attempts: 2,
      error_code: null,
      updated_at: '2026-11-21T09:15:03Z',
    });
    const [exception] = await exceptionsOf('0000000000700102');
    expect(exception).toMatchObject({ resolved: true });
    expect(exception.state).not.toBe('open');
  });

  it('leaves everything unchanged on a re-import of the same files', async () => {
    const before = await rows(
      h.db,
      sql`select message_id, status, attempts, updated_at from integration_messages order by 1`,
    );
    const out = await sapImport([fixture('EDIDC.txt'), fixture('EDIDS.txt')]);
    // 700102 now has its fifth row from the later file, so all seven come out as stored.
    expect(out).toMatchObject({ accepted: 0, updated: 0, unchanged: 7 });
    expect(
      await rows(h.db, sql`select message_id, status, attempts, updated_at from integration_messages order by 1`),
    ).toEqual(before);
  });
});

describe('sap-idoc-status through runImport: more IDocs than one ingest batch', () => {
  it('stores every IDoc once and counts it once, with the batches in the ingest at once on the Postgres server', async () => {
    const n = 12_500; // more than one batch of the runner, alone (10,000) or two at once (5,000)
    const ids = Array.from({ length: n }, (_, i) => String(900_000_000 + i).padStart(16, '0'));
    const edidc = ['DOCNUM\tMESTYP\tSTATUS\tDIRECT\tSNDPRN\tRCVPRN\tCREDAT\tCRETIM'];
    const edids = ['DOCNUM\tCOUNTR\tSTATUS\tLOGDAT\tLOGTIM\tSTAMID\tSTAMNO\tSTATXT\tSTAPA1'];
    for (const [i, d] of ids.entries()) {
      edidc.push(`${d}\tWMMBXY\t50\t2\tWMSDC1\tS4P\t20261122\t080000`);
      edids.push(`${d}\t1\t50\t20261122\t080001\t\t\t\t`);
      edids.push(`${d}\t2\t${i % 3 ? '53' : '51'}\t20261122\t080002\tM7\t021\tNo stock of &1\tSKU-${i}`);
    }
    const files = () => [
      fileOf('EDIDC-big.txt', edidc.join('\n'), 65_536),
      fileOf('EDIDS-big.txt', edids.join('\n'), 65_536),
    ];
    const out = await sapImport(files());
    expect(out).toMatchObject({ rows: n * 3, accepted: n, updated: 0, unchanged: 0, rejected: [] });
    const counts = async () =>
      (
        await rows<{ messages: number; failed: number; links: number; open: number; run: number }>(
          h.db,
          sql`select (select count(*)::int from integration_messages where message_id like '00000009%') as messages,
            (select count(*)::int from integration_messages where message_id like '00000009%' and status = 'failed') as failed,
            (select count(*)::int from import_messages where import_id = ${out.importId}) as links,
            (select count(*)::int from exceptions where message_id like '00000009%' and state = 'open') as open,
            (select accepted from import_runs where id = ${out.importId}) as run`,
        )
      )[0];
    const failed = Math.ceil(n / 3);
    expect(await counts()).toEqual({ messages: n, failed, links: n, open: failed, run: n });
    expect(await message(ids[3])).toMatchObject({ status: 'failed', error_code: 'M7/021' });
    const again = await sapImport(files());
    expect(again).toMatchObject({ accepted: 0, updated: 0, unchanged: n, rejected: [] });
  }, 120_000);
});
