import { z } from 'zod';
import { AppError } from '@/lib/errors';

/**
 * Validates `value` against `schema`; else a 422 AppError saying `message`, with the first error of
 * each bad field as 'field: message' (what the API returns and the admin forms show by field).
 */
export function parseOrFail<T extends z.ZodType>(schema: T, value: unknown, message: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = new Map<string, string>();
  for (const i of parsed.error.issues) {
    const field = String(i.path[0] ?? 'body');
    if (!details.has(field)) details.set(field, `${field}: ${i.message}`);
  }
  throw new AppError('validation_failed', message, [...details.values()]);
}

/** A number a form sends as text (or JSON sends as a number): blank text stays blank, so the schema words its own error. */
export const formNumber = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? Number(v.trim()) : v), schema);
