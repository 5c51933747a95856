/**
 * db/migrations/0025_partitions.sql converts a database made before it in place: a simulated month
 * boundary's worth of messages is put back into the unpartitioned log as the earlier migrations
 * left it, the migration runs as the migrator runs it (one transaction), and every table, KPI and
 * index is as before, each message in its month's partition, its key in message_keys.
 */
import fs from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '@/db';
import { listPartitions } from '@/db/partitions';
import { env } from '@/lib/env';
import { computeKpis } from '@/lib/kpi/kpis';
import { testDb } from '@/lib/testing/db';
import { send } from '@/lib/testing/send';
import { tableContents } from '@/lib/testing/table-contents';
import { loadSimulation } from './load';
import { simulate } from './simulate';

const h = testDb();

/** The log, its history, the quarantine and the audit log as migrations 0000–0024 left them: plain tables. */
const UNPARTITION = [
  'create table im_old (like integration_messages including defaults)',
  'insert into im_old select * from integration_messages',
  'drop table integration_messages',
  'drop table message_keys',
  'alter table im_old rename to integration_messages',
  'alter table integration_messages add constraint integration_messages_pkey primary key (message_id)',
  'create index integration_messages_created_idx on integration_messages (created_at)',
  `create index integration_messages_sku_key_idx on integration_messages (date_bin('1 day', created_at,
    '2000-01-01 00:00:00+00'), hashtext(facility || '|' || sku)) where sku is not null`,
  `create index integration_messages_document_hash_idx on integration_messages using hash (correlation_key)
    where correlation_key is not null`,
  ...unpartition('message_history', 'mh', [
    'create index message_history_message_idx on message_history (message_id, updated_at)',
  ]),
  'drop table quarantine_keys',
  ...unpartition('quarantine', 'qu', [
    'create unique index quarantine_identity_idx on quarantine (identity)',
    'create index quarantine_received_idx on quarantine (received_at)',
    'create index quarantine_import_idx on quarantine (import_id, record_index) where import_id is not null',
  ]),
  ...unpartition('exception_audit', 'ea', [
    'create index exception_audit_exception_idx on exception_audit (exception_id, at)',
    `alter table exception_audit add constraint exception_audit_exception_id_exceptions_id_fk foreign key (exception_id)
      references exceptions (id) on delete cascade`,
  ]),
];

/** A table with a serial key as the migrations before left it: one table keyed by id. */
function unpartition(table: string, short: string, more: string[]) {
  return [
    `alter sequence ${table}_id_seq owned by none`,
    `create table ${short}_old (like ${table} including defaults)`,
    `insert into ${short}_old select * from ${table}`,
    `drop table ${table}`,
    `alter table ${short}_old rename to ${table}`,
    `alter sequence ${table}_id_seq owned by ${table}.id`,
    `alter table ${table} add constraint ${table}_pkey primary key (id)`,
    ...more,
  ];
}

const statements = () =>
  fs
    .readFileSync(path.join(process.cwd(), 'db', 'migrations', '0025_partitions.sql'), 'utf8')
    .split('--> statement-breakpoint')
    .map((s) => s.trim())
    .filter(Boolean);

/** Runs the migration in one transaction, as the migrator does, and returns its NOTICEs. */
async function migrate(): Promise<string[]> {
  const notices: string[] = [];
  if (h.pglite) {
    await h.pglite.transaction(async (tx) => {
      for (const s of statements()) await tx.query(s, [], { onNotice: (n) => notices.push(n.message ?? '') });
    });
    return notices;
  }
  const url = new URL(env().DATABASE_URL!);
  url.pathname = `/${h.location.split('/').pop()}`;
  const pg = postgres(url.toString(), { max: 1, onnotice: (n) => notices.push(String(n.message)) });
  try {
    await pg.begin(async (tx) => {
      for (const s of statements()) await tx.unsafe(s);
    });
  } finally {
    await pg.end();
  }
  return notices;
}

const indexes = async (table: string) =>
  (
    await rows<{ name: string }>(
      h.db,
      sql`select indexname as name from pg_indexes where tablename = ${table} order by 1`,
    )
  ).map((r) => r.name);

describe('db/migrations/0025_partitions.sql', () => {
  it('partitions a simulated log in place by month: nothing lost, the same KPIs, progress printed', async () => {
    const until = new Date('2026-12-01T12:00:00Z');
    await loadSimulation(h.db, simulate({ facilities: 2, days: 3, messagesPerDay: 300, seed: 5, until }), {
      batchSize: 500,
    });
    const window = { from: new Date('2026-11-28T00:00:00Z'), to: until };
    // The oldest open exception's age runs with the clock: the rest must not move at all.
    const kpisAt = async () => {
      const k = await computeKpis(h.db, window);
      return { ...k, oldestOpenException: { ...k.oldestOpenException, ageSeconds: 0 } };
    };
    const kpis = await kpisAt();
    // A rejected record, for the quarantine.
    await send(h.db, [{ messageId: 'BAD', txType: 'teleport' }]);
    for (const s of UNPARTITION) await h.db.execute(sql.raw(s));
    const before = await tableContents(h.db);
    expect(before.integration_messages.rows).toBeGreaterThan(1000);
    expect(before.message_keys).toBeUndefined();
    expect(before.quarantine.rows).toBeGreaterThan(0);

    const notices = await migrate();

    const after = await tableContents(h.db);
    expect(after.message_keys.rows).toBe(before.integration_messages.rows);
    expect(after.quarantine_keys.rows).toBe(before.quarantine.rows);
    delete after.message_keys;
    delete after.quarantine_keys;
    expect(after).toEqual(before);
    expect(await kpisAt()).toEqual(kpis);
    const parts = await listPartitions(h.db, 'integration_messages');
    expect(parts).toEqual(['integration_messages_p20261101', 'integration_messages_p20261201']);
    const moved = await rows<{ part: string; n: number }>(
      h.db,
      sql`select tableoid::regclass::text as part, count(*)::int as n from integration_messages group by 1 order by 1`,
    );
    expect(moved.map((m) => m.part)).toEqual(parts);
    expect(notices.filter((n) => n.startsWith('partitions: integration_messages'))).toEqual([
      ...moved.map((m) => `partitions: integration_messages: ${m.n} rows moved into ${m.part}`),
      `partitions: integration_messages partitioned by month of created_at, ${before.integration_messages.rows} rows`,
    ]);
    expect(before.exception_audit.rows).toBeGreaterThan(0);
    expect(notices).toContain(
      `partitions: exception_audit partitioned by month of at, ${before.exception_audit.rows} rows`,
    );
    expect((await listPartitions(h.db, 'exception_audit')).length).toBeGreaterThan(0);
    // The serial ids go on from where they were.
    const [{ next }] = await rows<{ next: number }>(h.db, sql`select nextval('exception_audit_id_seq')::int as next`);
    const [{ max }] = await rows<{ max: number }>(h.db, sql`select max(id)::int as max from exception_audit`);
    expect(next).toBeGreaterThan(max);
    // The parent has the new key and the old indexes but the one on created_at, and so has each month.
    const kept = [
      'integration_messages_created_at_message_id_pk',
      'integration_messages_document_hash_idx',
      'integration_messages_sku_key_idx',
    ];
    expect(await indexes('integration_messages')).toEqual(kept);
    expect((await indexes(parts[0])).length).toBe(kept.length);
    // The keys are the messages' own.
    const mismatched = await rows<{ n: number }>(
      h.db,
      sql`select count(*)::int as n from integration_messages m full join message_keys k using (message_id)
          where k.created_at is distinct from m.created_at`,
    );
    expect(mismatched[0].n).toBe(0);
  });
});
