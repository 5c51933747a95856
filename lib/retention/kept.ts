/**
 * An open exception keeps its message (SPEC 11). Just before a partition of the log is dropped, the
 * rows of it that an open or acknowledged exception refers to are copied to `kept_messages` (same
 * columns, one row per message). Readers of a single message — the message detail, an exception's
 * message, timeline and history — read `messagesWithKept` instead of the log: the log and the kept
 * rows as one relation, which Postgres plans as two index lookups for a `message_id =` filter.
 * Kept rows are bounded by the exceptions (at most one per exception), so they are never purged.
 */
import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import { rows, type Executor } from '@/db';
import { messageById } from '@/db/partitions';
import { keptMessages } from '@/db/schema';

/** The log's columns, as kept_messages has them (kept_at aside). */
export const MESSAGE_COLUMN_NAMES: string[] = Object.values(getTableColumns(keptMessages))
  .map((c) => c.name)
  .filter((n) => n !== 'kept_at');

const list = () => sql.raw(MESSAGE_COLUMN_NAMES.join(', '));

/** The log and the kept messages as one relation with the log's columns: `from ${messagesWithKept} m`. */
export const messagesWithKept: SQL = sql`(select ${list()} from integration_messages
  union all select ${list()} from kept_messages)`;

/**
 * Message `id` from the log or, when its month is gone, from the kept rows: `from ${…} m`. The
 * log's side finds its month through message_keys (db/partitions.ts messageById), so one
 * partition is read, not every month's key index.
 */
export const messageWithKeptById = (id: string): SQL => sql`(select ${list()} from integration_messages
  where ${messageById('', id)} union all select ${list()} from kept_messages where message_id = ${id})`;

/** Copies the rows of `partition` that open exceptions refer to into kept_messages; how many it copied. */
export async function keepOpenExceptionMessages(tx: Executor, partition: string): Promise<number> {
  const r = await rows<{ id: string }>(
    tx,
    sql`insert into kept_messages (${list()})
    select ${list()} from ${sql.identifier(partition)} m
    where m.message_id in (select message_id from exceptions where state in ('open', 'acknowledged'))
    on conflict (message_id) do nothing returning message_id as id`,
  );
  return r.length;
}
