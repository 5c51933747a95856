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
