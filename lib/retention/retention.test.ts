/**
 * Retention (SPEC 11) on partitioned tables made here (the log's own partitioning is another
 * change), with a registry pointing at them, and on snapshot_rows as it is: the preview names the
 * partitions before the cutoff with their rows and bytes, the run detaches and drops them without
 * one DELETE (every statement watched, and a row trigger that would count any deleted row), an open
 * exception's message is kept and still read, a snapshot reconciliation needs stays.
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '@/db';
import { importSnapshot } from '@/lib/recon/snapshots';
import { forgetHorizon, messagesHorizon } from '@/lib/retention/horizon';
import { messagesWithKept } from '@/lib/retention/kept';
import { planRetention } from '@/lib/retention/plan';
import type { RetentionRegistry } from '@/lib/retention/registry';
import { runRetention } from '@/lib/retention/run';
import { lastRun, runIfDue } from '@/lib/retention/schedule';
import { DEFAULT_SETTINGS, readSettings, saveSettings } from '@/lib/retention/settings';
import { rejectsWithAppError } from '@/lib/testing/errors';
import { testDb } from '@/lib/testing/db';

const h = testDb();
const NOW = new Date('2024-03-15T12:00:00Z');

const REG: RetentionRegistry = {
  messages: {
    range: [{ table: 'rt_log', keepOpenExceptionMessages: true, horizon: true }, { table: 'rt_plain' }],
  },
  quarantine: { range: [{ table: 'rt_quarantine' }] },
  snapshots: { range: [], snapshotRows: 'snapshot_rows' },
  differences: { range: [{ table: 'rt_diff', holdLatestReconciliation: true }] },
  audit: { range: [] },
  alerts: { range: [] },
};

async function setup() {
  const db = h.db;
  for (const statement of [
    `create table rt_log (like integration_messages including defaults) partition by range (created_at)`,
    `create table rt_log_2024_01 partition of rt_log for values from ('2024-01-01 00:00+00') to ('2024-02-01 00:00+00')`,
    `create table rt_log_2024_02 partition of rt_log for values from ('2024-02-01 00:00+00') to ('2024-03-01 00:00+00')`,
    `create table rt_log_2024_03 partition of rt_log for values from ('2024-03-01 00:00+00') to ('2024-04-01 00:00+00')`,
    `create table rt_log_default partition of rt_log default`,
    `alter table rt_log add primary key (message_id, created_at)`,
    `create table rt_plain (id int, at timestamptz)`,
    `insert into rt_plain values (1, '2020-01-01')`,
    `create table rt_quarantine (id int, received_at timestamptz) partition by range (received_at)`,
    `create table rt_quarantine_2023 partition of rt_quarantine for values from ('2023-01-01 00:00+00') to ('2024-01-01 00:00+00')`,
    `insert into rt_quarantine values (1, '2023-05-01'), (2, '2023-06-01')`,
    `create table rt_deleted (n int)`,
    `create table rt_diff (run_id bigint, at timestamptz) partition by range (at)`,
    `create table rt_diff_2023_01 partition of rt_diff for values from ('2023-01-01 00:00+00') to ('2023-02-01 00:00+00')`,
    `create table rt_diff_2023_02 partition of rt_diff for values from ('2023-02-01 00:00+00') to ('2023-03-01 00:00+00')`,
    `create function rt_count_delete() returns trigger language plpgsql as $$ begin insert into rt_deleted values (1); return old; end $$`,
    `create trigger rt_log_delete before delete on rt_log for each row execute function rt_count_delete()`,
  ])
    await db.execute(sql.raw(statement));
  // 40 messages in January, 30 in February, 20 in March; two of January's have exceptions.
  for (const [month, n] of [
    ['01', 40],
    ['02', 30],
    ['03', 20],
  ] as const) {
    await db.execute(sql`insert into rt_log (message_id, tx_type, direction, facility, status, created_at, updated_at,
        payload)
      select ${'m' + month + '-'} || g, 'receipt', 'erp_to_wms', 'F1', 'failed',
        ${`2024-${month}-02T00:00:00Z`}::timestamptz + g * interval '1 hour', now(), jsonb_build_object('n', g)
      from generate_series(1, ${n}) g`);
  }
  await db.execute(sql`insert into exceptions (message_id, facility, tx_type, fingerprint, opened_at, state) values
    ('m01-1', 'F1', 'receipt', 'fp', '2024-01-02T01:00:00Z', 'open'),
    ('m01-2', 'F1', 'receipt', 'fp', '2024-01-02T02:00:00Z', 'resolved'),
    ('m01-3', 'F1', 'receipt', 'fp', '2024-01-02T03:00:00Z', 'acknowledged')`);
}

async function snapshot(system: 'erp' | 'wms', takenAt: string) {
  async function* events() {
    yield { kind: 'header' as const, value: { system, facility: 'RT', takenAt } };
    yield { kind: 'rows' as const, values: [{ sku: 'S1', uom: 'EA', quantity: '1' }] };
  }
  return (await importSnapshot(h, events(), 'test')).id;
}

const exists = async (table: string) =>
  (await rows<{ ok: boolean }>(h.db, sql`select to_regclass(${table}) is not null as ok`))[0].ok;

describe('retention', () => {
  it('settings: defaults, saved per kind, refused by field when wrong', async () => {
    expect(await readSettings(h.db)).toEqual(DEFAULT_SETTINGS);
    const zero = await rejectsWithAppError(saveSettings(h.db, { messages: 0 }));
    expect(zero.details).toEqual(['messages: must be at least 1 day']);
    const short = await rejectsWithAppError(saveSettings(h.db, { messages: 400, rollups: 100 }));
    expect(short.details).toEqual(['rollups: must be kept at least as long as messages (400)']);
    const frac = await rejectsWithAppError(saveSettings(h.db, { audit: 1.5 }));
    expect(frac.details).toEqual(['audit: must be a whole number of days']);
    await saveSettings(h.db, { messages: 30, quarantine: null, snapshots: 30 });
    expect(await readSettings(h.db)).toMatchObject({ messages: 30, quarantine: null, snapshots: 30, rollups: 1825 });
  });

  it('previews and drops whole partitions before the cutoff, with no DELETE, keeping open exceptions’ messages', async () => {
    await setup();
    const s1 = await snapshot('erp', '2024-01-01T00:00:00Z');
    const s2 = await snapshot('erp', '2024-01-10T00:00:00Z');
    const latestErp = await snapshot('erp', '2024-01-20T00:00:00Z');
    const oldWms = await snapshot('wms', '2024-01-05T00:00:00Z');
    const recent = await snapshot('wms', '2024-03-10T00:00:00Z');
    // A queued reconciliation still reads s2.
    await h.db.execute(sql`insert into reconciliation_runs (facility, status, erp_snapshot_id, wms_snapshot_id)
      values ('RT', 'queued', ${s2}, ${recent})`);

    const plan = await planRetention(h.db, { registry: REG, now: NOW });
    // Cutoff 2024-02-14: January's partition lies wholly before it, February's does not.
    expect(plan.messages.cutoff).toBe('2024-02-14T12:00:00.000Z');
    expect(plan.messages.partitions.map((p) => [p.partition, p.rows])).toEqual([['rt_log_2024_01', 40]]);
    expect(plan.messages.partitions[0].bytes).toBeGreaterThan(0);
    expect(plan.messages.rows).toBe(40);
    expect(plan.messages.bytes).toBe(plan.messages.partitions[0].bytes);
    expect(plan.messages.partitioned).toBe(false);
    expect(plan.messages.tables).toEqual([
      { table: 'rt_log', partitioned: true, exists: true },
      { table: 'rt_plain', partitioned: false, exists: true },
    ]);
    expect(plan.quarantine).toMatchObject({ days: null, cutoff: null, partitions: [], rows: 0 });
    // Snapshots before the cutoff go, except the latest of each facility and system and those a
    // queued reconciliation reads.
    expect(plan.snapshots.partitions.map((p) => p.partition).sort()).toEqual(
      [`snapshot_rows_${s1}`, `snapshot_rows_${oldWms}`].sort(),
    );

    const statements: string[] = [];
    const progress: string[] = [];
    forgetHorizon();
    const result = await runRetention(h.db, {
      registry: REG,
      now: NOW,
      kinds: ['messages', 'quarantine', 'snapshots'],
      onStatement: (s) => statements.push(s),
      onProgress: (l) => progress.push(l),
    });
    expect(statements.filter((s) => /^\s*delete\b/i.test(s))).toEqual([]);
    expect(statements.some((s) => /detach partition "rt_log_2024_01"/.test(s))).toBe(true);
    expect((await rows<{ n: number }>(h.db, sql`select count(*)::int as n from rt_deleted`))[0].n).toBe(0);
    expect(result.kinds.messages).toMatchObject({ partitions: ['rt_log_2024_01'], rows: 40, kept: 2 });
    expect(result.kinds.messages.skipped).toEqual(['rt_plain']);
    expect(progress.some((l) => l.startsWith('messages: dropped rt_log_2024_01 (1/1): 40 rows'))).toBe(true);
    expect(await exists('rt_log_2024_01')).toBe(false);
    expect((await rows<{ n: number }>(h.db, sql`select count(*)::int as n from rt_log`))[0].n).toBe(50);
    expect((await rows<{ n: number }>(h.db, sql`select count(*)::int as n from rt_plain`))[0].n).toBe(1);

    // The open and the acknowledged exception keep their messages, payload included; the resolved one does not.
    const kept = await rows<{ id: string; payload: { n: number } }>(
      h.db,
      sql`select message_id as id, payload from kept_messages order by 1`,
    );
    expect(kept).toEqual([
      { id: 'm01-1', payload: { n: 1 } },
      { id: 'm01-3', payload: { n: 3 } },
    ]);
    const [read] = await rows<{ facility: string }>(
      h.db,
      sql`select facility from ${messagesWithKept} m where m.message_id = 'm01-1'`,
    );
    expect(read).toEqual({ facility: 'F1' });
    expect((await messagesHorizon(h.db))?.toISOString()).toBe('2024-02-01T00:00:00.000Z');

    // Snapshot rows: the old ones dropped; the latest ERP (old as it is), the one a run reads and the
    // recent one kept. Their headers all stay.
    for (const id of [s1, oldWms]) expect(await exists(`snapshot_rows_${id}`)).toBe(false);
    for (const id of [latestErp, s2, recent]) expect(await exists(`snapshot_rows_${id}`)).toBe(true);
    expect(
      (await rows<{ n: number }>(h.db, sql`select count(*)::int as n from snapshots where facility = 'RT'`))[0].n,
    ).toBe(5);

    // The trigger does see a DELETE (so its zero above means something).
    await h.db.execute(sql`delete from rt_log where message_id = 'm02-1'`);
    expect((await rows<{ n: number }>(h.db, sql`select count(*)::int as n from rt_deleted`))[0].n).toBe(1);

    // Nothing is left to drop: a second run drops nothing.
    const again = await runRetention(h.db, { registry: REG, now: NOW, kinds: ['messages', 'snapshots'] });
    expect(again.kinds.messages.partitions).toEqual([]);
    expect(again.kinds.snapshots.partitions).toEqual([]);
  });

  it('holds back the differences of a facility’s latest reconciliation, however old', async () => {
    await saveSettings(h.db, { differences: 30 });
    const runs = await rows<{ id: number }>(
      h.db,
      sql`insert into reconciliation_runs (facility, status) values ('RTD', 'succeeded'), ('RTD', 'succeeded')
        returning id::int as id`,
    );
    const [older, latest] = runs.map((r) => r.id).sort((a, b) => a - b);
    await h.db.execute(sql`insert into rt_diff values (${older}, '2023-01-05'), (${latest}, '2023-02-05')`);
    const plan = await planRetention(h.db, { registry: REG, now: NOW, kinds: ['differences'] });
    expect(plan.differences.partitions.map((p) => p.partition)).toEqual(['rt_diff_2023_01']);
    expect(plan.differences.held).toEqual([
      { table: 'rt_diff', partition: 'rt_diff_2023_02', reason: 'holds the latest reconciliation of a facility' },
    ]);
    await runRetention(h.db, { registry: REG, now: NOW, kinds: ['differences'] });
    expect(await exists('rt_diff_2023_01')).toBe(false);
    expect(await exists('rt_diff_2023_02')).toBe(true);
  });

  it('trims rollups older than their own setting, and only those', async () => {
    await h.db.execute(sql`insert into message_rollup_hourly (bucket, facility, tx_type, direction, messages) values
      ('2018-01-01T00:00:00Z', 'F1', 'receipt', 'erp_to_wms', 5), ('2023-01-01T00:00:00Z', 'F1', 'receipt', 'erp_to_wms', 7)`);
    const result = await runRetention(h.db, { registry: REG, now: NOW });
    expect(result.rollupRowsDeleted).toBe(1);
    const left = await rows<{ n: number }>(
      h.db,
      sql`select messages::int as n from message_rollup_hourly where facility = 'F1'`,
    );
    expect(left).toEqual([{ n: 7 }]);
  });

  it('the daily run is claimed once a day, whatever the number of servers asking', async () => {
    const now = new Date();
    const [first, second] = await Promise.all([runIfDue(h.db, now), runIfDue(h.db, now)]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
    expect(await runIfDue(h.db, new Date(now.getTime() + 3_600_000))).toBeNull();
    expect(await lastRun(h.db)).toMatchObject({ by: 'daily', finishedAt: expect.any(String) });
    expect(await runIfDue(h.db, new Date(now.getTime() + 24 * 3_600_000))).not.toBeNull();
  });
});
