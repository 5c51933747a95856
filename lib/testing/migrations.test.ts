import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { MIGRATIONS_FOLDER, rows, type DbHandle } from '@/db';
import { freshDb } from '@/lib/testing/db';

let h: DbHandle;
beforeAll(async () => {
  h = await freshDb();
});
afterAll(async () => h.close());

const tables = async () =>
  (await rows<{ t: string }>(h.db, sql`select table_name as t from information_schema.tables where table_schema = 'public' order by 1`)).map((r) => r.t);

describe('migrations', () => {
  it('create the whole data model on an empty database', async () => {
    expect(await tables()).toEqual(
      expect.arrayContaining([
        'integration_messages', 'quarantine', 'exceptions', 'exception_audit', 'message_rollup_hourly', 'message_rollup_daily',
        'delay_sketches', 'snapshots', 'snapshot_rows', 'reconciliation_runs', 'reconciliation_differences',
        'items', 'manual_corrections', 'change_log', 'ownership_matrix', 'thresholds', 'users', 'api_keys', 'jobs', 'root_cause_rules',
      ]),
    );
  });

  it('are idempotent: a second run changes nothing and fails on nothing', async () => {
    const before = await tables();
    const applied = async () => (await rows<{ n: number }>(h.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`))[0].n;
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
      sql`select data_type from information_schema.columns where table_name = 'integration_messages' and column_name = 'quantity'`,
    );
    expect(r[0].data_type).toBe('numeric');
  });
});
