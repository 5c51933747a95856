/**
 * A SKU's messages at a facility. The log's SKU index leads with the UTC day of creation
 * (`skuDay` in db/schema.ts), so a batch's inserts stay in today's part of it, then the hash of
 * the facility and SKU (`skuKey`); readers go through it a day at a time, newest first, one index
 * descent per day, and match the columns too.
 */
import { sql, type SQL } from 'drizzle-orm';
import { isoText, rows, type Executor } from '@/db';
import { skuDay, skuKey } from '@/db/schema';

const DAY = sql.raw(skuDay('m.created_at'));
const KEY = skuKey('m.facility', 'm.sku');
/** A facility's SKU at one day of the index: the key, then the columns (two SKUs may share a hash). */
const isSku = (facility: SQL, sku: SQL) =>
  sql`${KEY} = ${skuKey(sql`(${facility})::text`, sql`(${sku})::text`)} and m.facility = ${facility} and m.sku =
    ${sku}`;
/**
 * The day again as a range of created_at: the log is partitioned by month of created_at, and the
 * index's day says nothing the planner can prune by; with it, each day's lookup reads its month.
 */
const onDay = (day: SQL) => sql`m.created_at >= ${day} and m.created_at < ${day} + interval '24 hours'`;
/** The day of the oldest message in the log (null when it is empty). */
const FIRST_DAY = sql`(select ${sql.raw(skuDay('min(created_at)'))} from integration_messages)`;

export interface SkuMessage {
  messageId: string;
  txType: string;
  direction: string;
  status: string;
  createdAt: string;
  quantity: string | null;
  uom: string | null;
  lot: string | null;
  location: string | null;
  errorCode: string | null;
}

/**
 * The newest `limit` messages of a SKU at a facility, newest first (no payloads: metadata any
 * reconciliation reader may see). Each day of the log gives at most `limit`, and those are sorted.
 */
export async function skuMessages(db: Executor, facility: string, sku: string, limit = 50): Promise<SkuMessage[]> {
  return rows<SkuMessage>(
    db,
    sql`select x."messageId", x."txType", x.direction, x.status, x."createdAt", x.quantity, x.uom, x.lot, x.location,
      x."errorCode"
        from (select ${sql.raw(skuDay('max(created_at)'))} as last_day from integration_messages) b
          cross join generate_series(b.last_day, ${FIRST_DAY}, interval '-24 hours') as d(day)
          cross join lateral (
            select m.message_id as "messageId", m.tx_type as "txType", m.direction, m.status, ${isoText('m.created_at')}
              as "createdAt",
              m.quantity::text as quantity, m.uom, m.lot, m.location, m.error_code as "errorCode", m.created_at
            from integration_messages m
            where ${DAY} = d.day and ${onDay(sql`d.day`)} and ${isSku(sql`${facility}`, sql`${sku}`)}
            order by m.created_at desc, m.message_id collate "C" desc limit ${limit}
          ) x
        order by x.created_at desc, x."messageId" collate "C" desc limit ${limit}`,
  );
}

/**
 * SQL for the txType of the latest message of `sku` at `facility` created before `before` (by
 * createdAt, then messageId, as duplicates are ordered: two created at the same instant give the
 * same answer whatever order they were stored in), or null: days are read from the day of `before`
 * back to the log's first, and the walk stops at the first day that has one.
 */
export function latestSkuTxType(facility: SQL, sku: SQL, before: SQL): SQL {
  const latestOn = (day: SQL) => sql`(select m.tx_type from integration_messages m
      where ${DAY} = ${day} and ${onDay(day)} and ${isSku(facility, sku)} and m.created_at < ${before}
      order by m.created_at desc, m.message_id collate "C" desc limit 1)`;
  return sql`(
    with recursive walk(day, tx_type) as (
      select s.day, ${latestOn(sql`s.day`)} from (select ${sql.raw(skuDay('b'))} as day from (select ${before} as b) t)
        s
      union all
      select w.day - interval '24 hours', ${latestOn(sql`w.day - interval '24 hours'`)} from walk w
      where w.tx_type is null and w.day > ${FIRST_DAY}
    )
    select tx_type from walk where tx_type is not null)`;
}
