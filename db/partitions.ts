/**
 * Time partitions of the tables that grow with time (SPEC 11). Each is partitioned by RANGE over
 * one timestamptz column, one partition per calendar month in UTC, named `<table>_pYYYYMMDD` after
 * its first day, with no DEFAULT partition: a row must find its month, so the app creates months
 * ahead of time (`ensureAhead`, at every open and daily) and the month of any other date a writer
 * is about to store (`ensurePartitions`, e.g. the ingest for a message from 2019). Drizzle-kit does
 * not model partitions; `db/migrations/0025_partitions.sql` converted the tables, and the schema describes
 * their parents. Retention finds the partitions in `pg_inherits` and drops whole months.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db, Executor } from './index';
import { PARTITION_LOCK } from './locks';

/**
 * The grain is a month, from measurements (Postgres 15, 2 shared cores; 1M messages over 90 days in
 * a copy of the log's layout, each query's mean over 300 runs, pgbench, simple protocol):
 *
 * | grain (partitions)  | load 1M (200 × 5,000) | 30-min edge | document ± 25 h | document, no window |
 * | day (105)           | 5.0 s                 | 4.9 ms      | 6.2 ms          | 3.5 ms              |
 * | week (15)           | 4.8 s                 | 0.91 ms     | 0.96 ms         | 0.58 ms             |
 * | month (4)           | 5.0 s                 | 0.37 ms     | 0.43 ms         | 0.16 ms             |
 * | none (1)            | 5.2 s                 | 0.27 ms     | 0.26 ms         | 0.09 ms             |
 *
 * Inserts cost the same at any grain; every read pays for the partitions the planner considers,
 * ten times over at a day's grain. A month keeps them few (60 in five years) and retention still
 * sheds a month with one DROP.
 */
export const PARTITIONED = {
  integration_messages: 'created_at',
  message_history: 'replaced_at',
  exception_audit: 'at',
  quarantine: 'received_at',
} as const;
export type PartitionedTable = keyof typeof PARTITIONED;

/** How many months past the current one exist ahead of time. */
export const MONTHS_AHEAD = 2;

/** The first instant (UTC) of the month holding `t`. */
export function monthStart(t: Date): Date {
  return new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), 1));
}

/** The first instant of the month `n` months after the one starting at `start`. */
export function addMonths(start: Date, n: number): Date {
  return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + n, 1));
}

/** `<table>_pYYYYMMDD`, after the partition's first day. */
export function partitionName(table: PartitionedTable, start: Date): string {
  return `${table}_p${start.toISOString().slice(0, 10).replace(/-/g, '')}`;
}

/** The months covering [from, to], both ends included, as their first instants. */
export function monthsBetween(from: Date, to: Date): Date[] {
  const out: Date[] = [];
  for (let m = monthStart(from); m <= to; m = addMonths(m, 1)) out.push(m);
  return out;
}

/** The partitions of `table` in the catalog, by name. */
export async function listPartitions(db: Executor, table: PartitionedTable): Promise<string[]> {
  // (Not `rows` of db/index.ts, which opens the database with this file's help.)
  const result = (await db.execute(
    sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = ${table}::regclass order by 1`,
  )) as unknown;
  const list = (Array.isArray(result) ? result : ((result as { rows?: unknown[] }).rows ?? [])) as { name: string }[];
  return list.map((r) => r.name);
}

/** Per database client: the partitions known to exist, so a writer asks the catalog only for a new month. */
const known = new WeakMap<object, Map<PartitionedTable, Set<string>>>();

function knownOf(db: Db, table: PartitionedTable): Set<string> {
  let byTable = known.get(db);
  if (!byTable) known.set(db, (byTable = new Map()));
  let names = byTable.get(table);
  if (!names) byTable.set(table, (names = new Set()));
  return names;
}

/**
 * Makes sure `table` has a partition for every month from `from` to `to`, creating the missing ones
 * in a short transaction of their own under an advisory lock (several servers may start together).
 * Runs outside any other transaction: `CREATE TABLE … PARTITION OF` locks the parent until commit.
 * Returns the partitions it created.
 */
export async function ensurePartitions(db: Db, table: PartitionedTable, from: Date, to: Date): Promise<string[]> {
  const names = knownOf(db, table);
  const wanted = monthsBetween(from, to).filter((m) => !names.has(partitionName(table, m)));
  if (!wanted.length) return [];
  const created: string[] = [];
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${PARTITION_LOCK})`);
    const existing = new Set(await listPartitions(tx, table));
    for (const m of wanted) {
      const name = partitionName(table, m);
      if (existing.has(name)) continue;
      await tx.execute(
        sql.raw(
          `create table "${name}" partition of "${table}" for values from ('${m.toISOString()}') to ('${addMonths(m, 1).toISOString()}')`,
        ),
      );
      created.push(name);
    }
  });
  for (const m of wanted) names.add(partitionName(table, m));
  return created;
}

/**
 * Forgets what this client knew of `table`'s partitions (one was dropped, e.g. by retention in
 * another process): the next ensurePartitions asks the catalog.
 */
export function forgetPartitions(db: Db, table: PartitionedTable) {
  known.get(db)?.delete(table);
}

/** The current month of every partitioned table, the one before and MONTHS_AHEAD after. */
export async function ensureAhead(db: Db, now = new Date()): Promise<string[]> {
  const created: string[] = [];
  for (const table of Object.keys(PARTITIONED) as PartitionedTable[]) {
    created.push(...(await ensurePartitions(db, table, addMonths(monthStart(now), -1), addMonths(now, MONTHS_AHEAD))));
  }
  return created;
}

/** ensurePartitions over the earliest and latest of some instants (microseconds since the epoch). */
export async function ensureFor(db: Db, table: PartitionedTable, micros: readonly number[]) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const us of micros) {
    if (us < lo) lo = us;
    if (us > hi) hi = us;
  }
  if (lo === Infinity) return;
  const first = monthStart(new Date(Math.floor(lo / 1000)));
  const last = monthStart(new Date(Math.floor(hi / 1000)));
  // Months between two far apart dates are created only where a row falls (a backfill from 2019 and
  // today's feed in one batch must not create seven years of empty months).
  if (addMonths(first, 3) < last) {
    const months = new Set<number>();
    for (const us of micros) months.add(monthStart(new Date(Math.floor(us / 1000))).getTime());
    for (const m of months) await ensurePartitions(db, table, new Date(m), new Date(m));
    return;
  }
  await ensurePartitions(db, table, first, last);
}

/**
 * The log's row of message `id` (`alias` the log's alias in the statement, '' for none): its
 * createdAt read from `message_keys`, so only that month's partition is read (pruned as the
 * statement runs; a lookup by id alone would probe every month's key).
 */
export function messageById(alias: string, id: string): SQL {
  const a = alias ? `${alias}.` : '';
  return sql`${sql.raw(a)}message_id = ${id}
    and ${sql.raw(a)}created_at = (select k.created_at from message_keys k where k.message_id = ${id})`;
}
