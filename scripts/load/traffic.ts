/**
 * Seeded traffic for the load suite: message batches that overlap and carry each message's versions
 * out of order, some invalid records among them, senders that retry what failed, and the state
 * everything sent must end in (SPEC 3.1: idempotent and order-independent).
 */
import { rng } from '@/lib/simulator/model';

const MESSAGES = 2400;
const START = Date.parse('2026-11-16T00:00:00Z');
const MINUTE = 60_000;

export interface Version {
  messageId: string;
  status: string;
  attempts: number;
  updatedAt: string;
  errorCode: string | null;
}

/**
 * Version `v` (0, 1 or 2) of message `i`: pending, then failed (with an error), then delivered or
 * dead-lettered; each later than the one before. Messages spread over four days, three facilities,
 * three kinds, a document for every three lines.
 */
export function messageVersion(i: number, v: number) {
  const created = START + i * 2 * MINUTE + (i % 7) * 1000;
  const at = (m: number) => new Date(created + m * MINUTE).toISOString();
  const last = i % 5 === 0 ? 'dead_letter' : 'delivered';
  const status = v === 0 ? 'pending' : v === 1 ? 'failed' : last;
  const failing = status === 'failed' || status === 'dead_letter';
  return {
    messageId: `LOAD-${i}`,
    txType: ['receipt', 'pick', 'shipment'][i % 3],
    direction: i % 2 ? 'wms_to_erp' : 'erp_to_wms',
    facility: ['DC1', 'DC2', 'DC3'][i % 3],
    correlationKey: `DOC-${Math.floor(i / 3)}`,
    lineKey: String(i % 3),
    sku: `SKU-${i % 97}`,
    quantity: (i % 13) + 1,
    uom: 'EA',
    status,
    attempts: v + 1,
    errorCode: failing ? `E${i % 4}` : null,
    errorMessage: failing ? `failure ${i % 4}` : null,
    createdAt: at(0),
    processedAt: status === 'delivered' ? at(v) : null,
    updatedAt: at(v),
    payload: { n: i, v },
  };
}

/** Batch `n` of sender `s`: 150 versions of random messages in random order, now and then an invalid record. */
export function batch(seed: number, s: number, n: number): unknown[] {
  const rnd = rng(seed * 1_000_003 + s * 10_007 + n);
  const out: unknown[] = [];
  for (let k = 0; k < 150; k++) out.push(messageVersion(Math.floor(rnd() * MESSAGES), Math.floor(rnd() * 3)));
  if (rnd() < 0.3)
    out.splice(Math.floor(rnd() * out.length), 0, { messageId: `BAD-${s}-${n % 40}`, txType: 'receipt' });
  return out;
}

export interface Sent {
  batches: number;
  records: number;
  /** Answers by status, retries included. */
  statuses: Record<string, number>;
  /** Attempts that ended without an answer (connection refused or reset). */
  networkErrors: number;
  /** Each message's latest version sent. */
  latest: Map<string, Version>;
  /** The rejected records as the quarantine keeps them: "index raw". */
  rejected: Set<string>;
  /** A 5xx that was not a 503 with Retry-After, or a 4xx, with its body. */
  unexpected: string[];
}

export function emptySent(): Sent {
  return {
    batches: 0,
    records: 0,
    statuses: {},
    networkErrors: 0,
    latest: new Map(),
    rejected: new Set(),
    unexpected: [],
  };
}

/** Records a batch the server accepted (200) into what the state must reflect. */
export function accepted(sent: Sent, records: unknown[], body: { rejected: { index: number }[] }) {
  sent.batches++;
  sent.records += records.length;
  for (const r of body.rejected) sent.rejected.add(`${r.index} ${JSON.stringify(records[r.index])}`);
  for (const r of records as Record<string, unknown>[]) {
    if (typeof r.createdAt !== 'string') continue;
    const seen = sent.latest.get(r.messageId as string);
    if (!seen || (r.updatedAt as string) > seen.updatedAt)
      sent.latest.set(r.messageId as string, {
        messageId: r.messageId as string,
        status: r.status as string,
        attempts: r.attempts as number,
        updatedAt: r.updatedAt as string,
        errorCode: r.errorCode as string | null,
      });
  }
}

/**
 * POSTs `records` until the server takes them (200), waiting after a 503, another 5xx or a broken
 * connection with a backoff that doubles (to 2 s); gives up at `giveUp` (ms since the epoch).
 */
export async function sendUntilAccepted(url: string, key: string, records: unknown[], sent: Sent, giveUp: number) {
  const body = JSON.stringify(records);
  for (let attempt = 0; ; attempt++) {
    if (Date.now() > giveUp) throw new Error(`a batch was still refused at the deadline (${attempt} attempts)`);
    let status = 0;
    let text = '';
    let retryAfter: string | null = null;
    try {
      const r = await fetch(`${url}/api/v1/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(120_000),
      });
      status = r.status;
      retryAfter = r.headers.get('retry-after');
      text = await r.text();
    } catch {
      sent.networkErrors++;
    }
    if (status) {
      const name =
        status === 503 ? `503 ${(JSON.parse(text) as { error?: { code?: string } }).error?.code}` : String(status);
      sent.statuses[name] = (sent.statuses[name] ?? 0) + 1;
    }
    if (status === 200) return accepted(sent, records, JSON.parse(text));
    if (status && (status !== 503 || !retryAfter)) sent.unexpected.push(`${status} ${text.slice(0, 300)}`);
    if (status && status < 500) throw new Error(`a batch was refused with ${status}: ${text.slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, Math.min(2000, 50 * 2 ** attempt) * (0.5 + Math.random())));
  }
}

/**
 * Eight senders (by default) for `ms`, each sending its batches in turn and, one time in five, one
 * of its earlier batches again (a replay); every batch is sent until it is accepted.
 */
export async function runSenders(o: {
  url: string;
  key: string;
  seed: number;
  ms: number;
  senders?: number;
  sent: Sent;
}) {
  const end = Date.now() + o.ms;
  const giveUp = end + 90_000;
  await Promise.all(
    Array.from({ length: o.senders ?? 8 }, async (_, s) => {
      const rnd = rng(o.seed + s);
      let n = 0;
      while (Date.now() < end) {
        const replay = n > 0 && rnd() < 0.2;
        const records = batch(o.seed, s, replay ? Math.floor(rnd() * n) : n++);
        await sendUntilAccepted(o.url, o.key, records, o.sent, giveUp);
      }
    }),
  );
}
