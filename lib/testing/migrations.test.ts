import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import fs from 'node:fs';
import path from 'node:path';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { MIGRATIONS_FOLDER, rows } from '@/db';
import { MESSAGE_TABLES, testDb } from '@/lib/testing/db';
import { send } from '@/lib/testing/send';

const h = testDb();

const tables = async () =>
  (
    await rows<{ t: string }>(
      h.db,
      sql`select table_name as t from information_schema.tables where table_schema = 'public' order by 1`,
    )
  ).map((r) => r.t);

describe('migrations', () => {
  it('create the whole data model on an empty database', async () => {
    expect(await tables()).toEqual(
      expect.arrayContaining([
        ...MESSAGE_TABLES,
        'snapshots',
        'snapshot_rows',
        'reconciliation_runs',
        'reconciliation_differences',
        'items',
        'manual_corrections',
        'change_log',
        'ownership_matrix',
        'thresholds',
        'users',
        'api_keys',
        'jobs',
        'root_cause_rules',
      ]),
    );
  });

  it('are idempotent: a second run changes nothing and fails on nothing', async () => {
    const before = await tables();
    const applied = async () =>
      (await rows<{ n: number }>(h.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`))[0].n;
    const n = await applied();
    expect(n).toBeGreaterThan(0);
    if (h.kind === 'pglite') await migratePglite(h.db as never, { migrationsFolder: MIGRATIONS_FOLDER });
    else await migratePostgres(h.db as never, { migrationsFolder: MIGRATIONS_FOLDER });
    expect(await applied()).toBe(n);
    expect(await tables()).toEqual(before);
  });

  it('keep quantities numeric, never float', async () => {
    const r = await rows<{ data_type: string }>(
      h.db,
      sql`select data_type from information_schema.columns where table_name = 'integration_messages' and column_name =
        'quantity'`,
    );
    expect(r[0].data_type).toBe('numeric');
  });

  it("0014 fills the rollups' dead-letter and retrying counts from the log already stored", async () => {
    const statuses = ['dead_letter', 'retrying', 'retrying', 'failed', 'pending', 'dead_letter'];
    await send(
      h.db,
      statuses.map((status, i) => ({
        messageId: `MIG-${i}`,
        txType: i % 2 ? 'receipt' : 'shipment',
        direction: 'wms_to_erp',
        facility: 'DC1',
        status,
        // two hours of one day and one of the next
        createdAt: [
          '2026-03-01T10:05:00Z',
          '2026-03-01T10:55:00Z',
          '2026-03-01T11:00:00Z',
          '2026-03-01T23:59:59Z',
          '2026-03-02T00:00:00Z',
          '2026-03-02T00:30:00Z',
        ][i],
      })),
    );
    const counts = async () => ({
      hourly: await rows(
        h.db,
        sql`select bucket::text, tx_type, dead_letter::int, retrying::int from message_rollup_hourly where dead_letter +
          retrying > 0 order by 1, 2`,
      ),
      daily: await rows(
        h.db,
        sql`select bucket::text, tx_type, dead_letter::int, retrying::int from message_rollup_daily where dead_letter +
          retrying > 0 order by 1, 2`,
      ),
    });
    const kept = await counts();
    expect(kept.hourly.length).toBe(4);
    expect(kept.daily.length).toBe(3);
    // As before 0014, then its statements that fill the new columns.
    await h.db.execute(sql`update message_rollup_hourly set dead_letter = 0, retrying = 0`);
    await h.db.execute(sql`update message_rollup_daily set dead_letter = 0, retrying = 0`);
    expect((await counts()).hourly).toEqual([]);
    const file = fs.readFileSync(path.join(MIGRATIONS_FOLDER, '0014_rollup_statuses.sql'), 'utf8');
    const fills = file
      .split('--> statement-breakpoint')
      .map((s) => s.trim().replace(/^(--[^\n]*\n)+/, ''))
      .filter((s) => s.startsWith('UPDATE'));
    expect(fills.length).toBe(2);
    for (const statement of fills) await h.db.execute(sql.raw(statement));
    expect(await counts()).toEqual(kept);
  });
});
