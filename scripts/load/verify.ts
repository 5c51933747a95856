/**
 * What the load suite checks in the database after the traffic: the log, the open exceptions and
 * the quarantine equal what everything sent must leave, and the rollups equal a rebuild from the log.
 */
import { sql } from 'drizzle-orm';
import { isoText, rows, type Db } from '@/db';
import { executeRebuild, getRebuild, requestRebuild } from '@/lib/kpi/rebuild';
import type { Sent, Version } from './traffic';

/** Sorted by code unit, as JavaScript sorts (a database's collation may order text otherwise). */
const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The messages as stored, in the shape of what was sent. */
export async function storedMessages(db: Db) {
  const r = await rows<Version>(
    db,
    sql`select message_id as "messageId", status, attempts, ${isoText('updated_at')} as "updatedAt",
      error_code as "errorCode" from integration_messages`,
  );
  return r.sort((a, b) => byId(a.messageId, b.messageId));
}

/** The messages everything sent leaves: each one's latest version. */
export function expectedMessages(sent: Sent): Version[] {
  return [...sent.latest.values()].sort((a, b) => byId(a.messageId, b.messageId));
}

/** Messages with an exception that is open (not resolved, not ignored). */
export async function openExceptions(db: Db): Promise<string[]> {
  const r = await rows<{ id: string }>(
    db,
    sql`select message_id as id from exceptions where state in ('open', 'acknowledged')`,
  );
  return r.map((x) => x.id).sort(byId);
}

/** The quarantine as "index raw", one entry per row kept (a duplicate shows twice). */
export async function quarantined(db: Db): Promise<string[]> {
  const r = await rows<{ k: string }>(db, sql`select record_index || ' ' || raw as k from quarantine`);
  return r.map((x) => x.k).sort(byId);
}

/** Everything a rebuild recomputes, without rows whose counts are all zero. */
export async function derived(db: Db) {
  const nonZero = sql`messages <> 0 or failed <> 0 or dead_letter <> 0 or retrying <> 0 or first_pass_failed <> 0 or
    delivered <> 0 or delay_sum_us <> 0 or duplicates <> 0`;
  return {
    hourly: await rows(db, sql`select * from message_rollup_hourly where ${nonZero} order by 1, 2, 3, 4`),
    daily: await rows(db, sql`select * from message_rollup_daily where ${nonZero} order by 1, 2, 3, 4`),
    sketches: await rows(db, sql`select * from delay_sketches where cardinality(delay_idx) > 0 order by 1, 2, 3, 4, 5`),
    exceptionHourly: await rows(db, sql`select * from exception_rollup_hourly where opened <> 0 order by 1, 2, 3, 4`),
    exceptionDaily: await rows(db, sql`select * from exception_rollup_daily where opened <> 0 order by 1, 2, 3, 4`),
    open: await rows(db, sql`select * from open_exception_counts where n <> 0 order by 1, 2`),
    duplicates: await rows(db, sql`select message_id from integration_messages where is_duplicate order by 1`),
  };
}

/** Runs a rollup rebuild to its end and returns the job. */
export async function rebuild(db: Db) {
  const { id } = await requestRebuild(db, 'load suite');
  await executeRebuild(db, id);
  return (await getRebuild(db, id))!;
}
