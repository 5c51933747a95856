import { z } from 'zod';
import { AppError } from '@/lib/errors';

/**
 * Validates `value` against `schema`; else a 422 AppError saying `message`, with the first error of
 * each bad field as 'field: message' (what the API returns and the admin forms show by field).
 */
export function parseOrFail<T extends z.ZodType>(schema: T, value: unknown, message: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = [...firstIssueByField(parsed.error, 'body')].map(([f, m]) => `${f}: ${m}`);
  throw new AppError('validation_failed', message, details);
}

/** The first message of each top-level field, in the order zod found them; an issue about the whole input goes under `whole`. */
export function firstIssueByField(error: z.ZodError, whole: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const i of error.issues) {
    const field = String(i.path[0] ?? whole);
    if (!out.has(field)) out.set(field, i.message);
  }
  return out;
}

/**
 * Text Postgres can store: no NUL character (text and jsonb refuse it: a 500 before this check),
 * no half of a UTF-16 surrogate pair (a lone \ud800 escape; jsonb refuses it, and text would
 * store U+FFFD in its place without a word).
 */
export const storableText = (s: string) => !s.includes('\0') && s.isWellFormed();
export const NOT_STORABLE = 'must not contain NUL (\\u0000) characters or half of a UTF-16 surrogate pair';

/** A string field that refuses text Postgres cannot store, with the field named in its error. */
export const storableString = (message?: string) =>
  z.string(message === undefined ? undefined : { message }).refine(storableText, NOT_STORABLE);

/**
 * A number a form sends as text (or JSON sends as a number): blank text stays blank, so the schema words its own error.
 */
export const formNumber = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? Number(v.trim()) : v), schema);

/** An optional filter from the address: trimmed text up to `max` characters, or nothing (never an error). */
export const filterText = (max: number) => z.string().trim().min(1).max(max).optional().catch(undefined);
/** A page number from the address, 1 when absent or not one. */
export const pageNumber = z.coerce.number().int().min(1).max(100_000).catch(1);
