import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { inWindow, isoText, rows, type Executor } from '@/db';
import { messageById } from '@/db/partitions';
import { keyset } from '@/db/paging';
import { MESSAGE_STATUSES, TX_TYPES, skuDay, skuKey } from '@/db/schema';
import { statusCount, windowMessageSums } from '@/lib/kpi/kpis';

export const MESSAGE_PAGE = 50;

export const messageFilters = z.object({
  q: z.string().trim().min(1).max(200).optional().catch(undefined),
  status: z.enum(MESSAGE_STATUSES).optional().catch(undefined),
  txType: z.enum(TX_TYPES).optional().catch(undefined),
  facility: z.string().trim().min(1).max(64).optional().catch(undefined),
  duplicates: z.literal('1').optional().catch(undefined),
  /** The messages an import wrote (SPEC 10), whenever they were created: the window does not apply. */
  import: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  qpage: z.coerce.number().int().min(1).max(100_000).catch(1),
});
export type MessageFilters = z.infer<typeof messageFilters>;

export interface MessageRow {
  messageId: string;
  txType: string;
  direction: string;
  facility: string;
  correlationKey: string | null;
  sku: string | null;
  quantity: string | null;
  uom: string | null;
  status: string;
  attempts: number;
  errorCode: string | null;
  createdAt: string;
  processedAt: string | null;
  isDuplicate: boolean;
}

const DAY = sql.raw(skuDay('x.created_at'));
const SKU_KEY = skuKey('x.facility', 'x.sku');

/**
 * The ids of the messages a search term names: the message itself, the messages of that document,
 * or the messages of that SKU at any facility. Each is an index lookup; one predicate joining the
 * three with OR could use none of them (2 s at ten million messages). The SKU index leads with the
 * day, then the hash of facility and SKU, so a SKU is read a day and a facility at a time, over the
 * days the log spans.
 */
const namedBy = (q: string) => sql`array(
  select ${q}::text where exists (select 1 from integration_messages x where ${messageById('x', q)})
  union
  select x.message_id from integration_messages x where x.correlation_key = ${q}
  union
  select s.message_id
  from (select distinct facility from message_rollup_daily) f
    cross join generate_series((select ${sql.raw(skuDay('min(created_at)'))} from integration_messages),
      (select ${sql.raw(skuDay('max(created_at)'))} from integration_messages), interval '24 hours') as d(day)
    cross join lateral (select x.message_id from integration_messages x where ${DAY} = d.day and ${SKU_KEY} =
      ${skuKey('f.facility', sql`${q}::text`)}
      and x.facility = f.facility and x.sku = ${q} offset 0) s
)`;

/** The explorer's filter as SQL over `integration_messages m` (exported for the plan test). */
export function messageWhere(f: MessageFilters, window: { from: Date; to: Date }): SQL {
  const parts: SQL[] = [];
  if (f.q) parts.push(sql`m.message_id = any(${namedBy(f.q)})`);
  if (f.import)
    parts.push(sql`m.message_id in (select i.message_id from import_messages i where i.import_id = ${f.import})`);
  if (!f.q && !f.import) parts.push(inWindow('m.created_at', window));
  if (f.status) parts.push(sql`m.status = ${f.status}`);
  if (f.txType) parts.push(sql`m.tx_type = ${f.txType}`);
  if (f.facility) parts.push(sql`m.facility = ${f.facility}`);
  if (f.duplicates) parts.push(sql`m.is_duplicate`);
  return sql.join(parts, sql` and `);
}

const messageColumns = sql`m.message_id as "messageId", m.tx_type as "txType", m.direction, m.facility,
  m.correlation_key as "correlationKey", m.sku,
  m.quantity::text as quantity, m.uom, m.status, m.attempts, m.error_code as "errorCode", ${isoText('m.created_at')} as
    "createdAt",
  ${isoText('m.processed_at')} as "processedAt", m.is_duplicate as "isDuplicate"`;

/**
 * How many messages the filter matches. Without a search term, the window's count of all messages,
 * of one status or of duplicates (per facility and type) comes from the rollups, exact: a count of
 * 90 days of the log took ~460 ms at ten million messages, of its failed ones 580–840 ms. A search
 * term counts the log.
 */
async function countMessages(db: Executor, f: MessageFilters, window: { from: Date; to: Date }): Promise<number> {
  // Duplicates are delivered messages: "delivered duplicates" are the duplicates, and of any other status there are
  // none.
  if (!f.q && f.duplicates && f.status && f.status !== 'delivered') return 0;
  if (!f.q && !f.import) {
    const sums = await windowMessageSums(db, { ...window, facility: f.facility ?? null, txType: f.txType ?? null });
    return f.duplicates ? sums.duplicates : f.status ? statusCount(sums, f.status) : sums.messages;
  }
  const [{ n }] = await rows<{ n: number }>(
    db,
    sql`select count(*)::float8 as n from integration_messages m where ${messageWhere(f, window)}`,
  );
  return Number(n);
}

/** The log explorer: a message id or document key finds exact matches first (indexed), else filters by window. */
export async function searchMessages(db: Executor, f: MessageFilters, window: { from: Date; to: Date }) {
  const where = messageWhere(f, window);
  const total = await countMessages(db, f, window);
  const pages = Math.max(1, Math.ceil(total / MESSAGE_PAGE));
  const page = Math.min(f.page, pages);
  const list = await rows<MessageRow>(
    db,
    sql`select ${messageColumns}
        from integration_messages m where ${where}
        order by ${f.q || f.import ? sql`m.created_at asc, m.message_id` : sql`m.created_at desc, m.message_id`}
        limit ${MESSAGE_PAGE} offset ${(page - 1) * MESSAGE_PAGE}`,
  );
  return { rows: list, total, page, pages };
}

export interface QuarantineRow {
  id: number;
  feed: string;
  receivedAt: string;
  source: string | null;
  recordIndex: number | null;
  recordKey: string | null;
  raw: string;
  errors: string[];
  importId: number | null;
  fileName: string | null;
}

const quarantineColumns = sql`id::float8 as id, feed, ${isoText('received_at')} as "receivedAt", source,
  record_index as "recordIndex", record_key as "recordKey", raw, errors, import_id::float8 as "importId",
  file_name as "fileName"`;

/** The quarantine, or the rows one import (SPEC 10) rejected. */
const quarantineWhere = (importId?: number) => (importId ? sql`where import_id = ${importId}` : sql``);

export async function listQuarantine(db: Executor, page: number, importId?: number) {
  const [{ n }] = await rows<{ n: number }>(
    db,
    sql`select count(*)::float8 as n from quarantine ${quarantineWhere(importId)}`,
  );
  const total = Number(n);
  const pages = Math.max(1, Math.ceil(total / 25));
  const p = Math.min(page, pages);
  const list = await rows<QuarantineRow>(
    db,
    sql`select ${quarantineColumns}
        from quarantine ${quarantineWhere(importId)} order by received_at desc, id desc limit 25 offset ${(p - 1) * 25}`,
  );
  return { rows: list, total, page: p, pages };
}

/** Every message of the filter in creation order, a batch at a time (CSV export). */
export function iterateMessages(
  db: Executor,
  f: MessageFilters,
  window: { from: Date; to: Date },
): AsyncGenerator<MessageRow[]> {
  return keyset<MessageRow, MessageRow>(
    db,
    (after) => sql`select ${messageColumns} from integration_messages m where ${messageWhere(f, window)}
      ${after ? sql`and (m.created_at, m.message_id) > (${after.createdAt}::timestamptz, ${after.messageId})` : sql``}
      order by m.created_at, m.message_id`,
    (last) => last,
  );
}

/** Every quarantined record in the order it came, a batch at a time (CSV export). */
export function iterateQuarantine(db: Executor, importId?: number): AsyncGenerator<QuarantineRow[]> {
  return keyset<QuarantineRow, number>(
    db,
    (after) => sql`select ${quarantineColumns} from quarantine where id > ${after ?? 0}
      ${importId ? sql`and import_id = ${importId}` : sql``} order by id`,
    (last) => Number(last.id),
  );
}
