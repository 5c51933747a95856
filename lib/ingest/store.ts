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

/** The stored versions of these messages, locked for the batch. */
export function readStored(tx: Tx, ids: string[]) {
  return rows<StoredRow>(
    tx,
    sql`select message_id, tx_type, direction, facility, correlation_key, sku, status, attempts, is_duplicate,
          (extract(epoch from created_at) * 1000000)::bigint::text as created_us,
          (extract(epoch from processed_at) * 1000000)::bigint::text as processed_us,
          (extract(epoch from updated_at) * 1000000)::bigint::text as updated_us,
          error_code, error_message
        from integration_messages
        where message_id = any(${textArray(ids)}::text[])
        for update`,
  );
}

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
) => sql`jsonb_to_recordset(${JSON.stringify(list)}::jsonb) as r(message_id text, tx_type text,
  direction text, facility text, correlation_key text, line_key text, sku text, quantity text, uom text, lot text,
    location text, status text,
  attempts int, error_code text, error_message text, created_at text, processed_at text, updated_at text, payload text,
    customer text)`;

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
 * COPYs a message's last record for every message of the batch, under a savepoint. False, with
 * nothing written, when one of them is stored already (unique violation of the primary key).
 */
export async function copyAllFresh(tx: Tx, rows: BinaryCopyRows): Promise<boolean> {
  await tx.execute(sql`savepoint all_fresh`);
  try {
    await copyInto(tx, `integration_messages (${MESSAGE_COLUMNS.join(', ')})`, () => rows);
  } catch (e) {
    if (pgErrorCode(e) !== '23505') throw e;
    await tx.execute(sql`rollback to savepoint all_fresh`);
    return false;
  }
  await tx.execute(sql`release savepoint all_fresh`);
  return true;
}

/** New messages: COPY on the Postgres server (the cheapest way in), a set insert on PGlite. */
export async function insertFresh(tx: Tx, fresh: Incoming[]) {
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

export async function updateStale(tx: Tx, stale: Incoming[]) {
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
    from ${recordset(stale.map(writeRow))}
    where t.message_id = r.message_id`);
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
