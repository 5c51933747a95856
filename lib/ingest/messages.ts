/**
 * POST /api/v1/messages (SPEC 3.1): per-record validation, last-write-wins upsert by `updatedAt`,
 * exceptions opened and resolved from the stored versions, hourly and daily rollups kept exact by
 * deltas (old version out, new version in), duplicate flags recomputed for the touched documents,
 * and rejected records quarantined — all in one transaction per batch. This file walks a batch;
 * each step lives beside it: validate, store, rollup-deltas, duplicates, and lib/exceptions/open.
 */
import { sql } from 'drizzle-orm';
import { pgErrorCode, rows, textArray, type Db, type Tx } from '@/db';
import { canCopy } from '@/db/copy';
import { INGEST_LOCK } from '@/db/locks';
import { ensureFor, forgetPartitions } from '@/db/partitions';
import type { RawRecord, Rejected } from '@/lib/api/schemas';
import { applyExceptions, type ToOpen } from '@/lib/exceptions/open';
import { DAY_US, HOUR_US } from '@/lib/time';
import { refreshDuplicates } from './duplicates';
import { quarantineRecords, type ImportOrigin } from './quarantine';
import { RollupDelta, SketchDelta, applyRollups, applySketches } from './rollup-deltas';
import { copyAllFresh, freshGuess, insertFresh, keepHistory, readStored, updateStale } from './store';
import { FAILING, validateMessages, type Incoming, type Version } from './validate';

export interface IngestResult {
  accepted: number;
  updated: number;
  unchanged: number;
  rejected: Rejected[];
}

type StageHook = (stage: 'before-lock' | 'after-lock' | 'after-upsert' | 'retry') => void | Promise<void>;
let testFailureHook: StageHook | null = null;
/** Tests inject a fault at a stage to prove a failed batch leaves nothing behind, or hold a batch there. */
export function setIngestFaultForTests(hook: StageHook | null) {
  testFailureHook = hook;
}

export async function ingestMessages(
  db: Db,
  records: RawRecord[],
  source: string | null,
  origin?: ImportOrigin,
): Promise<IngestResult> {
  const { valid, rejected } = validateMessages(records);
  // Every month the batch's messages fall in has its partition before the batch begins (creating
  // one locks the log, which must not wait inside a batch holding rows of it).
  const months = () =>
    ensureFor(
      db,
      'integration_messages',
      valid.map((x) => x.v.createdUs),
    );
  await months();
  for (let attempt = 1; ; attempt++) {
    const result: IngestResult = {
      accepted: 0,
      updated: 0,
      unchanged: 0,
      rejected: rejected.map(({ raw: _raw, ...r }) => r),
    };
    try {
      await db.transaction(async (tx) => {
        if (valid.length) await upsertValid(tx, valid, result, attempt === 1, !!origin?.recomputed);
        await testFailureHook?.('after-upsert');
        if (rejected.length) await quarantineRecords(tx, 'messages', source, rejected, origin);
      });
      return result;
    } catch (e) {
      // A batch that went in as all new before the batch lock waits for that lock while holding its
      // new rows; a batch holding the lock that inserts one of the same messages waits for those
      // rows. Postgres ends the deadlock by failing one of them, which runs again the careful way.
      // A month this process thought it had was dropped meanwhile (retention): "no partition of
      // relation found for row" (23514); it is made again and the batch runs again.
      if (pgErrorCode(e) === '23514' && attempt < 3) {
        forgetPartitions(db, 'integration_messages');
        await months();
        continue;
      }
      if (pgErrorCode(e) !== '40P01' || attempt === 3) throw e;
      await testFailureHook?.('retry');
    }
  }
}

async function upsertValid(tx: Tx, valid: Incoming[], result: IngestResult, tryAllFresh: boolean, recomputed: boolean) {
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
    copied = freshGuess.record(await copyAllFresh(tx, [...last.values()]));
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
    const retold = recomputed && !!prev && v.updatedUs === prev.updatedUs && differs(prev, v);
    if (prev && v.updatedUs <= prev.updatedUs && !retold) {
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
      if (inBatch)
        inBatch.resolvedUs = v.updatedUs; // opened and resolved within this batch
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
  // And when those changes were created: only messages from then to 24 h later may flip.
  const changedUs: number[] = [];
  for (const [id, v] of current) {
    if (!v) continue;
    const old = before.get(id);
    if (old) {
      hourly.add(old, -1, old.isDuplicate);
      daily.add(old, -1, old.isDuplicate);
      sketch.add(old, -1);
      if (old.status === 'delivered' && old.correlationKey !== null) {
        docs.add(old.correlationKey);
        changedUs.push(old.createdUs);
      }
    }
    hourly.add(v, 1, false);
    daily.add(v, 1, false);
    sketch.add(v, 1);
    const doc = finalRec.get(id)!.rec.correlationKey;
    if (v.status === 'delivered' && doc !== null) {
      docs.add(doc);
      changedUs.push(v.createdUs);
    }
  }

  // Under the batch lock the stored set is known: new messages are plain inserts (COPY on the
  // server, no speculative ON CONFLICT), stored ones an update by key.
  const fresh: Incoming[] = [];
  const stale: Incoming[] = [];
  for (const x of finalRec.values()) (before.has(x.rec.messageId) ? stale : fresh).push(x);
  if (fresh.length && !copied) await insertFresh(tx, fresh);
  if (stale.length) await updateStale(tx, stale, new Map([...before].map(([id, v]) => [id, v.createdUs])));

  if (replaced.length) await keepHistory(tx, replaced);
  await refreshDuplicates(tx, [...docs], changedUs, hourly, daily);
  await applyRollups(tx, hourly, 'hourly');
  await applyRollups(tx, daily, 'daily');
  await applySketches(tx, sketch);
  await applyExceptions(tx, toOpen, toResolve);
}

/** Whether a recomputed version says something other than the stored one of the same time. */
function differs(a: Version, b: Version): boolean {
  return (
    a.status !== b.status ||
    a.attempts !== b.attempts ||
    a.errorCode !== b.errorCode ||
    a.errorMessage !== b.errorMessage ||
    a.processedUs !== b.processedUs ||
    a.createdUs !== b.createdUs ||
    a.txType !== b.txType ||
    a.direction !== b.direction ||
    a.facility !== b.facility
  );
}
