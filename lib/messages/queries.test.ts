import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '@/db';
import { testDb } from '@/lib/testing/db';
import { send } from '@/lib/testing/send';
import { testMessages } from '@/lib/testing/records';
import { iterateMessages, messageFilters, messageWhere, searchMessages } from '@/lib/messages/queries';
import { env } from '@/lib/env';

const h = testDb();

beforeAll(async () => {
  await send(
    h.db,
    testMessages(
      ['messageId', 'facility', 'correlationKey', 'sku', 'createdAt', 'status'],
      [
        // SKU S at three facilities, over days far apart, one a second before midnight and one at it.
        ['s1', 'F', 'D1', 'S', '2026-10-01T23:59:59Z', 'delivered'],
        ['s2', 'F', 'D2', 'S', '2026-10-02T00:00:00Z', 'delivered'],
        ['s3', 'G', 'D3', 'S', '2026-11-15T12:00:00Z', 'failed'],
        ['s4', 'H', null, 'S', '2026-11-20T08:00:00Z', 'delivered'],
        // A document of three messages, one without a SKU.
        ['d1', 'F', 'DOC', 'T', '2026-11-01T00:00:00Z', 'delivered'],
        ['d2', 'F', 'DOC', null, '2026-11-01T01:00:00Z', 'delivered'],
        ['d3', 'G', 'DOC', 'U', '2026-11-02T00:00:00Z', 'failed'],
        // A message whose id is also another's document key and a third's SKU.
        ['X', 'F', 'D9', 'V', '2026-11-03T00:00:00Z', 'delivered'],
        ['x-doc', 'F', 'X', 'W', '2026-11-04T00:00:00Z', 'delivered'],
        ['x-sku', 'G', 'D8', 'X', '2026-11-05T00:00:00Z', 'delivered'],
        ['other', 'F', 'D7', 'Z', '2026-11-06T00:00:00Z', 'delivered'],
        // The same delivery twice, an hour apart: the second is a duplicate.
        ['dup-1', 'G', 'D6', 'Y', '2026-11-07T10:15:00Z', 'delivered'],
        ['dup-2', 'G', 'D6', 'Y', '2026-11-07T11:15:00Z', 'delivered'],
        // One of each other status, in the hours the windows below cut.
        ['r1', 'G', 'D5', 'R', '2026-11-07T10:40:00Z', 'retrying'],
        ['p1', 'F', 'D5', 'R', '2026-11-07T11:10:00Z', 'pending'],
        ['dl1', 'G', 'D5', 'R', '2026-11-07T11:50:00Z', 'dead_letter'],
      ],
    ),
  );
});

// The window must not matter to a search: one that holds none of the messages.
const nowhere = { from: new Date('2020-01-01T00:00:00Z'), to: new Date('2020-01-02T00:00:00Z') };
const search = async (params: Record<string, string>) => {
  const r = await searchMessages(h.db, messageFilters.parse(params), nowhere);
  return { total: r.total, ids: r.rows.map((m) => m.messageId) };
};
const exported = async (params: Record<string, string>) => {
  const ids: string[] = [];
  for await (const page of iterateMessages(h.db, messageFilters.parse(params), nowhere))
    ids.push(...page.map((m) => m.messageId));
  return ids;
};

describe("the log explorer's search", () => {
  it('finds a message by its id, a document by its key and a SKU at every facility and on every day, oldest first', async () => {
    expect(await search({ q: 'other' })).toEqual({ total: 1, ids: ['other'] });
    expect(await search({ q: 'DOC' })).toEqual({ total: 3, ids: ['d1', 'd2', 'd3'] });
    expect(await search({ q: 'S' })).toEqual({ total: 4, ids: ['s1', 's2', 's3', 's4'] });
    expect(await search({ q: 'nothing' })).toEqual({ total: 0, ids: [] });
  });

  it('gives each message once when the term names it in more than one way', async () => {
    expect(await search({ q: 'X' })).toEqual({ total: 3, ids: ['X', 'x-doc', 'x-sku'] });
  });

  it('applies the other filters to what the term found', async () => {
    expect(await search({ q: 'S', facility: 'F' })).toEqual({ total: 2, ids: ['s1', 's2'] });
    expect(await search({ q: 'S', status: 'failed' })).toEqual({ total: 1, ids: ['s3'] });
    expect(await search({ q: 'DOC', facility: 'G' })).toEqual({ total: 1, ids: ['d3'] });
  });

  it('exports the same messages the page lists', async () => {
    expect(await exported({ q: 'S' })).toEqual(['s1', 's2', 's3', 's4']);
    expect(await exported({ q: 'X' })).toEqual(['X', 'x-doc', 'x-sku']);
    expect(await exported({ q: 'DOC', status: 'delivered' })).toEqual(['d1', 'd2']);
  });

  it.runIf(env().DATABASE_URL)(
    'finds them through the indexes on the Postgres server, never a scan of the log',
    async () => {
      const plan = await h.db.transaction(async (tx) => {
        await tx.execute(sql`analyze integration_messages`);
        await tx.execute(sql`set local enable_seqscan = off`);
        return rows<{ 'QUERY PLAN': string }>(
          tx,
          sql`explain select count(*) from integration_messages m where
            ${messageWhere(messageFilters.parse({ q: 'S' }), nowhere)}`,
        );
      });
      const text = plan.map((p) => p['QUERY PLAN']).join('\n');
      // The SKU index leads with the day: read without one (a bitmap scan on the SKU alone) it is read whole.
      // (Each month's partition has its own copy of an index of the log, named after the partition.)
      expect(text).toMatch(
        /Index Scan using integration_messages_p\d{8}_\w+ on [^\n]*\n\s*Index Cond: \(\(date_bin[^\n]*AND \(hashtext/,
      );
      expect(text).toMatch(/Index Scan using integration_messages_p\d{8}_correlation_key_idx/);
      expect(text).not.toMatch(/Seq Scan on integration_messages/);
    },
  );

  it("counts a window's messages, those of each status and duplicates exactly, partial hours included", async () => {
    const windows = [
      { from: new Date('2026-10-01T23:30:00Z'), to: new Date('2026-11-20T08:30:00Z') },
      { from: new Date('2026-11-07T10:15:00Z'), to: new Date('2026-11-07T11:15:00.001Z') },
      { from: new Date('2026-11-07T11:00:00Z'), to: new Date('2026-11-07T12:00:00Z') },
      { from: new Date('2020-01-01T00:00:00Z'), to: new Date('2030-01-01T00:00:00Z') },
    ];
    const filters: Record<string, string>[] = [
      {},
      { status: 'delivered' },
      { duplicates: '1' },
      { status: 'delivered', duplicates: '1' },
      { facility: 'G' },
      { txType: 'receipt', facility: 'F' },
      { status: 'failed' },
      { status: 'pending' },
      { status: 'retrying' },
      { status: 'dead_letter', facility: 'G' },
      { status: 'failed', duplicates: '1' },
    ];
    for (const w of windows) {
      for (const params of filters) {
        const f = messageFilters.parse(params);
        const [{ n }] = await rows<{ n: number }>(
          h.db,
          sql`select count(*)::float8 as n from integration_messages m where ${messageWhere(f, w)}`,
        );
        expect((await searchMessages(h.db, f, w)).total, `${w.from.toISOString()} ${JSON.stringify(params)}`).toBe(
          Number(n),
        );
      }
    }
    expect(
      (await searchMessages(h.db, messageFilters.parse({ duplicates: '1' }), windows[3])).rows.map((m) => m.messageId),
    ).toEqual(['dup-2']);
  });
});
