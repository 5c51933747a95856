/**
 * POST /api/v1/messages (SPEC 3.1): per-record validation, last-write-wins upsert by `updatedAt`,
 * exceptions opened and resolved from the stored versions, hourly and daily rollups kept exact by
 * deltas (old version out, new version in), duplicate flags recomputed for the touched content,
 * and rejected records quarantined — all in one transaction per batch.
 */
import { sql } from 'drizzle-orm';
import { rows, type Db, type Tx } from '@/db';
import { rootCauseRules, type MessageStatus } from '@/db/schema';
import { fingerprint } from '@/lib/detect/fingerprint';
import { makeClassifier, type RootCauseRule } from '@/lib/detect/root-cause';
import { messageRecord, issuesToStrings, type MessageRecord } from '@/lib/ingest/schemas';
import { quarantineRecords, type Rejected, type RawRecord } from '@/lib/ingest/quarantine';
import { bucketOf } from '@/lib/kpi/delay-sketch';
import type { RollupSums } from '@/lib/kpi/kpis';
import { DAY_US, HOUR_US, floorTo, microsToIso, toMicros } from '@/lib/time';

export interface IngestResult {
  accepted: number;
  updated: number;
  unchanged: number;
  rejected: Rejected[];
}

const FAILING = new Set<MessageStatus>(['failed', 'dead_letter']);
export const RESOLVED_BY_RETRY = 'system (resolved by retry)';

/** The facts of one stored version that rollups and exceptions depend on. */
interface Version {
  messageId: string;
  txType: string;
  direction: string;
  facility: string;
  sku: string | null;
  status: MessageStatus;
  attempts: number;
  createdUs: number;
  processedUs: number | null;
  updatedUs: number;
  isDuplicate: boolean;
  errorCode: string | null;
  errorMessage: string | null;
}

interface ToOpen {
  v: Version;
  openedUs: number;
  /** Set when a later record of the same batch delivered the message. */
  resolvedUs: number | null;
}

interface Incoming {
  index: number;
  rec: MessageRecord;
  v: Version;
}

/** Sums of one rollup cell; the same shape serves deltas. */
interface Cell extends RollupSums {
  bucket: number;
  facility: string;
  txType: string;
  direction: string;
}

class RollupDelta {
  readonly cells = new Map<string, Cell>();
  readonly sketch = new Map<string, { bucket: number; facility: string; txType: string; direction: string; idx: number; n: number }>();
  constructor(private readonly unit: number) {}

  /** The cell a message version counts in, created empty on first use. */
  private cell(v: { createdUs: number; facility: string; txType: string; direction: string }): { c: Cell; key: string } {
    const bucket = floorTo(v.createdUs, this.unit);
    const key = `${bucket}|${v.facility}|${v.txType}|${v.direction}`;
    let c = this.cells.get(key);
    if (!c) {
      c = { bucket, facility: v.facility, txType: v.txType, direction: v.direction, messages: 0, failed: 0, firstPassFailed: 0, delivered: 0, delaySumUs: 0, duplicates: 0 };
      this.cells.set(key, c);
    }
    return { c, key };
  }

  add(v: Pick<Version, 'createdUs' | 'facility' | 'txType' | 'direction' | 'status' | 'attempts' | 'processedUs'>, sign: 1 | -1, isDuplicate: boolean) {
    const { c, key } = this.cell(v);
    const failing = FAILING.has(v.status);
    c.messages += sign;
    if (failing) c.failed += sign;
    if (failing || v.attempts > 1) c.firstPassFailed += sign;
    if (isDuplicate) c.duplicates += sign;
    if (v.status === 'delivered' && v.processedUs !== null) {
      const delayUs = v.processedUs - v.createdUs;
      c.delivered += sign;
      c.delaySumUs += sign * delayUs;
      const idx = bucketOf(delayUs / 1000);
      const sk = `${key}|${idx}`;
      const s = this.sketch.get(sk) ?? { bucket: c.bucket, facility: v.facility, txType: v.txType, direction: v.direction, idx, n: 0 };
      s.n += sign;
      this.sketch.set(sk, s);
    }
  }

  duplicateFlip(v: { createdUs: number; facility: string; txType: string; direction: string }, sign: 1 | -1) {
    this.cell(v).c.duplicates += sign;
  }
}

const q = (json: unknown) => JSON.stringify(json);

async function applyRollups(tx: Tx, delta: RollupDelta, table: 'hourly' | 'daily') {
  const cells = [...delta.cells.values()]
    .filter((c) => c.messages || c.failed || c.firstPassFailed || c.delivered || c.delaySumUs || c.duplicates)
    .sort((a, b) => a.bucket - b.bucket || a.facility.localeCompare(b.facility) || a.txType.localeCompare(b.txType) || a.direction.localeCompare(b.direction))
    .map((c) => ({ ...c, bucket: microsToIso(c.bucket) }));
  if (cells.length) {
    const t = sql.raw(`message_rollup_${table}`);
    await tx.execute(sql`
      insert into ${t} as t (bucket, facility, tx_type, direction, messages, failed, first_pass_failed, delivered, delay_sum_us, duplicates)
      select r.bucket::timestamptz, r.facility, r."txType", r.direction, r.messages, r.failed, r."firstPassFailed", r.delivered, r."delaySumUs", r.duplicates
      from jsonb_to_recordset(${q(cells)}::jsonb) as r(bucket text, facility text, "txType" text, direction text, messages bigint, failed bigint,
        "firstPassFailed" bigint, delivered bigint, "delaySumUs" numeric, duplicates bigint)
      on conflict (bucket, facility, tx_type, direction) do update set
        messages = t.messages + excluded.messages,
        failed = t.failed + excluded.failed,
        first_pass_failed = t.first_pass_failed + excluded.first_pass_failed,
        delivered = t.delivered + excluded.delivered,
        delay_sum_us = t.delay_sum_us + excluded.delay_sum_us,
        duplicates = t.duplicates + excluded.duplicates`);
  }
  const sketch = [...delta.sketch.values()].filter((s) => s.n !== 0).map((s) => ({ ...s, bucket: microsToIso(s.bucket) }));
  if (sketch.length) {
    const t = sql.raw(`delay_sketch_${table}`);
    await tx.execute(sql`
      insert into ${t} as t (bucket, facility, tx_type, direction, idx, n)
      select r.bucket::timestamptz, r.facility, r."txType", r.direction, r.idx, r.n
      from jsonb_to_recordset(${q(sketch)}::jsonb) as r(bucket text, facility text, "txType" text, direction text, idx int, n bigint)
      order by 1, 2, 3, 4, 5
      on conflict (bucket, facility, tx_type, direction, idx) do update set n = t.n + excluded.n`);
    const tf = sql.raw(`delay_sketch_facility_${table}`);
    await tx.execute(sql`
      insert into ${tf} as t (bucket, facility, idx, n)
      select r.bucket::timestamptz, r.facility, r.idx, sum(r.n)
      from jsonb_to_recordset(${q(sketch)}::jsonb) as r(bucket text, facility text, idx int, n bigint)
      group by 1, 2, 3 having sum(r.n) <> 0
      order by 1, 2, 3
      on conflict (bucket, facility, idx) do update set n = t.n + excluded.n`);
  }
}

function versionOf(rec: MessageRecord): Version {
  const createdUs = toMicros(rec.createdAt)!;
  const processedUs = rec.processedAt ? toMicros(rec.processedAt)! : null;
  const updatedUs = rec.updatedAt ? toMicros(rec.updatedAt)! : (processedUs ?? createdUs);
  return {
    messageId: rec.messageId,
    txType: rec.txType,
    direction: rec.direction,
    facility: rec.facility,
    sku: rec.sku,
    status: rec.status,
    attempts: rec.attempts,
    createdUs,
    processedUs,
    updatedUs,
    isDuplicate: false,
    errorCode: rec.errorCode,
    errorMessage: rec.errorMessage,
  };
}

export function validateMessages(records: RawRecord[]): { valid: Incoming[]; rejected: Rejected[] } {
  const valid: Incoming[] = [];
  const rejected: Rejected[] = [];
  records.forEach((r, index) => {
    const id = r.value && typeof r.value === 'object' && !Array.isArray(r.value) ? (r.value as { messageId?: unknown }).messageId : undefined;
    const messageId = typeof id === 'string' ? id : null;
    if (r.parseError) {
      rejected.push({ index, messageId, errors: [r.parseError], raw: r.raw });
      return;
    }
    const parsed = messageRecord.safeParse(r.value);
    if (!parsed.success) {
      rejected.push({ index, messageId, errors: issuesToStrings(parsed.error, r.value), raw: r.raw });
      return;
    }
    valid.push({ index, rec: parsed.data, v: versionOf(parsed.data) });
  });
  return { valid, rejected };
}

interface StoredRow {
  message_id: string;
  tx_type: string;
  direction: string;
  facility: string;
  sku: string | null;
  status: MessageStatus;
  attempts: number;
  is_duplicate: boolean;
  content_hash: string | null;
  created_us: string;
  processed_us: string | null;
  updated_us: string;
  error_code: string | null;
  error_message: string | null;
}

let testFailureHook: ((stage: string) => void) | null = null;
/** Tests inject a fault at a stage to prove a failed batch leaves nothing behind. */
export function setIngestFaultForTests(hook: ((stage: string) => void) | null) {
  testFailureHook = hook;
}

export async function ingestMessages(db: Db, records: RawRecord[], source: string | null): Promise<IngestResult> {
  const { valid, rejected } = validateMessages(records);
  const result: IngestResult = { accepted: 0, updated: 0, unchanged: 0, rejected: rejected.map(({ raw: _raw, ...r }) => r) };

  await db.transaction(async (tx) => {
    if (valid.length) await upsertValid(tx, valid, result);
    testFailureHook?.('after-upsert');
    if (rejected.length) await quarantineRecords(tx, 'messages', source, rejected);
  });
  return result;
}

async function upsertValid(tx: Tx, valid: Incoming[], result: IngestResult) {
  // Message batches apply one at a time: the rollup deltas read the stored version first, and a
  // concurrent batch changing the same message in between would make them wrong.
  await tx.execute(sql`select pg_advisory_xact_lock(7311002)`);

  const ids = [...new Set(valid.map((x) => x.rec.messageId))];
  const stored = await rows<StoredRow>(
    tx,
    sql`select message_id, tx_type, direction, facility, sku, status, attempts, is_duplicate, content_hash::text as content_hash,
          (extract(epoch from created_at) * 1000000)::bigint::text as created_us,
          (extract(epoch from processed_at) * 1000000)::bigint::text as processed_us,
          (extract(epoch from updated_at) * 1000000)::bigint::text as updated_us,
          error_code, error_message
        from integration_messages
        where message_id = any(array(select jsonb_array_elements_text(${q(ids)}::jsonb)))
        for update`,
  );
  const before = new Map<string, Version & { contentHash: string | null }>();
  for (const s of stored) {
    before.set(s.message_id, {
      messageId: s.message_id,
      txType: s.tx_type,
      direction: s.direction,
      facility: s.facility,
      sku: s.sku,
      status: s.status,
      attempts: Number(s.attempts),
      createdUs: Number(s.created_us),
      processedUs: s.processed_us === null ? null : Number(s.processed_us),
      updatedUs: Number(s.updated_us),
      isDuplicate: s.is_duplicate,
      contentHash: s.content_hash,
      errorCode: s.error_code,
      errorMessage: s.error_message,
    });
  }

  const needsExceptions = valid.some((x) => x.v.status !== 'pending' && x.v.status !== 'retrying');
  const openByMessage = new Map<string, number>();
  if (needsExceptions) {
    const open = await rows<{ id: string; message_id: string }>(
      tx,
      sql`select id::text, message_id from exceptions
          where state in ('open','acknowledged') and message_id = any(array(select jsonb_array_elements_text(${q(ids)}::jsonb)))`,
    );
    for (const o of open) openByMessage.set(o.message_id, Number(o.id));
  }

  // Walk each message's records in batch order: the same outcome as sending them one by one.
  const current = new Map<string, Version | undefined>();
  const finalRec = new Map<string, MessageRecord>();
  const toOpen: ToOpen[] = [];
  const toResolve: { messageId: string; atUs: number }[] = [];
  const openedInBatch = new Map<string, ToOpen>();
  const replaced: Version[] = [];
  for (const { rec, v } of valid) {
    const prev = current.has(rec.messageId) ? current.get(rec.messageId) : before.get(rec.messageId);
    if (prev && v.updatedUs <= prev.updatedUs) {
      result.unchanged++;
      continue;
    }
    if (prev) {
      result.updated++;
      replaced.push(prev);
    } else result.accepted++;
    current.set(rec.messageId, v);
    finalRec.set(rec.messageId, rec);
    const inBatch = openedInBatch.get(rec.messageId);
    const hasOpen = openByMessage.has(rec.messageId) || !!inBatch;
    const wasFailing = !!prev && FAILING.has(prev.status);
    if (FAILING.has(v.status) && !wasFailing && !hasOpen) {
      const o: ToOpen = { v, openedUs: v.updatedUs, resolvedUs: null };
      toOpen.push(o);
      openedInBatch.set(rec.messageId, o);
    } else if (v.status === 'delivered' && hasOpen) {
      if (inBatch) inBatch.resolvedUs = v.updatedUs; // opened and resolved within this batch
      else toResolve.push({ messageId: rec.messageId, atUs: v.updatedUs });
      openByMessage.delete(rec.messageId);
      openedInBatch.delete(rec.messageId);
    }
  }
  if (finalRec.size === 0) return;

  const hourly = new RollupDelta(HOUR_US);
  const daily = new RollupDelta(DAY_US);
  const touchedHashes = new Set<string>();
  for (const [id, v] of current) {
    if (!v) continue;
    const old = before.get(id);
    if (old) {
      hourly.add(old, -1, old.isDuplicate);
      daily.add(old, -1, old.isDuplicate);
      if (old.contentHash) touchedHashes.add(old.contentHash);
    }
    hourly.add(v, 1, false);
    daily.add(v, 1, false);
  }

  const writeRows = [...finalRec.values()].map((r) => ({
    message_id: r.messageId,
    tx_type: r.txType,
    direction: r.direction,
    facility: r.facility,
    correlation_key: r.correlationKey,
    line_key: r.lineKey,
    sku: r.sku,
    quantity: r.quantity,
    uom: r.uom,
    lot: r.lot,
    location: r.location,
    status: r.status,
    attempts: r.attempts,
    error_code: r.errorCode,
    error_message: r.errorMessage,
    created_at: r.createdAt,
    processed_at: r.processedAt,
    updated_at: r.updatedAt ?? r.processedAt ?? r.createdAt,
    payload: r.payload === undefined ? null : r.payload,
  }));
  // Under the batch lock the stored set is known: new messages are plain inserts (no speculative
  // ON CONFLICT), stored ones an update by key.
  const fresh = writeRows.filter((r) => !before.has(r.message_id));
  const stale = writeRows.filter((r) => before.has(r.message_id));
  const recordset = (list: typeof writeRows) => sql`jsonb_to_recordset(${q(list)}::jsonb) as r(message_id text, tx_type text, direction text,
    facility text, correlation_key text, line_key text, sku text, quantity text, uom text, lot text, location text, status text, attempts int,
    error_code text, error_message text, created_at text, processed_at text, updated_at text, payload jsonb)`;
  const written: { content_hash: string | null }[] = [];
  if (fresh.length) {
    written.push(
      ...(await rows<{ content_hash: string | null }>(
        tx,
        sql`insert into integration_messages (message_id, tx_type, direction, facility, correlation_key, line_key, sku, quantity, uom, lot,
              location, status, attempts, error_code, error_message, created_at, processed_at, updated_at, payload, is_duplicate)
            select r.message_id, r.tx_type, r.direction, r.facility, r.correlation_key, r.line_key, r.sku, r.quantity::numeric, r.uom, r.lot,
              r.location, r.status, r.attempts, r.error_code, r.error_message, r.created_at::timestamptz, r.processed_at::timestamptz,
              r.updated_at::timestamptz, r.payload, false
            from ${recordset(fresh)}
            returning content_hash::text as content_hash`,
      )),
    );
  }
  if (stale.length) {
    written.push(
      ...(await rows<{ content_hash: string | null }>(
        tx,
        sql`update integration_messages t set
              tx_type = r.tx_type, direction = r.direction, facility = r.facility, correlation_key = r.correlation_key, line_key = r.line_key,
              sku = r.sku, quantity = r.quantity::numeric, uom = r.uom, lot = r.lot, location = r.location, status = r.status,
              attempts = r.attempts, error_code = r.error_code, error_message = r.error_message, created_at = r.created_at::timestamptz,
              processed_at = r.processed_at::timestamptz, updated_at = r.updated_at::timestamptz, payload = r.payload,
              is_duplicate = false, received_at = now()
            from ${recordset(stale)}
            where t.message_id = r.message_id
            returning t.content_hash::text as content_hash`,
      )),
    );
  }
  for (const w of written) if (w.content_hash) touchedHashes.add(w.content_hash);

  if (replaced.length) await keepHistory(tx, replaced);
  if (touchedHashes.size) await refreshDuplicates(tx, [...touchedHashes], hourly, daily);
  await applyRollups(tx, hourly, 'hourly');
  await applyRollups(tx, daily, 'daily');
  await applyExceptions(tx, toOpen, toResolve);
}

async function keepHistory(tx: Tx, versions: Version[]) {
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
    select r.message_id, r.status, r.attempts, r.error_code, r.error_message, r.processed_at::timestamptz, r.updated_at::timestamptz
    from jsonb_to_recordset(${q(list)}::jsonb) as r(message_id text, status text, attempts int, error_code text, error_message text,
      processed_at text, updated_at text)`);
}

/**
 * Recomputes `is_duplicate` for every message sharing content with what the batch touched: a
 * delivered message repeats content when an earlier delivered one (by createdAt, then messageId)
 * was created at most 24 h before it. Flips are added to the rollup deltas.
 */
async function refreshDuplicates(tx: Tx, hashes: string[], hourly: RollupDelta, daily: RollupDelta) {
  const flips = await rows<{ created_us: string; facility: string; tx_type: string; direction: string; is_duplicate: boolean }>(
    tx,
    sql`with cand as (
          select m.message_id, m.is_duplicate,
            (m.status = 'delivered' and exists (
              select 1 from integration_messages p
              where p.content_hash = m.content_hash and p.status = 'delivered'
                and p.created_at >= m.created_at - interval '24 hours'
                and (p.created_at < m.created_at or (p.created_at = m.created_at and p.message_id collate "C" < m.message_id collate "C"))
            )) as dup
          from integration_messages m
          where m.content_hash = any(${`{${hashes.join(',')}}`}::uuid[])
        )
        update integration_messages t set is_duplicate = cand.dup
        from cand where t.message_id = cand.message_id and t.is_duplicate <> cand.dup
        returning (extract(epoch from t.created_at) * 1000000)::bigint::text as created_us, t.facility, t.tx_type, t.direction, t.is_duplicate`,
  );
  for (const f of flips) {
    const v = { createdUs: Number(f.created_us), facility: f.facility, txType: f.tx_type, direction: f.direction };
    hourly.duplicateFlip(v, f.is_duplicate ? 1 : -1);
    daily.duplicateFlip(v, f.is_duplicate ? 1 : -1);
  }
}

let cachedRules: { at: number; classify: ReturnType<typeof makeClassifier> } | null = null;

async function classifier(tx: Tx) {
  if (cachedRules && Date.now() - cachedRules.at < 30_000) return cachedRules.classify;
  const rules = await tx.select().from(rootCauseRules);
  cachedRules = { at: Date.now(), classify: makeClassifier(rules as RootCauseRule[]) };
  return cachedRules.classify;
}

/** Root-cause rules changed: classify new exceptions with them at once. */
export function invalidateRootCauseRules() {
  cachedRules = null;
}

async function applyExceptions(tx: Tx, toOpen: ToOpen[], toResolve: { messageId: string; atUs: number }[]) {
  // Resolutions of exceptions opened earlier come first, so a message that failed again in this
  // batch can open its new one.
  if (toResolve.length) {
    const list = toResolve.map((r) => ({ message_id: r.messageId, at: microsToIso(r.atUs) }));
    await tx.execute(sql`
      with res as (
        update exceptions e set state = 'resolved', resolved_at = r.at::timestamptz, resolved_by = ${RESOLVED_BY_RETRY}, updated_at = now()
        from jsonb_to_recordset(${q(list)}::jsonb) as r(message_id text, at text)
        where e.message_id = r.message_id and e.state in ('open','acknowledged')
        returning e.id
      )
      insert into exception_audit (exception_id, at, actor, action, detail)
      select id, now(), 'system', 'resolved', '{"reason":"a later delivered update of the message"}'::jsonb from res`);
  }
  if (toOpen.length) {
    const classify = await classifier(tx);
    const list = toOpen.map(({ v, openedUs, resolvedUs }) => ({
      message_id: v.messageId,
      facility: v.facility,
      tx_type: v.txType,
      sku: v.sku,
      fingerprint: fingerprint(v.txType, v.errorCode, v.errorMessage),
      error_code: v.errorCode,
      error_message: v.errorMessage,
      root_cause: classify(v.errorCode, v.errorMessage),
      opened_at: microsToIso(openedUs),
      resolved_at: resolvedUs === null ? null : microsToIso(resolvedUs),
    }));
    await tx.execute(sql`
      with ins as (
        insert into exceptions (message_id, facility, tx_type, sku, fingerprint, error_code, error_message, root_cause, opened_at,
          state, resolved_at, resolved_by)
        select r.message_id, r.facility, r.tx_type, r.sku, r.fingerprint, r.error_code, r.error_message, r.root_cause, r.opened_at::timestamptz,
          case when r.resolved_at is null then 'open' else 'resolved' end, r.resolved_at::timestamptz,
          case when r.resolved_at is null then null else ${RESOLVED_BY_RETRY} end
        from jsonb_to_recordset(${q(list)}::jsonb) as r(message_id text, facility text, tx_type text, sku text, fingerprint text,
          error_code text, error_message text, root_cause text, opened_at text, resolved_at text)
        returning id, root_cause, opened_at, resolved_at
      )
      insert into exception_audit (exception_id, at, actor, action, detail)
      select id, now(), 'system', 'opened', jsonb_build_object('rootCause', root_cause, 'openedAt', opened_at) from ins
      union all
      select id, now(), 'system', 'resolved', '{"reason":"a later delivered update of the message"}'::jsonb from ins where resolved_at is not null`);
  }
}
