/**
 * The bench's retention hook on a log partitioned by day made here: the first month is dropped, with
 * no DELETE, and the rows and time reported.
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '@/db';
import type { RetentionRegistry } from '@/lib/retention/registry';
import { testDb } from '@/lib/testing/db';
import { testMessage } from '@/lib/testing/records';
import { send } from '@/lib/testing/send';
import { measureRetentionDrop } from './retention';

const h = testDb();
const REG: RetentionRegistry = {
  messages: { range: [{ table: 'bench_log', horizon: true, keepOpenExceptionMessages: true }] },
  quarantine: { range: [] },
  snapshots: { range: [] },
  differences: { range: [] },
  audit: { range: [] },
  alerts: { range: [] },
};

describe('measureRetentionDrop', () => {
  it('drops the first month of the real log (partitioned by month) without a DELETE', async () => {
    await send(h.db, [
      testMessage('old-1', '2024-01-10T10:00:00Z'),
      testMessage('old-2', '2024-01-20T10:00:00Z'),
      testMessage('next-1', '2024-02-10T10:00:00Z'),
    ]);
    const m = await measureRetentionDrop(h.db);
    expect(m).toMatchObject({ deleteStatements: 0, partitions: 1, rows: 2 });
    expect(m.dropS).toBeGreaterThan(0);
    const left = await rows<{ id: string }>(h.db, sql`select message_id as id from integration_messages order by 1`);
    expect(left.map((r) => r.id)).toEqual(['next-1']);
  });

  it('drops the first month of a daily-partitioned log without a DELETE', async () => {
    await h.db.execute(
      sql.raw(`create table bench_log (like integration_messages including defaults) partition by range (created_at)`),
    );
    // 45 days from 2024-01-01, ten messages a day.
    for (let d = 0; d < 45; d++) {
      const from = new Date(Date.UTC(2024, 0, 1 + d)).toISOString();
      const to = new Date(Date.UTC(2024, 0, 2 + d)).toISOString();
      await h.db.execute(
        sql.raw(`create table bench_log_${d} partition of bench_log for values from ('${from}') to ('${to}')`),
      );
    }
    await h.db.execute(sql`insert into bench_log (message_id, tx_type, direction, facility, status, created_at,
        updated_at)
      select 'b' || g, 'receipt', 'erp_to_wms', 'F', 'delivered', '2024-01-01T00:00:00Z'::timestamptz + g * interval '144 minutes',
        now() from generate_series(0, 449) g`);
    const m = await measureRetentionDrop(h.db, { registry: REG });
    expect(m).toMatchObject({ deleteStatements: 0, partitions: 31, rows: 310 });
    expect(m.dropS).toBeGreaterThan(0);
    const [left] = await rows<{ n: number }>(h.db, sql`select count(*)::int as n from bench_log`);
    expect(left.n).toBe(140);
  });
});
