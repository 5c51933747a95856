/**
 * The exception queue: filtered, sorted and paged on the server, by exception or by group
 * (fingerprint), and one exception with its message, document timeline, group and audit trail.
 */
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { isoText, rows, type Executor } from '@/db';
import { keyset } from '@/db/paging';
import type { FailedMessage } from '@/lib/exceptions/open';
import { EXCEPTION_STATES, ROOT_CAUSES, TX_TYPES, type IntegrationMessage } from '@/db/schema';
import { documentFindings } from '@/lib/detect/lifecycle';
import { stepSlas } from '@/lib/detect/lifecycle-log';
import { messagesWithKept, messageWithKeptById } from '@/lib/retention/kept';

export const PAGE_SIZE = 50;

export const queueFilters = z.object({
  state: z.enum([...EXCEPTION_STATES, 'all']).catch('open'),
  txType: z.enum(TX_TYPES).optional().catch(undefined),
  facility: z.string().trim().min(1).max(64).optional().catch(undefined),
  rootCause: z.enum(ROOT_CAUSES).optional().catch(undefined),
  owner: z.string().trim().min(1).max(200).optional().catch(undefined),
  errorCode: z.string().trim().min(1).max(200).optional().catch(undefined),
  q: z.string().trim().min(1).max(200).optional().catch(undefined),
  fingerprint: z.string().min(1).max(2000).optional().catch(undefined),
  /** Only exceptions open at least this long. */
  olderThan: z.enum(['1h', '24h', '3d', '7d']).optional().catch(undefined),
  sort: z.enum(['age', 'newest', 'facility', 'txType', 'count', 'lastSeen']).catch('age'),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  view: z.enum(['list', 'groups']).catch('list'),
  /** Set when the URL carries a time range: only exceptions opened in it. */
  from: z.date().optional(),
  to: z.date().optional(),
});
export type QueueFilters = z.infer<typeof queueFilters>;

/**
 * The queue's filters from its query, one value per key (lib/http/search-params `flatParams`); empty ones are unset.
 */
export function parseQueueFilters(
  params: Record<string, string | undefined>,
  window?: { from: Date; to: Date } | null,
): QueueFilters {
  const flat = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== '' && v !== undefined));
  return queueFilters.parse({ ...flat, from: window?.from, to: window?.to });
}

const AGE = { '1h': '1 hour', '24h': '24 hours', '3d': '3 days', '7d': '7 days' } as const;

function where(f: QueueFilters): SQL {
  const parts: SQL[] = [sql`true`];
  // "open" in the queue means not resolved and not ignored (open or acknowledged), as SPEC 5 defines it.
  if (f.state === 'open') parts.push(sql`e.state in ('open','acknowledged')`);
  else if (f.state !== 'all') parts.push(sql`e.state = ${f.state}`);
  if (f.txType) parts.push(sql`e.tx_type = ${f.txType}`);
  if (f.facility) parts.push(sql`e.facility = ${f.facility}`);
  if (f.rootCause) parts.push(sql`e.root_cause = ${f.rootCause}`);
  if (f.owner) parts.push(f.owner === 'unassigned' ? sql`e.owner is null` : sql`e.owner = ${f.owner}`);
  if (f.errorCode) parts.push(sql`e.error_code = ${f.errorCode}`);
  if (f.fingerprint) parts.push(sql`e.fingerprint = ${f.fingerprint}`);
  if (f.olderThan) parts.push(sql`e.opened_at <= now() - ${AGE[f.olderThan]}::interval`);
  if (f.from) parts.push(sql`e.opened_at >= ${f.from.toISOString()}::timestamptz`);
  if (f.to) parts.push(sql`e.opened_at < ${f.to.toISOString()}::timestamptz`);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    parts.push(
      sql`(e.message_id ilike ${like} or e.sku ilike ${like} or e.error_message ilike ${like} or e.error_code ilike
        ${like})`,
    );
  }
  return sql.join(parts, sql` and `);
}

const ORDER: Record<string, SQL> = {
  age: sql`e.opened_at asc, e.id asc`,
  newest: sql`e.opened_at desc, e.id desc`,
  facility: sql`e.facility asc, e.opened_at asc, e.id asc`,
  txType: sql`e.tx_type asc, e.opened_at asc, e.id asc`,
};

/** An exception as the queue lists it: what it was opened from (lib/exceptions/open), and its state now. */
export interface QueueRow extends FailedMessage {
  id: number;
  state: string;
  owner: string | null;
  rootCause: string;
  openedAt: string;
  ageSeconds: number;
  resolvedAt: string | null;
  effortMinutes: number | null;
}

const queueColumns = sql`e.id::float8 as id, e.message_id as "messageId", e.facility, e.tx_type as "txType", e.sku,
  e.error_code as "errorCode",
  e.error_message as "errorMessage", e.state, e.owner, e.root_cause as "rootCause", ${isoText('e.opened_at')} as
    "openedAt",
  floor(extract(epoch from now() - e.opened_at))::float8 as "ageSeconds", ${isoText('e.resolved_at')} as "resolvedAt",
    e.effort_minutes as "effortMinutes"`;

export async function listExceptions(
  db: Executor,
  f: QueueFilters,
): Promise<{ rows: QueueRow[]; total: number; page: number; pages: number }> {
  const order = ORDER[f.sort] ?? ORDER.age;
  const [{ n }] = await rows<{ n: number }>(db, sql`select count(*)::float8 as n from exceptions e where ${where(f)}`);
  const total = Number(n);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(f.page, pages);
  const list = await rows<QueueRow>(
    db,
    sql`select ${queueColumns} from exceptions e where ${where(f)} order by ${order} limit ${PAGE_SIZE} offset
      ${(page - 1) * PAGE_SIZE}`,
  );
  return { rows: list.map((r) => ({ ...r, id: Number(r.id), ageSeconds: Number(r.ageSeconds) })), total, page, pages };
}

/** Every row of the filter in opening order, a batch at a time, for CSV export without loading all at once. */
export async function* iterateExceptions(db: Executor, f: QueueFilters): AsyncGenerator<QueueRow[]> {
  const batches = keyset<QueueRow, { openedAt: string; id: number }>(
    db,
    (after) => sql`select ${queueColumns} from exceptions e where ${where(f)}
      ${after ? sql`and (e.opened_at, e.id) > (${after.openedAt}::timestamptz, ${after.id})` : sql``}
      order by e.opened_at asc, e.id asc`,
    (last) => ({ openedAt: last.openedAt, id: Number(last.id) }),
  );
  for await (const batch of batches) yield batch.map((r) => ({ ...r, id: Number(r.id) }));
}

export interface GroupRow {
  fingerprint: string;
  txType: string;
  errorCode: string | null;
  sample: string | null;
  count: number;
  open: number;
  firstSeen: string;
  lastSeen: string;
  facilities: string[];
  skus: string[];
  regressed: boolean;
}

/**
 * Groups of the filter, a page at a time. One pass over the matching exceptions counts each group
 * per facility (a hash aggregate: no per-group sort of text, which took ~300 ms for 200k open
 * exceptions); then, for the page's groups only, the latest exception gives the sample and the
 * latest SKUs come from the group's index, newest first.
 */
export async function listGroups(
  db: Executor,
  f: QueueFilters,
): Promise<{ rows: GroupRow[]; total: number; page: number; pages: number }> {
  const order =
    f.sort === 'lastSeen'
      ? sql`g."lastSeen" desc`
      : f.sort === 'age'
        ? sql`g."firstSeen" asc`
        : sql`g.count desc, g."lastSeen" desc`;
  const pageOf = (page: number) =>
    rows<GroupRow & { count: number; open: number; groups: number }>(
      db,
      sql`with p as (
            select e.fingerprint, e.facility, count(*) as n, count(*) filter (where e.state in ('open','acknowledged'))
              as open,
              min(e.opened_at) as first_seen, max(e.opened_at) as last_seen
            from exceptions e where ${where(f)} group by e.fingerprint, e.facility
          ), g as (
            select fingerprint, sum(n)::float8 as count, sum(open)::float8 as open, min(first_seen) as "firstSeen",
              max(last_seen) as "lastSeen",
              array_agg(facility order by facility) as facilities, count(*) over ()::float8 as groups
            from p group by fingerprint
          )
          select g.fingerprint, s."txType", s."errorCode", s.sample, g.count, g.open, ${isoText('g."firstSeen"')} as
            "firstSeen",
            ${isoText('g."lastSeen"')} as "lastSeen", g.facilities, coalesce(k.skus, '{}') as skus, g.groups,
            -- regressed: it recurred after the group's last resolution
            exists (select 1 from exceptions x where x.fingerprint = g.fingerprint and x.state in ('open','acknowledged')
              and x.opened_at > (select max(r.resolved_at) from exceptions r where r.fingerprint = g.fingerprint and r.state = 'resolved')) as regressed
          from (select * from g order by ${order}, g.fingerprint limit ${PAGE_SIZE} offset ${(page - 1) * PAGE_SIZE}) g
          cross join lateral (
            select e.tx_type as "txType", e.error_code as "errorCode", e.error_message as sample from exceptions e
            where e.fingerprint = g.fingerprint and ${where(f)} order by e.opened_at desc limit 1
          ) s
          cross join lateral (
            -- the five SKUs it hit last, from its latest 500 exceptions
            select array_agg(u.sku order by u.last desc) as skus from (
              select t.sku, max(t.opened_at) as last from (
                select e.sku, e.opened_at from exceptions e
                where e.fingerprint = g.fingerprint and e.sku is not null and ${where(f)} order by e.opened_at desc limit 500
              ) t group by t.sku order by last desc limit 5
            ) u
          ) k
          order by ${order}, g.fingerprint`,
    );
  let page = Math.max(1, f.page);
  let list = await pageOf(page);
  let total = list.length ? Number(list[0].groups) : 0;
  if (!list.length && page > 1) {
    // Past the last page: count the groups and show the last one.
    const [{ n }] = await rows<{ n: number }>(
      db,
      sql`select count(distinct e.fingerprint)::float8 as n from exceptions e where ${where(f)}`,
    );
    total = Number(n);
    page = Math.max(1, Math.ceil(total / PAGE_SIZE));
    list = total ? await pageOf(page) : [];
  }
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  return {
    rows: list.map(({ groups: _g, ...r }) => ({ ...r, count: Number(r.count), open: Number(r.open) })),
    total,
    page,
    pages,
  };
}

/** A stored message as the exception's detail shows it: the log's columns, its times as ISO text. */
type MessageDetail = Omit<
  IntegrationMessage,
  'createdAt' | 'processedAt' | 'updatedAt' | 'isDuplicate' | 'receivedAt'
> & {
  createdAt: string;
  processedAt: string | null;
  updatedAt: string;
};

export async function getException(db: Executor, id: number) {
  const [e] = await rows<
    QueueRow & { fingerprint: string; note: string | null; resolvedBy: string | null; acknowledgedAt: string | null }
  >(
    db,
    sql`select ${queueColumns}, e.fingerprint, e.note, e.resolved_by as "resolvedBy", ${isoText('e.acknowledged_at')} as
      "acknowledgedAt"
        from exceptions e where e.id = ${id}`,
  );
  if (!e) return null;
  const [message] = await rows<MessageDetail>(
    db,
    sql`select message_id as "messageId", tx_type as "txType", direction, facility, correlation_key as "correlationKey",
      line_key as "lineKey",
          sku, quantity::text, uom, lot, location, customer, status, attempts, error_code as "errorCode", error_message
            as "errorMessage",
          ${isoText('created_at')} as "createdAt", ${isoText('processed_at')} as "processedAt", ${isoText('updated_at')}
            as "updatedAt", payload
        from ${messageWithKeptById(e.messageId)} m limit 1`,
  );
  const steps = message?.correlationKey
    ? await rows<
        Pick<
          MessageDetail,
          | 'messageId'
          | 'txType'
          | 'direction'
          | 'facility'
          | 'lineKey'
          | 'status'
          | 'createdAt'
          | 'processedAt'
          | 'quantity'
          | 'uom'
          | 'attempts'
        >
      >(
        db,
        sql`select message_id as "messageId", tx_type as "txType", direction, facility, line_key as "lineKey", status,
          ${isoText('created_at')} as "createdAt",
              ${isoText('processed_at')} as "processedAt", quantity::text, uom, attempts
            from ${messagesWithKept} m where correlation_key = ${message.correlationKey} order by created_at, message_id
              limit 200`,
      )
    : [];
  // Each step checked against the document's flow (SPEC 5 lifecycle).
  const timeline = documentFindings(
    steps.map((t) => ({
      ...t,
      createdMs: Date.parse(t.createdAt),
      processedMs: t.processedAt ? Date.parse(t.processedAt) : null,
    })),
    Date.now(),
    await stepSlas(db),
  ).map(({ message: { createdMs: _c, processedMs: _p, ...t }, kinds }) => ({ ...t, lifecycle: kinds }));
  // Replaced versions, then the stored one: the message's status history.
  const history = message
    ? await rows<{ status: string; attempts: number; errorCode: string | null; updatedAt: string; current: boolean }>(
        db,
        sql`select status, attempts, error_code as "errorCode", ${isoText('updated_at')} as "updatedAt", false as
          current
            from message_history where message_id = ${e.messageId}
            union all
            select status, attempts, error_code, ${isoText('updated_at')}, true from ${messageWithKeptById(e.messageId)} m
            order by 4, 5`,
      )
    : [];
  const similar = await rows<QueueRow>(
    db,
    sql`select ${queueColumns} from exceptions e where e.fingerprint = ${e.fingerprint} and e.id <> ${id} order by
      e.opened_at desc limit 10`,
  );
  const audit = await rows<{ at: string; actor: string; action: string; detail: Record<string, unknown> | null }>(
    db,
    sql`select ${isoText('at')} as at, actor, action, detail from exception_audit where exception_id = ${id} order by
      at, id`,
  );
  const [{ n: groupSize }] = await rows<{ n: number }>(
    db,
    sql`select count(*)::float8 as n from exceptions where fingerprint = ${e.fingerprint}`,
  );
  // What the error code means and what to do (the admin's glossary).
  const [glossary] = e.errorCode
    ? await rows<{ meaning: string; action: string | null }>(
        db,
        sql`select meaning, action from error_glossary where error_code = ${e.errorCode}`,
      )
    : [];
  return {
    exception: { ...e, id: Number(e.id) },
    message: message ?? null,
    history,
    timeline,
    similar,
    audit,
    groupSize: Number(groupSize),
    glossary: glossary ?? null,
  };
}

export async function exceptionOwners(db: Executor): Promise<string[]> {
  const r = await rows<{ owner: string }>(
    db,
    sql`select distinct owner from exceptions where owner is not null order by 1 limit 100`,
  );
  return r.map((x) => x.owner);
}

/** Every group of the filter, page by page (CSV export of the "by group" view). */
export async function* iterateGroups(db: Executor, f: QueueFilters): AsyncGenerator<GroupRow[]> {
  for (let page = 1; ; page++) {
    const r = await listGroups(db, { ...f, page });
    if (r.rows.length) yield r.rows;
    if (page >= r.pages) return;
  }
}
