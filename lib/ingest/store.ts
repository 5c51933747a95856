/**
 * Writing a message batch into the log: the stored versions read and locked, new messages by COPY
 * (a set insert on PGlite), stored ones updated by key, and the versions they replace kept in the
 * history.
 */
import { sql } from 'drizzle-orm';
import { pgErrorCode, rows, textArray, type Tx } from '@/db';
import { BinaryCopyRows, copyInto, type CopyValue } from '@/db/copy';
import type { MessageStatus } from '@/db/schema';
import type { MessageRecord } from '@/lib/api/schemas';
import { microsExact, microsToIso } from '@/lib/time';
import type { Incoming, Version } from './validate';

export interface StoredRow {
  message_id: string;
  tx_type: string;
  direction: string;
  correlation_key: string | null;
  facility: string;
  sku: string | null;
  status: MessageStatus;
  attempts: number;
  is_duplicate: boolean;
  created_us: string;
  processed_us: string | null;
  updated_us: string;
  error_code: string | null;
  error_message: string | null;
}

/**
 * The stored versions of these messages, locked for the batch: each found by its key in
 * `message_keys`, which names its month, so each lookup reads one partition of the log. A key
 * whose row is gone (its month dropped by retention) is no stored version: the message is new.
 */
export function readStored(tx: Tx, ids: string[]) {
  return rows<StoredRow>(
    tx,
    sql`select m.message_id, m.tx_type, m.direction, m.facility, m.correlation_key, m.sku, m.status, m.attempts,
          m.is_duplicate,
          (extract(epoch from m.created_at) * 1000000)::bigint::text as created_us,
          (extract(epoch from m.processed_at) * 1000000)::bigint::text as processed_us,
          (extract(epoch from m.updated_at) * 1000000)::bigint::text as updated_us,
          m.error_code, m.error_message
        from message_keys k join integration_messages m on m.message_id = k.message_id and m.created_at = k.created_at
        where k.message_id = any(${textArray(ids)}::text[])
        for update of k, m`,
  );
}

/** The keys of messages (`message_keys`), for COPY. */
function keyRowsOf(list: Iterable<Incoming>): BinaryCopyRows {
  const out = new BinaryCopyRows();
  for (const { rec: r, v } of list) out.row(2).text(r.messageId).timestamptz(microsExact(v.createdUs, r.createdAt));
  return out;
}

const KEY_COPY = 'message_keys (message_id, created_at)';

/** The log's columns a message write sets, in COPY order. */
export const MESSAGE_COLUMNS = [
  'message_id',
  'tx_type',
  'direction',
  'facility',
  'correlation_key',
  'line_key',
  'sku',
  'quantity',
  'uom',
  'lot',
  'location',
  'status',
  'attempts',
  'error_code',
  'error_message',
  'created_at',
  'processed_at',
  'updated_at',
  'payload',
  'customer',
] as const;

/** A v1 message record as the log stores it (the bench's records have no customer or update time). */
export type MessageRow = Omit<MessageRecord, 'customer' | 'updatedAt'> &
  Partial<Pick<MessageRecord, 'customer' | 'updatedAt'>>;

/** A record's values in MESSAGE_COLUMNS order, for COPY; `payload` is its payload as JSON text. */
export const messageValues = ({ rec: r, payload }: { rec: MessageRow; payload: string | null }): CopyValue[] => [
  r.messageId,
  r.txType,
  r.direction,
  r.facility,
  r.correlationKey,
  r.lineKey,
  r.sku,
  r.quantity,
  r.uom,
  r.lot,
  r.location,
  r.status,
  r.attempts,
  r.errorCode,
  r.errorMessage,
  r.createdAt,
  r.processedAt,
  r.updatedAt ?? r.processedAt ?? r.createdAt,
  payload,
  r.customer,
];

/** Messages' COPY rows, in the binary format, in MESSAGE_COLUMNS order. */
export function rowsOf(list: Iterable<Incoming>): BinaryCopyRows {
  const out = new BinaryCopyRows();
  for (const { rec: r, payload, v } of list) {
    out
      .row(MESSAGE_COLUMNS.length)
      .text(r.messageId)
      .text(r.txType)
      .text(r.direction)
      .text(r.facility)
      .text(r.correlationKey)
      .text(r.lineKey)
      .text(r.sku)
      .numeric(r.quantity)
      .text(r.uom)
      .text(r.lot)
      .text(r.location)
      .text(r.status)
      .int4(r.attempts)
      .text(r.errorCode)
      .text(r.errorMessage)
      .timestamptz(microsExact(v.createdUs, r.createdAt))
      .timestamptz(microsExact(v.processedUs, r.processedAt))
      .timestamptz(microsExact(v.updatedUs, r.updatedAt ?? r.processedAt ?? r.createdAt))
      .jsonb(payload)
      .text(r.customer);
  }
  return out;
}

/** The same values keyed by column, for the JSON recordsets (PGlite's inserts, updates of stored messages). */
const writeRow = (x: Incoming) => {
  const values = messageValues(x);
  return Object.fromEntries(MESSAGE_COLUMNS.map((c, i) => [c, values[i]])) as Record<
    (typeof MESSAGE_COLUMNS)[number],
    CopyValue
  >;
};

const recordset = (
  list: ReturnType<typeof writeRow>[],
  more = sql``,
) => sql`jsonb_to_recordset(${JSON.stringify(list)}::jsonb) as r(message_id text, tx_type text,
  direction text, facility text, correlation_key text, line_key text, sku text, quantity text, uom text, lot text,
    location text, status text,
  attempts int, error_code text, error_message text, created_at text, processed_at text, updated_at text, payload text,
    customer text${more})`;

/**
 * Whether to try the next batch as all new. Each miss (a stored message in the batch) doubles the
 * batches that skip the try, up to 64, so a feed of updates wastes little; a hit resets it.
 */
export const freshGuess = {
  misses: 0,
  skip: 0,
  shouldTry() {
    if (this.skip === 0) return true;
    this.skip--;
    return false;
  },
  record(hit: boolean) {
    if (hit) this.misses = 0;
    else this.skip = 2 ** Math.min(6, ++this.misses);
    return hit;
  },
};

/** Tests start from a fresh guess (reset) and read it back. */
export function freshGuessForTests(reset = false, skip = 0) {
  if (reset) [freshGuess.misses, freshGuess.skip] = [0, skip];
  return { misses: freshGuess.misses, skip: freshGuess.skip };
}

/**
 * COPYs a message's last record for every message of the batch, under a savepoint, its key first.
 * False, with nothing written, when one of them is stored already (unique violation of the key).
 */
export async function copyAllFresh(tx: Tx, list: Incoming[]): Promise<boolean> {
  await tx.execute(sql`savepoint all_fresh`);
  try {
    await copyInto(tx, KEY_COPY, () => keyRowsOf(list));
    await copyInto(tx, `integration_messages (${MESSAGE_COLUMNS.join(', ')})`, () => rowsOf(list));
  } catch (e) {
    if (pgErrorCode(e) !== '23505') throw e;
    await tx.execute(sql`rollback to savepoint all_fresh`);
    return false;
  }
  await tx.execute(sql`release savepoint all_fresh`);
  return true;
}

/**
 * New messages: COPY on the Postgres server (the cheapest way in), a set insert on PGlite. Under the
 * batch lock a message that readStored did not find is new; a key it has left behind (its row
 * dropped with its month) is taken over.
 */
export async function insertFresh(tx: Tx, fresh: Incoming[]) {
  await tx.execute(sql`
    insert into message_keys (message_id, created_at)
    select r.message_id, r.created_at::timestamptz
    from jsonb_to_recordset(${JSON.stringify(fresh.map((x) => ({ message_id: x.rec.messageId, created_at: microsToIso(x.v.createdUs) })))}::jsonb)
      as r(message_id text, created_at text)
    on conflict (message_id) do update set created_at = excluded.created_at`);
  const copied = await copyInto(tx, `integration_messages (${MESSAGE_COLUMNS.join(', ')})`, () => rowsOf(fresh));
  if (copied) return;
  await tx.execute(sql`
    insert into integration_messages (${sql.raw(MESSAGE_COLUMNS.join(', '))}, is_duplicate)
    select r.message_id, r.tx_type, r.direction, r.facility, r.correlation_key, r.line_key, r.sku, r.quantity::numeric,
      r.uom, r.lot,
      r.location, r.status, r.attempts, r.error_code, r.error_message, r.created_at::timestamptz,
        r.processed_at::timestamptz,
      r.updated_at::timestamptz, r.payload::jsonb, r.customer, false
    from ${recordset(fresh.map(writeRow))}`);
}

/**
 * Stored messages replaced by later records, each found in its month by its stored createdAt
 * (`storedUs`). A record that moves createdAt moves the row to the new month's partition (an update
 * across partitions), and its key follows.
 */
export async function updateStale(tx: Tx, stale: Incoming[], storedUs: Map<string, number>) {
  const stored = stale.map((x) => microsToIso(storedUs.get(x.rec.messageId)!));
  const list = stale.map((x, i) => ({ ...writeRow(x), stored_at: stored[i] }));
  await tx.execute(sql`
    update integration_messages t set
      tx_type = r.tx_type, direction = r.direction, facility = r.facility, correlation_key = r.correlation_key, line_key
        = r.line_key,
      sku = r.sku, quantity = r.quantity::numeric, uom = r.uom, lot = r.lot, location = r.location, status = r.status,
      attempts = r.attempts, error_code = r.error_code, error_message = r.error_message, created_at =
        r.created_at::timestamptz,
      processed_at = r.processed_at::timestamptz, updated_at = r.updated_at::timestamptz, payload = r.payload::jsonb,
        customer = r.customer,
      is_duplicate = false, received_at = now()
    from ${recordset(list, sql`, stored_at text`)}
    where t.message_id = r.message_id and t.created_at = r.stored_at::timestamptz
      and t.created_at = any(${`{${stored.join(',')}}`}::timestamptz[])`);
  const moved = stale.filter((x) => x.v.createdUs !== storedUs.get(x.rec.messageId));
  if (!moved.length) return;
  await tx.execute(sql`
    update message_keys k set created_at = r.created_at::timestamptz
    from jsonb_to_recordset(${JSON.stringify(moved.map((x) => ({ message_id: x.rec.messageId, created_at: microsToIso(x.v.createdUs) })))}::jsonb)
      as r(message_id text, created_at text)
    where k.message_id = r.message_id`);
}

export async function keepHistory(tx: Tx, versions: Version[]) {
  const list = versions.map((v) => ({
    message_id: v.messageId,
    status: v.status,
    attempts: v.attempts,
    error_code: v.errorCode,
    error_message: v.errorMessage,
    processed_at: v.processedUs === null ? null : microsToIso(v.processedUs),
    updated_at: microsToIso(v.updatedUs),
  }));
  await tx.execute(sql`
    insert into message_history (message_id, status, attempts, error_code, error_message, processed_at, updated_at)
    select r.message_id, r.status, r.attempts, r.error_code, r.error_message, r.processed_at::timestamptz,
      r.updated_at::timestamptz
    from jsonb_to_recordset(${JSON.stringify(list)}::jsonb) as r(message_id text, status text, attempts int, error_code
      text, error_message text,
      processed_at text, updated_at text)`);
}
