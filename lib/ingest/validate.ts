/**
 * The first step of a message batch (SPEC 3.1): each record checked against the v1 contract on its
 * own, and the valid ones read into the facts that versioning, rollups and exceptions use.
 */
import type { MessageStatus } from '@/db/schema';
import {
  MAX_PAYLOAD_DEPTH,
  fastMessageRecord,
  issuesToStrings,
  messageRecord,
  type MessageRecord,
  type RawRecord,
  type Rejected,
} from '@/lib/api/schemas';
import { nestsDeeper } from '@/lib/http/body';
import { toMicros } from '@/lib/time';
import { NOT_STORABLE } from '@/lib/validation';

export const FAILING = new Set<MessageStatus>(['failed', 'dead_letter']);

/** The facts of one stored version that rollups and exceptions depend on. */
export interface Version {
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

export interface Incoming {
  index: number;
  rec: MessageRecord;
  /** The payload as JSON text, or null. */
  payload: string | null;
  v: Version;
}

/** A JSON \u0000 escape that is not an escaped backslash followed by "u0000". */
const JSON_NUL = /(^|[^\\])(\\\\)*\\u0000/;
/** A JSON escape of half a surrogate pair, which jsonb refuses. */
const JSON_LONE_SURROGATE =
  /\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f][0-9a-f]{2})|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}/i;

const TOO_DEEP = `payload: must not nest arrays and objects more than ${MAX_PAYLOAD_DEPTH} levels deep`;

/**
 * Why Postgres could not store a valid record's payload (NUL, half a surrogate pair, too deep), or null; text fields
 * are checked by the schema.
 */
function unstorable(payload: string | null): string | null {
  if (payload !== null && nestsDeeper(payload, MAX_PAYLOAD_DEPTH)) return TOO_DEEP;
  if (payload !== null && payload.includes('\\u') && (JSON_NUL.test(payload) || JSON_LONE_SURROGATE.test(payload))) {
    return `payload: ${NOT_STORABLE}`;
  }
  return null;
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
    const id =
      r.value && typeof r.value === 'object' && !Array.isArray(r.value)
        ? (r.value as { messageId?: unknown }).messageId
        : undefined;
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
