import { beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '@/db';
import { listPartitions } from '@/db/partitions';
import { emptyMessageTables, testDb } from '@/lib/testing/db';
import { send } from '@/lib/testing/send';
import { getException } from '@/lib/exceptions/queries';
import { explaining, partitionsRead } from '@/lib/testing/plans';
import { duplicateFlips } from './duplicates';
import { freshGuessForTests } from './store';

const h = testDb();
beforeEach(() => emptyMessageTables(h.db));

const msg = (id: string, createdAt: string, over: Record<string, unknown> = {}) => ({
  messageId: id,
  txType: 'receipt',
  direction: 'wms_to_erp',
  facility: 'DC1',
  correlationKey: 'PO-1',
  lineKey: '10',
  sku: 'SKU-1',
  quantity: 24,
  uom: 'EA',
  status: 'delivered',
  attempts: 1,
  createdAt,
  processedAt: new Date(Date.parse(createdAt) + 5000).toISOString(),
  ...over,
});

/** Each stored message: the partition holding it, its createdAt and flag, and the key's createdAt. */
const where = () =>
  rows<{ message_id: string; part: string; created: string; dup: boolean; key_created: string }>(
    h.db,
    sql`select m.message_id, m.tableoid::regclass::text as part, to_char(m.created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as created, m.is_duplicate as dup,
          to_char(k.created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as key_created
        from integration_messages m left join message_keys k using (message_id) order by 1`,
  );

const dailyMessages = () =>
  rows<{ day: string; n: number }>(
    h.db,
    sql`select to_char(bucket at time zone 'UTC', 'YYYY-MM-DD') as day, sum(messages)::int as n
        from message_rollup_daily group by 1 having sum(messages) <> 0 order by 1`,
  );

describe.each([
  ['as all new (COPY before the lock on Postgres)', 0],
  ['the careful way (under the lock)', 64],
])('the partitioned log, a batch going in %s', (_, skip) => {
  beforeEach(() => void freshGuessForTests(true, skip));

  it('lands a message from 2019 in a month created for it, and one from the far future', async () => {
    const r = await send(h.db, [
      msg('OLD', '2019-03-05T10:00:00Z'),
      msg('NOW', '2026-11-20T10:00:00Z'),
      msg('FUTURE', '2031-07-01T00:00:00Z'),
    ]);
    expect(r).toMatchObject({ accepted: 3, rejected: [] });
    expect((await where()).map((m) => [m.message_id, m.part])).toEqual([
      ['FUTURE', 'integration_messages_p20310701'],
      ['NOW', 'integration_messages_p20261101'],
      ['OLD', 'integration_messages_p20190301'],
    ]);
    // Only the months a row fell in: a batch spanning years does not create the years between.
    const parts = await listPartitions(h.db, 'integration_messages');
    expect(parts).toContain('integration_messages_p20190301');
    expect(parts).not.toContain('integration_messages_p20190401');
  });

  it('moves a message whose later record says another createdAt, keeps its id once, and its counts exact', async () => {
    await send(h.db, [msg('M', '2026-01-31T23:30:00Z', { status: 'failed', errorCode: 'E1' })]);
    const later = msg('M', '2026-02-01T00:30:00Z', { updatedAt: '2026-02-01T01:00:00Z' });
    expect(await send(h.db, [later])).toMatchObject({ accepted: 0, updated: 1 });
    expect(await where()).toEqual([
      {
        message_id: 'M',
        part: 'integration_messages_p20260201',
        created: '2026-02-01 00:30',
        dup: false,
        key_created: '2026-02-01 00:30',
      },
    ]);
    expect(await dailyMessages()).toEqual([{ day: '2026-02-01', n: 1 }]);
    // An older record changes nothing; the same id with yet another date is still the one message.
    const stale = msg('M', '2025-06-01T00:00:00Z', { updatedAt: '2026-01-01T00:00:00Z' });
    expect(await send(h.db, [stale])).toMatchObject({ accepted: 0, updated: 0, unchanged: 1 });
    expect((await where()).length).toBe(1);
    const history = await rows<{ n: number }>(h.db, sql`select count(*)::int as n from message_history`);
    expect(history[0].n).toBe(1);
  });

  it('flags a duplicate across a month boundary, and clears it when the copy moves away', async () => {
    await send(h.db, [msg('A', '2026-03-31T23:00:00Z')]);
    await send(h.db, [msg('B', '2026-04-01T01:00:00Z')]);
    expect((await where()).map((m) => [m.message_id, m.part, m.dup])).toEqual([
      ['A', 'integration_messages_p20260301', false],
      ['B', 'integration_messages_p20260401', true],
    ]);
    // A's later record moves it two days earlier: B no longer repeats it within 24 h.
    await send(h.db, [msg('A', '2026-03-29T23:00:00Z', { updatedAt: '2026-04-02T00:00:00Z' })]);
    expect((await where()).map((m) => [m.message_id, m.dup])).toEqual([
      ['A', false],
      ['B', false],
    ]);
    const dups = await rows<{ n: number }>(
      h.db,
      sql`select coalesce(sum(duplicates), 0)::int as n from message_rollup_daily`,
    );
    expect(dups[0].n).toBe(0);
  });

  it('takes a message whose month was dropped (a key left behind) as new', async () => {
    await send(h.db, [msg('GONE', '2020-05-05T00:00:00Z')]);
    await h.db.execute(sql.raw('drop table integration_messages_p20200501'));
    const again = await send(h.db, [msg('GONE', '2020-05-06T00:00:00Z')]);
    expect(again).toMatchObject({ accepted: 1, updated: 0 });
    expect((await where()).map((m) => [m.message_id, m.part, m.key_created])).toEqual([
      ['GONE', 'integration_messages_p20200501', '2020-05-06 00:00'],
    ]);
  });
});

describe('partition pruning of the ingest and exception reads', () => {
  beforeEach(async () => {
    await send(h.db, [
      msg('OCT', '2026-10-20T10:00:00Z'),
      msg('NOV', '2026-11-20T10:00:00Z', { status: 'failed', errorCode: 'E1', processedAt: null }),
      msg('DEC', '2026-12-20T10:00:00Z'),
    ]);
  });

  it("the duplicates lookup reads the months of its changes' 24 h around only", async () => {
    const x = explaining(h.db);
    await rows(x.db, duplicateFlips(['PO-1'], [Date.parse('2026-11-30T20:00:00Z') * 1000]));
    // 25 h past the change reaches into December; October is never read.
    expect(partitionsRead(x.plans)).toEqual(['integration_messages_p20261101', 'integration_messages_p20261201']);
    const y = explaining(h.db);
    await rows(y.db, duplicateFlips(['PO-1'], [Date.parse('2026-11-20T10:00:00Z') * 1000]));
    expect(partitionsRead(y.plans)).toEqual(['integration_messages_p20261101']);
  });

  it("an exception's message is read in its month only", async () => {
    const [{ id }] = await rows<{ id: number }>(h.db, sql`select id::int from exceptions where message_id = 'NOV'`);
    const x = explaining(h.db);
    const e = await getException(x.db, id);
    expect(e?.message?.messageId).toBe('NOV');
    const byId = x.plans.filter((p) => p.includes('message_keys'));
    expect(byId.length).toBe(2);
    expect(partitionsRead(byId)).toEqual(['integration_messages_p20261101']);
  });
});
