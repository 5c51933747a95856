import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '@/db';
import { testDb } from '@/lib/testing/db';
import { send } from '@/lib/testing/send';
import { testMessages } from '@/lib/testing/records';
import { latestSkuTxType, skuMessages } from '@/lib/messages/sku';
import { env } from '@/lib/env';

const h = testDb();

/** Messages of `sku` at `facility`, each given as [messageId, txType, createdAt]. */
const ofSku = (facility: string, sku: string, messages: [string, string, string][]) =>
  messages.map(([id, txType, createdAt]) => [id, facility, sku, txType, createdAt]);

beforeAll(async () => {
  await send(
    h.db,
    testMessages(
      ['messageId', 'facility', 'sku', 'txType', 'createdAt'],
      [
        ...ofSku('F', 'S', [
          ['a', 'adjustment', '2026-11-01T23:59:59Z'],
          ['b', 'receipt', '2026-11-05T00:00:00Z'],
          ['c', 'shipment', '2026-11-05T12:00:00Z'],
          ['d', 'pick', '2026-11-09T08:00:00Z'],
        ]),
        ...ofSku('G', 'S', [['g', 'transfer', '2026-11-08T00:00:00Z']]),
        ...ofSku('F', 'T', [
          ['t', 'return', '2026-11-07T00:00:00Z'],
          ['z', 'return', '2026-12-30T00:00:00Z'],
        ]),
        // Two created at the same instant, the later messageId stored first.
        ...ofSku('F', 'U', [
          ['tie-2', 'cycle_count', '2026-11-12T00:00:00Z'],
          ['tie-1', 'putaway', '2026-11-12T00:00:00Z'],
        ]),
        // Two SKUs whose key in the SKU index is the same hash (checked below).
        ...ofSku('F', 'SKU-3139', [['h1', 'receipt', '2026-11-10T01:00:00Z']]),
        ...ofSku('F', 'SKU-95729', [['h2', 'shipment', '2026-11-10T02:00:00Z']]),
      ],
    ),
  );
});

const latest = async (facility: string, sku: string, before: string) => {
  const [r] = await rows<{ tx: string | null }>(
    h.db,
    sql`select ${latestSkuTxType(sql`${facility}::text`, sql`${sku}::text`, sql`${before}::timestamptz`)} as tx`,
  );
  return r.tx;
};

describe("a SKU's messages, read a day at a time", () => {
  it('lists the newest messages of a SKU at a facility across days, newest first, up to the limit', async () => {
    const ids = async (facility: string, sku: string, limit?: number) =>
      (await skuMessages(h.db, facility, sku, limit)).map((m) => m.messageId);
    expect(await ids('F', 'S')).toEqual(['d', 'c', 'b', 'a']);
    expect(await ids('F', 'S', 3)).toEqual(['d', 'c', 'b']);
    expect(await ids('G', 'S')).toEqual(['g']);
    expect(await ids('F', 'T')).toEqual(['z', 't']);
    expect(await ids('F', 'nothing')).toEqual([]);
    expect((await skuMessages(h.db, 'F', 'S', 1))[0]).toMatchObject({
      messageId: 'd',
      txType: 'pick',
      createdAt: '2026-11-09T08:00:00.000Z',
      quantity: '1',
    });
  });

  it('finds the txType of the latest message created strictly before a time, days back, at that facility only', async () => {
    expect(await latest('F', 'S', '2026-11-20T00:00:00Z')).toBe('pick');
    expect(await latest('F', 'S', '2026-11-09T08:00:00Z')).toBe('shipment'); // d is not before itself; c is four days back
    expect(await latest('F', 'S', '2026-11-05T00:00:00Z')).toBe('adjustment'); // b starts that day; a ends the day before
    expect(await latest('F', 'S', '2026-11-01T23:59:59Z')).toBeNull();
    expect(await latest('G', 'S', '2026-11-09T00:00:00Z')).toBe('transfer');
    expect(await latest('F', 'nothing', '2026-11-20T00:00:00Z')).toBeNull();
    // Before the log's first day, and long after its last one.
    expect(await latest('F', 'S', '2020-01-01T00:00:00Z')).toBeNull();
    expect(await latest('F', 'T', '2027-06-01T00:00:00Z')).toBe('return');
    // A tie on createdAt goes to the later messageId, whatever order the two were stored in.
    expect(await latest('F', 'U', '2026-11-13T00:00:00Z')).toBe('cycle_count');
    expect((await skuMessages(h.db, 'F', 'U', 1)).map((m) => m.messageId)).toEqual(['tie-2']);
  });

  it('keeps apart two SKUs whose index key is the same hash', async () => {
    const [same] = await rows<{ same: boolean }>(
      h.db,
      sql`select hashtext('F|SKU-3139') = hashtext('F|SKU-95729') as same`,
    );
    expect(same.same).toBe(true);
    expect((await skuMessages(h.db, 'F', 'SKU-3139')).map((m) => m.messageId)).toEqual(['h1']);
    expect((await skuMessages(h.db, 'F', 'SKU-95729')).map((m) => m.messageId)).toEqual(['h2']);
    expect(await latest('F', 'SKU-3139', '2026-11-11T00:00:00Z')).toBe('receipt');
    expect(await latest('F', 'SKU-95729', '2026-11-11T00:00:00Z')).toBe('shipment');
  });

  it.runIf(env().DATABASE_URL)('reads the SKU index by day on the Postgres server', async () => {
    const plan = await h.db.transaction(async (tx) => {
      await tx.execute(sql`analyze integration_messages`);
      await tx.execute(sql`set local enable_seqscan = off`);
      return rows<{ 'QUERY PLAN': string }>(
        tx,
        sql`explain select ${latestSkuTxType(sql`${'F'}::text`, sql`${'S'}::text`, sql`${'2026-11-20T12:00:00Z'}::timestamptz`)}`,
      );
    });
    // Both parts of the key in the index condition: the day, and the hash of facility and SKU.
    expect(plan.map((p) => p['QUERY PLAN']).join('\n')).toMatch(
      /Index Scan.* using integration_messages_p\d{8}_\w+ on [^\n]*\n\s*Index Cond: \(\(date_bin[^\n]*AND \(hashtext/,
    );
  });
});
