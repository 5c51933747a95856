/**
 * Request schemas of the v1 API (SPEC 3). They validate requests and generate the OpenAPI document.
 */
import { z } from 'zod';
import { DIRECTIONS, MESSAGE_STATUSES, SYSTEMS, TX_TYPES } from '@/db/schema';
import { isIsoWithZone } from '@/lib/time';
import { NOT_STORABLE, storableText } from '@/lib/validation';

/** One record of a request body: its parsed value, or why it could not be parsed, and its raw text. */
export interface RawRecord {
  value: unknown;
  raw: string;
  parseError?: string;
}

export interface Rejected {
  index: number;
  messageId?: string | null;
  key?: string | null;
  errors: string[];
  raw?: string;
}

export const MAX_RECORDS = 10_000;
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
/**
 * The deepest a message's payload may nest arrays and objects (Postgres's jsonb, and re-reading it, run out of stack
 * some thousands of levels down).
 */
export const MAX_PAYLOAD_DEPTH = 1000;

/** Required text of at most `max` characters, trimmed, that Postgres can store. */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `at most ${max} characters`)
    .refine(storableText, NOT_STORABLE);
const optionalText = (max: number) =>
  z
    .string()
    .max(max, `at most ${max} characters`)
    .refine(storableText, NOT_STORABLE)
    .nullish()
    .transform((v) => (v === undefined || v === null || v === '' ? null : v));

export const isoTimestamp = z
  .string()
  .refine(isIsoWithZone, 'must be an ISO 8601 timestamp with a zone, e.g. 2026-11-20T10:00:00Z')
  .meta({ format: 'date-time' });

export const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/**
 * Whether a decimal (DECIMAL) fits Postgres's numeric: at most 131,072 digits before the point,
 * leading zeros aside, and 16,383 after it. Past that Postgres refuses the value, which failed the
 * whole batch where one record should be rejected.
 */
export function decimalFits(s: string): boolean {
  if (s.length <= 16_384) return true;
  const dot = s.indexOf('.');
  const whole = dot < 0 ? s.length : dot;
  let first = s[0] === '+' || s[0] === '-' ? 1 : 0;
  while (first < whole && s.charCodeAt(first) === 48) first++;
  return whole - first <= 131_072 && (dot < 0 || s.length - dot - 1 <= 16_383);
}

/** A decimal as a string or a number, kept as text so nothing is rounded on the way in. */
export const decimal = z
  .union([z.string().trim(), z.number()])
  .refine(
    (v) => (typeof v === 'number' ? Number.isFinite(v) && DECIMAL.test(String(v)) : DECIMAL.test(v)),
    'must be a decimal number',
  )
  .refine(
    (v) => typeof v === 'number' || !DECIMAL.test(v) || decimalFits(v),
    'must have at most 131072 digits before the decimal point and 16383 after it',
  )
  .transform((v) => String(v));

export const messageRecord = z
  .object({
    messageId: text(200),
    txType: z.enum(TX_TYPES),
    direction: z.enum(DIRECTIONS),
    facility: text(64),
    correlationKey: optionalText(200),
    lineKey: optionalText(100),
    sku: optionalText(100),
    quantity: decimal.nullish().transform((v) => v ?? null),
    uom: optionalText(20),
    lot: optionalText(100),
    location: optionalText(100),
    customer: optionalText(200).meta({
      description: 'Optional: whom an outbound document is for (the weekly review ranks exceptions by it).',
    }),
    status: z.enum(MESSAGE_STATUSES),
    attempts: z.number().int('must be a whole number').min(0).max(1_000_000).default(1),
    errorCode: optionalText(200),
    errorMessage: optionalText(10_000),
    createdAt: isoTimestamp,
    processedAt: isoTimestamp.nullish().transform((v) => v ?? null),
    updatedAt: isoTimestamp.nullish().transform((v) => v ?? null),
    payload: z.unknown().optional(),
  })
  .superRefine((r, ctx) => {
    if (r.status === 'delivered' && !r.processedAt) {
      ctx.addIssue({ code: 'custom', path: ['processedAt'], message: 'is required when status is delivered' });
    }
  })
  .meta({ id: 'Message' });

export type MessageRecord = z.output<typeof messageRecord>;

export const itemRecord = z
  .object({
    system: z.enum(SYSTEMS),
    sku: text(100),
    description: optionalText(500),
    baseUom: text(20),
    uoms: z
      .array(z.object({ uom: text(20), toBase: decimal.refine((v) => Number(v) > 0, 'must be greater than 0') }))
      .max(50)
      .default([]),
    lotControlled: z.boolean().default(false),
    serialControlled: z.boolean().default(false),
    unitCost: decimal.nullish().transform((v) => v ?? null),
    status: text(40).default('active'),
  })
  .meta({ id: 'Item' });

export const correctionRecord = z
  .object({
    correctionId: text(200),
    system: z.enum(SYSTEMS),
    facility: text(64),
    sku: text(100),
    location: optionalText(100),
    lot: optionalText(100),
    quantityDelta: decimal,
    uom: text(20),
    reasonCode: optionalText(100),
    user: optionalText(200),
    at: isoTimestamp,
    effortMinutes: z
      .number()
      .int()
      .min(0)
      .max(100_000)
      .nullish()
      .transform((v) => v ?? null),
  })
  .meta({ id: 'Correction' });

export type CorrectionRecord = z.output<typeof correctionRecord>;

export const changeRecord = z
  .object({
    changeId: text(200),
    at: isoTimestamp,
    system: text(64),
    kind: z.enum(['mapping', 'config', 'release']),
    summary: text(2000),
    integrationReviewed: z.boolean().default(false),
  })
  .meta({ id: 'Change' });

/** One on-hand position of a snapshot (SPEC 3.2). `location` and `lot` may be empty. */
export const snapshotRow = z
  .object({
    sku: text(100),
    location: optionalText(100).transform((v) => v ?? ''),
    lot: optionalText(100).transform((v) => v ?? ''),
    uom: text(20),
    quantity: decimal,
  })
  .meta({ id: 'SnapshotRow' });

export type SnapshotRow = z.output<typeof snapshotRow>;

const plainText = (v: unknown, max: number) =>
  typeof v === 'string' && v.length <= max && v === v.trim() && v.length > 0 && storableText(v);
const optionalPlain = (v: unknown, max: number) =>
  v === null || v === undefined || (typeof v === 'string' && v.length <= max && storableText(v));

/**
 * The common case of snapshotRow without zod's cost (a million rows take ~4.5 s through zod,
 * ~0.2 s here): a row that is plainly valid is returned as zod would return it; anything else
 * gives null and goes through zod, which decides and words the errors. Tested to agree.
 */
export function fastSnapshotRow(v: unknown): SnapshotRow | null {
  if (!v || typeof v !== 'object') return null;
  const r = v as Record<string, unknown>;
  if (!plainText(r.sku, 100) || !plainText(r.uom, 20) || !optionalPlain(r.location, 100) || !optionalPlain(r.lot, 100))
    return null;
  const quantity = plainDecimal(r.quantity);
  if (quantity === null) return null;
  return {
    sku: r.sku as string,
    location: (r.location as string | null | undefined) || '',
    lot: (r.lot as string | null | undefined) || '',
    uom: r.uom as string,
    quantity,
  };
}

const TX_TYPE_SET: ReadonlySet<unknown> = new Set(TX_TYPES);
const DIRECTION_SET: ReadonlySet<unknown> = new Set(DIRECTIONS);
const STATUS_SET: ReadonlySet<unknown> = new Set(MESSAGE_STATUSES);
const optionalOut = (v: unknown) => (v === undefined || v === null || v === '' ? null : (v as string));
const isoOrNull = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && isIsoWithZone(v));

/** A decimal as messageRecord and snapshotRow keep it, or null when zod has to decide. */
function plainDecimal(q: unknown): string | null {
  let s: string;
  if (typeof q === 'number') {
    if (!Number.isFinite(q)) return null;
    s = String(q);
  } else if (typeof q === 'string' && q === q.trim()) s = q;
  else return null;
  return DECIMAL.test(s) && decimalFits(s) ? s : null;
}

/**
 * The common case of messageRecord without zod (~25 µs a record through zod, ~2 µs here), on the
 * pattern of fastSnapshotRow: a plainly valid record is returned as zod would return it; anything
 * else gives null and goes through zod. A property test holds the two together.
 */
export function fastMessageRecord(v: unknown): MessageRecord | null {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  const r = v as Record<string, unknown>;
  if (
    !plainText(r.messageId, 200) ||
    !TX_TYPE_SET.has(r.txType) ||
    !DIRECTION_SET.has(r.direction) ||
    !plainText(r.facility, 64)
  )
    return null;
  if (!STATUS_SET.has(r.status)) return null;
  if (
    !optionalPlain(r.correlationKey, 200) ||
    !optionalPlain(r.lineKey, 100) ||
    !optionalPlain(r.sku, 100) ||
    !optionalPlain(r.uom, 20)
  )
    return null;
  if (
    !optionalPlain(r.lot, 100) ||
    !optionalPlain(r.location, 100) ||
    !optionalPlain(r.errorCode, 200) ||
    !optionalPlain(r.errorMessage, 10_000)
  )
    return null;
  if (!optionalPlain(r.customer, 200)) return null;
  const attempts = r.attempts === undefined ? 1 : r.attempts;
  if (typeof attempts !== 'number' || !Number.isInteger(attempts) || attempts < 0 || attempts > 1_000_000) return null;
  let quantity: string | null = null;
  if (r.quantity !== null && r.quantity !== undefined) {
    quantity = plainDecimal(r.quantity);
    if (quantity === null) return null;
  }
  if (
    typeof r.createdAt !== 'string' ||
    !isIsoWithZone(r.createdAt) ||
    !isoOrNull(r.processedAt) ||
    !isoOrNull(r.updatedAt)
  )
    return null;
  const processedAt = (r.processedAt as string | null | undefined) ?? null;
  if (r.status === 'delivered' && !processedAt) return null;
  const out: MessageRecord = {
    messageId: r.messageId as string,
    txType: r.txType as MessageRecord['txType'],
    direction: r.direction as MessageRecord['direction'],
    facility: r.facility as string,
    correlationKey: optionalOut(r.correlationKey),
    lineKey: optionalOut(r.lineKey),
    sku: optionalOut(r.sku),
    quantity,
    uom: optionalOut(r.uom),
    lot: optionalOut(r.lot),
    location: optionalOut(r.location),
    customer: optionalOut(r.customer),
    status: r.status as MessageRecord['status'],
    attempts,
    errorCode: optionalOut(r.errorCode),
    errorMessage: optionalOut(r.errorMessage),
    createdAt: r.createdAt,
    processedAt,
    updatedAt: (r.updatedAt as string | null | undefined) ?? null,
  };
  if ('payload' in r) out.payload = r.payload;
  return out;
}

export const MAX_SNAPSHOT_ROWS = 1_000_000;

export const snapshotHeader = z.object({
  system: z.enum(SYSTEMS),
  facility: text(64),
  takenAt: isoTimestamp,
});

export const snapshotBody = snapshotHeader.extend({ rows: z.array(snapshotRow).max(MAX_SNAPSHOT_ROWS) }).meta({
  id: 'Snapshot',
  description: 'Streamed: up to 1,000,000 rows; header fields may come before or after the rows.',
});

export const ingestResult = z
  .object({
    accepted: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    rejected: z.array(
      z.object({
        index: z.number().int(),
        messageId: z.string().nullable().optional(),
        key: z.string().nullable().optional(),
        errors: z.array(z.string()),
      }),
    ),
  })
  .meta({ id: 'IngestResult' });

export const errorBody = z
  .object({ error: z.object({ code: z.string(), message: z.string(), details: z.array(z.unknown()) }) })
  .meta({ id: 'Error' });

export const kpiQuery = z
  .object({
    from: isoTimestamp.optional(),
    to: isoTimestamp.optional(),
    facility: z.string().trim().min(1).max(64).optional(),
    txType: z.enum(TX_TYPES).optional(),
  })
  .meta({ id: 'KpiQuery' });

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let cur = input;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}

/** Field-level messages of a zod error, as "path: message"; `input` tells a missing field from a wrong one. */
export function issuesToStrings(error: z.ZodError, input?: unknown): string[] {
  return error.issues.map((i) => {
    const field = i.path.join('.');
    let message = i.message;
    const missing = i.path.length > 0 && input !== undefined && valueAt(input, i.path) === undefined;
    // A rule's own words (a field required only in some cases) are kept when the field is absent.
    if (i.code !== 'custom' && (missing || (i.code === 'invalid_type' && /received undefined/.test(i.message))))
      message = 'is required';
    else if (i.code === 'invalid_value' && 'values' in i)
      message = `must be one of ${(i.values as unknown[]).join(', ')}`;
    return field ? `${field}: ${message}` : message;
  });
}
