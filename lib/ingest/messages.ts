/**
 * POST /api/v1/messages (SPEC 3.1): per-record validation, last-write-wins upsert by `updatedAt`,
 * exceptions opened and resolved from the stored versions, hourly and daily rollups kept exact by
 * deltas (old version out, new version in), duplicate flags recomputed for the touched documents,
 * and rejected records quarantined — all in one transaction per batch.
 */
import { sql } from 'drizzle-orm';
import { pgErrorCode, rows, textArray, type Db, type Executor, type Tx } from '@/db';
import { BinaryCopyRows, canCopy, copyInto, type CopyValue } from '@/db/copy';
import { SKETCH_GRAINS, rootCauseRules, type MessageStatus, type SketchGrain } from '@/db/schema';
import { fingerprint } from '@/lib/detect/fingerprint';
import { makeClassifier, type RootCauseRule } from '@/lib/detect/root-cause';
import { nestsDeeper } from '@/lib/ingest/body';
import { MAX_PAYLOAD_DEPTH, fastMessageRecord, messageRecord, issuesToStrings, type MessageRecord } from '@/lib/ingest/schemas';
import { quarantineRecords, type Rejected, type RawRecord } from '@/lib/ingest/quarantine';
import { bucketOf, mergeSketch, sketchBucket } from '@/lib/kpi/delay-sketch';
import type { RollupSums } from '@/lib/kpi/kpis';
import { DAY_US, HOUR_US, floorTo, microsExact, microsToIso, toMicros } from '@/lib/time';
import { NOT_STORABLE } from '@/lib/validation';

export interface IngestResult {
  accepted: number;
  updated: number;
  unchanged: number;
  rejected: Rejected[];
}

const FAILING = new Set<MessageStatus>(['failed', 'dead_letter']);

/** The advisory lock message batches apply under, one at a time (the rollup rebuild takes it too). */
export const INGEST_LOCK = 7311002;

/**
 * SPEC 4 for a row `m` of the log read with the rows before it: the delivered message of the same
 * content just before it (by createdAt, then messageId; numerically equal quantities and nulls fall
 * together) was created at most 24 h earlier. Null for the first of its content.
 */
export const REPEATS_WITHIN_24H = sql.raw(`lag(m.created_at) over (
    partition by m.correlation_key, m.tx_type, m.direction, m.facility, m.line_key, m.sku, m.lot, m.location, m.uom, m.quantity,
      m.status = 'delivered'
    order by m.created_at, m.message_id collate "C"
  ) >= m.created_at - interval '24 hours'`);
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
  /** The payload as JSON text, or null. */
  payload: string | null;
  v: Version;
}

/** A JSON \u0000 escape that is not an escaped backslash followed by "u0000". */
const JSON_NUL = /(^|[^\\])(\\\\)*\\u0000/;
/** A JSON escape of half a surrogate pair, which jsonb refuses. */
const JSON_LONE_SURROGATE = /\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f][0-9a-f]{2})|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}/i;

const TOO_DEEP = `payload: must not nest arrays and objects more than ${MAX_PAYLOAD_DEPTH} levels deep`;

/** Why Postgres could not store a valid record's payload (NUL, half a surrogate pair, too deep), or null; text fields are checked by the schema. */
function unstorable(payload: string | null): string | null {
  if (payload !== null && nestsDeeper(payload, MAX_PAYLOAD_DEPTH)) return TOO_DEEP;
  if (payload !== null && payload.includes('\\u') && (JSON_NUL.test(payload) || JSON_LONE_SURROGATE.test(payload))) {
    return `payload: ${NOT_STORABLE}`;
  }
  return null;
}

/** Sums of one rollup cell; the same shape serves deltas. */
interface Cell extends RollupSums {
  bucket: number;
  facility: string;
  txType: string;
  direction: string;
}

/**
 * Cells by bucket, facility, transaction type and direction, found without building a key string
 * per message (those strings, and the number-to-text of each bucket, were a good part of the
 * ingest's garbage).
 */
class CellIndex<T> {
  readonly list: T[] = [];
  private readonly byBucket = new Map<number, Map<string, Map<string, Map<string, T>>>>();

  get(bucket: number, facility: string, txType: string, direction: string, create: () => T): T {
    let byFacility = this.byBucket.get(bucket);
    if (!byFacility) this.byBucket.set(bucket, (byFacility = new Map()));
    let byTx = byFacility.get(facility);
    if (!byTx) byFacility.set(facility, (byTx = new Map()));
    let byDirection = byTx.get(txType);
    if (!byDirection) byTx.set(txType, (byDirection = new Map()));
    let cell = byDirection.get(direction);
    if (cell === undefined) {
      cell = create();
      byDirection.set(direction, cell);
      this.list.push(cell);
    }
    return cell;
  }
}

class RollupDelta {
  readonly cells = new CellIndex<Cell>();
  constructor(private readonly unit: number) {}

  /** The cell a message version counts in, created empty on first use. */
  private cell(v: { createdUs: number; facility: string; txType: string; direction: string }): Cell {
    const bucket = floorTo(v.createdUs, this.unit);
    return this.cells.get(bucket, v.facility, v.txType, v.direction, () => ({
      bucket,
      facility: v.facility,
      txType: v.txType,
      direction: v.direction,
      messages: 0,
      failed: 0,
      deadLetter: 0,
      retrying: 0,
      firstPassFailed: 0,
      delivered: 0,
      delaySumUs: 0,
      duplicates: 0,
    }));
  }

  add(v: Pick<Version, 'createdUs' | 'facility' | 'txType' | 'direction' | 'status' | 'attempts' | 'processedUs'>, sign: 1 | -1, isDuplicate: boolean) {
    const c = this.cell(v);
    const failing = FAILING.has(v.status);
    c.messages += sign;
    if (failing) c.failed += sign;
    if (v.status === 'dead_letter') c.deadLetter += sign;
    else if (v.status === 'retrying') c.retrying += sign;
    if (failing || v.attempts > 1) c.firstPassFailed += sign;
    if (isDuplicate) c.duplicates += sign;
    if (v.status === 'delivered' && v.processedUs !== null) {
      c.delivered += sign;
      c.delaySumUs += sign * (v.processedUs - v.createdUs);
    }
  }

  duplicateFlip(v: { createdUs: number; facility: string; txType: string; direction: string }, sign: 1 | -1) {
    this.cell(v).duplicates += sign;
  }
}

const q = (json: unknown) => JSON.stringify(json);
const nums = (list: number[]) => `{${list.join(',')}}`;

/** Adds a batch's deltas to the counts rollups. Rows travel as one array per column (unnest). */
async function applyRollups(tx: Tx, delta: RollupDelta, table: 'hourly' | 'daily') {
  const cells = delta.cells.list
    .filter((c) => c.messages || c.failed || c.deadLetter || c.retrying || c.firstPassFailed || c.delivered || c.delaySumUs || c.duplicates)
    .sort((a, b) => a.bucket - b.bucket || cmp(a.facility, b.facility) || cmp(a.txType, b.txType) || cmp(a.direction, b.direction));
  if (!cells.length) return;
  const t = sql.raw(`message_rollup_${table}`);
  await tx.execute(sql`
    insert into ${t} as t (bucket, facility, tx_type, direction, messages, failed, dead_letter, retrying, first_pass_failed, delivered, delay_sum_us, duplicates)
    select * from unnest(${textArray(cells.map((c) => microsToIso(c.bucket)))}::timestamptz[], ${textArray(cells.map((c) => c.facility))}::text[],
      ${textArray(cells.map((c) => c.txType))}::text[], ${textArray(cells.map((c) => c.direction))}::text[], ${nums(cells.map((c) => c.messages))}::bigint[],
      ${nums(cells.map((c) => c.failed))}::bigint[], ${nums(cells.map((c) => c.deadLetter))}::bigint[], ${nums(cells.map((c) => c.retrying))}::bigint[],
      ${nums(cells.map((c) => c.firstPassFailed))}::bigint[], ${nums(cells.map((c) => c.delivered))}::bigint[],
      ${nums(cells.map((c) => c.delaySumUs))}::numeric[], ${nums(cells.map((c) => c.duplicates))}::bigint[])
    on conflict (bucket, facility, tx_type, direction) do update set
      messages = t.messages + excluded.messages,
      failed = t.failed + excluded.failed,
      dead_letter = t.dead_letter + excluded.dead_letter,
      retrying = t.retrying + excluded.retrying,
      first_pass_failed = t.first_pass_failed + excluded.first_pass_failed,
      delivered = t.delivered + excluded.delivered,
      delay_sum_us = t.delay_sum_us + excluded.delay_sum_us,
      duplicates = t.duplicates + excluded.duplicates`);
}

/** One row of `delay_sketches` and a batch's change to it (count per bucket index). */
interface SketchRow {
  grain: SketchGrain;
  txType: string;
  bucket: number;
  facility: string;
  direction: string;
  delta: Map<number, number>;
}

const sketchKey = (grain: string, txType: string, bucket: number, facility: string, direction: string) =>
  `${grain}|${txType}|${bucket}|${facility}|${direction}`;

/**
 * A batch's changes to the delay sketches: kept per hour and cell as messages are walked, then
 * rolled up to days, weeks and facilities when written.
 */
class SketchDelta {
  private readonly hours = new CellIndex<SketchRow>();

  add(v: Pick<Version, 'createdUs' | 'facility' | 'txType' | 'direction' | 'status' | 'processedUs'>, sign: 1 | -1) {
    if (v.status !== 'delivered' || v.processedUs === null) return;
    const bucket = floorTo(v.createdUs, HOUR_US);
    const row = this.hours.get(bucket, v.facility, v.txType, v.direction, () => ({
      grain: 'hour',
      txType: v.txType,
      bucket,
      facility: v.facility,
      direction: v.direction,
      delta: new Map(),
    }));
    const idx = bucketOf((v.processedUs - v.createdUs) / 1000);
    row.delta.set(idx, (row.delta.get(idx) ?? 0) + sign);
  }

  /** Every row the batch changes: each grain, per cell and per facility ('*'). */
  rows(): SketchRow[] {
    const out = new Map<string, SketchRow>();
    for (const h of this.hours.list) {
      for (const grain of SKETCH_GRAINS) {
        const bucket = sketchBucket(grain, h.bucket);
        for (const [txType, direction] of [[h.txType, h.direction], ['*', '*']]) {
          const key = sketchKey(grain, txType, bucket, h.facility, direction);
          let row = out.get(key);
          if (!row) out.set(key, (row = { grain, txType, bucket, facility: h.facility, direction, delta: new Map() }));
          for (const [idx, n] of h.delta) row.delta.set(idx, (row.delta.get(idx) ?? 0) + n);
        }
      }
    }
    return [...out.values()].filter((r) => [...r.delta.values()].some((n) => n !== 0));
  }
}

/**
 * Merges a batch's sketch changes into `delay_sketches`: the touched rows are read, merged here
 * and written back whole (the batch lock keeps other writers out), one row per cell and grain
 * where a row per sketch bucket cost thousands of upserts a batch.
 */
async function applySketches(tx: Tx, delta: SketchDelta) {
  const list = delta.rows().sort((a, b) => cmp(a.grain, b.grain) || cmp(a.txType, b.txType) || a.bucket - b.bucket || cmp(a.facility, b.facility) || cmp(a.direction, b.direction));
  if (!list.length) return;
  const keys = sql`${textArray(list.map((r) => r.grain))}::text[], ${textArray(list.map((r) => r.txType))}::text[],
    ${textArray(list.map((r) => microsToIso(r.bucket)))}::timestamptz[], ${textArray(list.map((r) => r.facility))}::text[],
    ${textArray(list.map((r) => r.direction))}::text[]`;
  const found = await rows<{ grain: string; tx_type: string; bucket_us: string; facility: string; direction: string; idx: string; n: string }>(
    tx,
    sql`select s.grain, s.tx_type, (extract(epoch from s.bucket) * 1000000)::bigint::text as bucket_us, s.facility, s.direction,
          array_to_string(s.delay_idx, ',') as idx, array_to_string(s.delay_n, ',') as n
        from delay_sketches s join unnest(${keys}) as k(grain, tx_type, bucket, facility, direction)
          on s.grain = k.grain and s.tx_type = k.tx_type and s.bucket = k.bucket and s.facility = k.facility and s.direction = k.direction`,
  );
  const numbers = (text: string) => (text ? text.split(',').map(Number) : []);
  const stored = new Map(found.map((f) => [sketchKey(f.grain, f.tx_type, Number(f.bucket_us), f.facility, f.direction), { idx: numbers(f.idx), n: numbers(f.n) }]));
  const merged = list.map((r) => mergeSketch(stored.get(sketchKey(r.grain, r.txType, r.bucket, r.facility, r.direction)) ?? { idx: [], n: [] }, r.delta));
  await tx.execute(sql`
    insert into delay_sketches as t (grain, tx_type, bucket, facility, direction, delay_idx, delay_n)
    select k.grain, k.tx_type, k.bucket, k.facility, k.direction, k.delay_idx::integer[], k.delay_n::bigint[]
    from unnest(${keys}, ${textArray(merged.map((m) => nums(m.idx)))}::text[], ${textArray(merged.map((m) => nums(m.n)))}::text[])
      as k(grain, tx_type, bucket, facility, direction, delay_idx, delay_n)
    on conflict (grain, tx_type, bucket, facility, direction) do update set delay_idx = excluded.delay_idx, delay_n = excluded.delay_n`);
}

/** Rows written in one order by every batch. */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

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
    let rec = fastMessageRecord(r.value);
    if (!rec) {
      const parsed = messageRecord.safeParse(r.value);
      if (!parsed.success) {
        rejected.push({ index, messageId, errors: issuesToStrings(parsed.error, r.value), raw: r.raw });
        return;
      }
      rec = parsed.data;
    }
    let payload: string | null;
    try {
      payload = rec.payload === undefined || rec.payload === null ? null : JSON.stringify(rec.payload);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      rejected.push({ index, messageId, errors: [TOO_DEEP], raw: r.raw });
      return;
    }
    const why = unstorable(payload);
    if (why) {
      rejected.push({ index, messageId, errors: [why], raw: r.raw });
      return;
    }
    valid.push({ index, rec, payload, v: versionOf(rec) });
  });
  return { valid, rejected };
}

interface StoredRow {
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
function readStored(tx: Tx, ids: string[]) {
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

type StageHook = (stage: 'before-lock' | 'after-lock' | 'after-upsert' | 'retry') => void | Promise<void>;
let testFailureHook: StageHook | null = null;
/** Tests inject a fault at a stage to prove a failed batch leaves nothing behind, or hold a batch there. */
export function setIngestFaultForTests(hook: StageHook | null) {
  testFailureHook = hook;
}

export async function ingestMessages(db: Db, records: RawRecord[], source: string | null): Promise<IngestResult> {
  const { valid, rejected } = validateMessages(records);
  for (let attempt = 1; ; attempt++) {
    const result: IngestResult = { accepted: 0, updated: 0, unchanged: 0, rejected: rejected.map(({ raw: _raw, ...r }) => r) };
    try {
      await db.transaction(async (tx) => {
        if (valid.length) await upsertValid(tx, valid, result, attempt === 1);
        await testFailureHook?.('after-upsert');
        if (rejected.length) await quarantineRecords(tx, 'messages', source, rejected);
      });
      return result;
    } catch (e) {
      // A batch that went in as all new before the batch lock waits for that lock while holding its
      // new rows; a batch holding the lock that inserts one of the same messages waits for those
      // rows. Postgres ends the deadlock by failing one of them, which runs again the careful way.
      if (pgErrorCode(e) !== '40P01' || attempt === 3) throw e;
      await testFailureHook?.('retry');
    }
  }
}

async function upsertValid(tx: Tx, valid: Incoming[], result: IngestResult, tryAllFresh: boolean) {
  // A batch of new messages (most of a live feed) goes straight in, before the batch lock, so its
  // COPY (and the building of its rows) overlaps the other sender's batch: the primary key finds
  // any message stored or being inserted by another batch, and this batch then takes the careful
  // path below. Rows that are all new need no stored version for their deltas, and their duplicate
  // flags are computed under the lock, after every batch that held it before. A message's last
  // applied record is the first of its latest updatedAt (each applied record is later than the one
  // before), whatever is stored.
  let copied = false;
  if (tryAllFresh && canCopy(tx) && freshGuess.shouldTry()) {
    const last = new Map<string, Incoming>();
    for (const x of valid) {
      const seen = last.get(x.rec.messageId);
      if (!seen || x.v.updatedUs > seen.v.updatedUs) last.set(x.rec.messageId, x);
    }
    copied = freshGuess.record(await copyAllFresh(tx, rowsOf(last.values())));
  }

  // Message batches apply one at a time: the rollup deltas read the stored version first, and a
  // concurrent batch changing the same message in between would make them wrong.
  await testFailureHook?.('before-lock');
  await tx.execute(sql`select pg_advisory_xact_lock(${INGEST_LOCK})`);
  await testFailureHook?.('after-lock');
  // Every statement below looks rows up by key (message id, correlation key). During a bulk load the
  // statistics lag far behind the table, and the planner then likes a scan of the whole log for a
  // few thousand keys (seen: 45 ms at 300k rows, growing with the log). (The connection has JIT
  // off, db/index.ts: compiling statements this short costs more than it saves.)
  await tx.execute(sql`select set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true)`);

  const stored = copied ? [] : await readStored(tx, [...new Set(valid.map((x) => x.rec.messageId))]);
  const before = new Map<string, Version & { correlationKey: string | null }>();
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
      correlationKey: s.correlation_key,
      errorCode: s.error_code,
      errorMessage: s.error_message,
    });
  }

  // Only a stored message can have an exception: a batch of new messages skips the lookup.
  const openByMessage = new Map<string, number>();
  if (before.size && valid.some((x) => x.v.status !== 'pending' && x.v.status !== 'retrying')) {
    const open = await rows<{ id: string; message_id: string }>(
      tx,
      sql`select id::text, message_id from exceptions
          where state in ('open','acknowledged') and message_id = any(${textArray([...before.keys()])}::text[])`,
    );
    for (const o of open) openByMessage.set(o.message_id, Number(o.id));
  }

  // Walk each message's records in batch order: the same outcome as sending them one by one.
  const current = new Map<string, Version | undefined>();
  const finalRec = new Map<string, Incoming>();
  const toOpen: ToOpen[] = [];
  const toResolve: { messageId: string; atUs: number }[] = [];
  const openedInBatch = new Map<string, ToOpen>();
  const replaced: Version[] = [];
  for (const x of valid) {
    const { rec, v } = x;
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
    finalRec.set(rec.messageId, x);
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
  const sketch = new SketchDelta();
  // The documents whose delivered messages changed: the duplicate flags of their messages may flip.
  const docs = new Set<string>();
  for (const [id, v] of current) {
    if (!v) continue;
    const old = before.get(id);
    if (old) {
      hourly.add(old, -1, old.isDuplicate);
      daily.add(old, -1, old.isDuplicate);
      sketch.add(old, -1);
      if (old.status === 'delivered' && old.correlationKey !== null) docs.add(old.correlationKey);
    }
    hourly.add(v, 1, false);
    daily.add(v, 1, false);
    sketch.add(v, 1);
    const doc = finalRec.get(id)!.rec.correlationKey;
    if (v.status === 'delivered' && doc !== null) docs.add(doc);
  }

  // Under the batch lock the stored set is known: new messages are plain inserts (COPY on the
  // server, no speculative ON CONFLICT), stored ones an update by key.
  const fresh: Incoming[] = [];
  const stale: Incoming[] = [];
  for (const x of finalRec.values()) (before.has(x.rec.messageId) ? stale : fresh).push(x);
  if (fresh.length && !copied) await insertFresh(tx, fresh);
  if (stale.length) await updateStale(tx, stale);

  if (replaced.length) await keepHistory(tx, replaced);
  await refreshDuplicates(tx, [...docs], hourly, daily);
  await applyRollups(tx, hourly, 'hourly');
  await applyRollups(tx, daily, 'daily');
  await applySketches(tx, sketch);
  await applyExceptions(tx, toOpen, toResolve);
}

const MESSAGE_COLUMNS = [
  'message_id', 'tx_type', 'direction', 'facility', 'correlation_key', 'line_key', 'sku', 'quantity', 'uom', 'lot', 'location', 'status',
  'attempts', 'error_code', 'error_message', 'created_at', 'processed_at', 'updated_at', 'payload', 'customer',
] as const;

/** A record's values in MESSAGE_COLUMNS order, for COPY. */
const messageValues = ({ rec: r, payload }: Incoming): CopyValue[] => [
  r.messageId, r.txType, r.direction, r.facility, r.correlationKey, r.lineKey, r.sku, r.quantity, r.uom, r.lot, r.location, r.status,
  r.attempts, r.errorCode, r.errorMessage, r.createdAt, r.processedAt, r.updatedAt ?? r.processedAt ?? r.createdAt, payload, r.customer,
];

/** Messages' COPY rows, in the binary format, in MESSAGE_COLUMNS order. */
function rowsOf(list: Iterable<Incoming>): BinaryCopyRows {
  const out = new BinaryCopyRows();
  for (const { rec: r, payload, v } of list) {
    out.row(MESSAGE_COLUMNS.length).text(r.messageId).text(r.txType).text(r.direction).text(r.facility).text(r.correlationKey).text(r.lineKey)
      .text(r.sku).numeric(r.quantity).text(r.uom).text(r.lot).text(r.location).text(r.status).int4(r.attempts).text(r.errorCode)
      .text(r.errorMessage).timestamptz(microsExact(v.createdUs, r.createdAt)).timestamptz(microsExact(v.processedUs, r.processedAt))
      .timestamptz(microsExact(v.updatedUs, r.updatedAt ?? r.processedAt ?? r.createdAt)).jsonb(payload).text(r.customer);
  }
  return out;
}

/** The same values keyed by column, for the JSON recordsets (PGlite's inserts, updates of stored messages). */
const writeRow = (x: Incoming) => {
  const values = messageValues(x);
  return Object.fromEntries(MESSAGE_COLUMNS.map((c, i) => [c, values[i]])) as Record<(typeof MESSAGE_COLUMNS)[number], CopyValue>;
};

const recordset = (list: ReturnType<typeof writeRow>[]) => sql`jsonb_to_recordset(${q(list)}::jsonb) as r(message_id text, tx_type text,
  direction text, facility text, correlation_key text, line_key text, sku text, quantity text, uom text, lot text, location text, status text,
  attempts int, error_code text, error_message text, created_at text, processed_at text, updated_at text, payload text, customer text)`;

/**
 * Whether to try the next batch as all new. Each miss (a stored message in the batch) doubles the
 * batches that skip the try, up to 64, so a feed of updates wastes little; a hit resets it.
 */
const freshGuess = {
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
async function copyAllFresh(tx: Tx, rows: BinaryCopyRows): Promise<boolean> {
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
async function insertFresh(tx: Tx, fresh: Incoming[]) {
  const copied = await copyInto(tx, `integration_messages (${MESSAGE_COLUMNS.join(', ')})`, () => rowsOf(fresh));
  if (copied) return;
  await tx.execute(sql`
    insert into integration_messages (${sql.raw(MESSAGE_COLUMNS.join(', '))}, is_duplicate)
    select r.message_id, r.tx_type, r.direction, r.facility, r.correlation_key, r.line_key, r.sku, r.quantity::numeric, r.uom, r.lot,
      r.location, r.status, r.attempts, r.error_code, r.error_message, r.created_at::timestamptz, r.processed_at::timestamptz,
      r.updated_at::timestamptz, r.payload::jsonb, r.customer, false
    from ${recordset(fresh.map(writeRow))}`);
}

async function updateStale(tx: Tx, stale: Incoming[]) {
  await tx.execute(sql`
    update integration_messages t set
      tx_type = r.tx_type, direction = r.direction, facility = r.facility, correlation_key = r.correlation_key, line_key = r.line_key,
      sku = r.sku, quantity = r.quantity::numeric, uom = r.uom, lot = r.lot, location = r.location, status = r.status,
      attempts = r.attempts, error_code = r.error_code, error_message = r.error_message, created_at = r.created_at::timestamptz,
      processed_at = r.processed_at::timestamptz, updated_at = r.updated_at::timestamptz, payload = r.payload::jsonb, customer = r.customer,
      is_duplicate = false, received_at = now()
    from ${recordset(stale.map(writeRow))}
    where t.message_id = r.message_id`);
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
 * Recomputes `is_duplicate` for the messages of every document whose delivered messages the batch
 * changed (its delivered records, and the delivered versions it replaced; a message that is not
 * delivered changes no flag): a delivered message repeats content when the delivered one of the
 * same content just before it (by createdAt, then messageId) was created at most 24 h earlier.
 * Content is SPEC 4's tuple; numerically equal quantities ("24", "24.000") fall in one partition,
 * as do nulls. Each document is read on its own from the document index; only flips are written,
 * and added to the rollup deltas.
 */
async function refreshDuplicates(tx: Tx, docs: string[], hourly: RollupDelta, daily: RollupDelta) {
  if (!docs.length) return;
  const flips = await rows<{ message_id: string; created_us: string; facility: string; tx_type: string; direction: string; dup: boolean }>(
    tx,
    sql`with g as (
          select m.message_id, m.is_duplicate, m.created_at, m.facility, m.tx_type, m.direction,
            coalesce(m.status = 'delivered'
              and ${REPEATS_WITHIN_24H}, false) as dup
          from unnest(${textArray(docs)}::text[]) as d(doc) cross join lateral (
            -- offset 0 keeps this a lookup per document in its index: flattened into a join, stale
            -- statistics during a heavy load can turn it into a scan of the whole log
            select x.message_id, x.is_duplicate, x.status, x.created_at, x.correlation_key, x.tx_type, x.direction, x.facility, x.line_key,
              x.sku, x.lot, x.location, x.uom, x.quantity
            from integration_messages x where x.correlation_key = d.doc offset 0
          ) m
        )
        select message_id, (extract(epoch from created_at) * 1000000)::bigint::text as created_us, facility, tx_type, direction, dup
        from g where is_duplicate <> dup`,
  );
  if (!flips.length) return;
  // The flips are few: written by key, never as a join the planner could misjudge.
  await tx.execute(sql`update integration_messages set is_duplicate = not is_duplicate where message_id = any(${textArray(flips.map((f) => f.message_id))}::text[])`);
  for (const f of flips) {
    const v = { createdUs: Number(f.created_us), facility: f.facility, txType: f.tx_type, direction: f.direction };
    hourly.duplicateFlip(v, f.dup ? 1 : -1);
    daily.duplicateFlip(v, f.dup ? 1 : -1);
  }
}

let cachedRules: { key: string; classify: ReturnType<typeof makeClassifier> } | null = null;

/**
 * The root-cause rules as stored now, read by every batch that opens exceptions (a table of a few
 * dozen rows, well under a millisecond), so a rule an admin changes classifies the next exception
 * opened by any process of the app; applying the rules to open exceptions reads them here too.
 * Only their compiled form is kept, while the rules stay the same.
 */
export async function currentClassifier(db: Executor) {
  // In priority order, the older rule first on a tie (the classifier's sort keeps this order).
  const rules = await db.select().from(rootCauseRules).orderBy(rootCauseRules.priority, rootCauseRules.id);
  const key = JSON.stringify(rules);
  if (cachedRules?.key !== key) cachedRules = { key, classify: makeClassifier(rules as RootCauseRule[]) };
  return cachedRules.classify;
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
    const classify = await currentClassifier(tx);
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
