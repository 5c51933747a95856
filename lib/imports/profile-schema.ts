/**
 * A mapping profile (SPEC 10): how the records of a CSV, JSON or NDJSON file from anything else
 * become SPEC 3.1 messages. Validated with zod; a bad profile is a 422 with one error per field,
 * named by its path (`fields.createdAt.format: …`), so the page can show each next to its input.
 */
import { z } from 'zod';
import { DIRECTIONS, MESSAGE_STATUSES, TX_TYPES } from '@/db/schema';
import { messageRecord } from '@/lib/api/schemas';
import { AppError } from '@/lib/errors';
import { isZone, patternProblem } from './zoned-time';

/** The SPEC 3.1 fields a profile may fill. */
export const PROFILE_FIELDS = Object.keys(messageRecord.shape) as (keyof typeof messageRecord.shape)[];
export type ProfileField = (typeof PROFILE_FIELDS)[number];

/** Fields a profile must fill (`facility` may come from the request's option instead). */
export const REQUIRED_FIELDS: ProfileField[] = ['messageId', 'txType', 'direction', 'status', 'createdAt'];
export const TIMESTAMP_FIELDS: ProfileField[] = ['createdAt', 'processedAt', 'updatedAt'];
/** Fields whose values must be one of a list: consts and map targets are checked when a profile is saved. */
const ENUMS: Partial<Record<ProfileField, readonly string[]>> = {
  txType: TX_TYPES,
  direction: DIRECTIONS,
  status: MESSAGE_STATUSES,
};
export const TIMESTAMP_FORMATS = ['iso', 'epoch_s', 'epoch_ms'] as const;

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/** Where a field's value comes from. */
export type ProfileSource =
  | string
  | { path: string; map?: Record<string, Json>; default?: Json; format?: string }
  | { const: Json }
  | { hash: true };

const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The problems of one field's source, each with the path below `fields.<field>` it is about. */
function sourceProblems(field: string, source: unknown): { path: string[]; message: string }[] {
  const out: { path: string[]; message: string }[] = [];
  const problem = (message: string, ...path: string[]) => out.push({ path, message });
  if (!(PROFILE_FIELDS as string[]).includes(field)) {
    problem(`not a message field (${PROFILE_FIELDS.join(', ')})`);
    return out;
  }
  const allowed = ENUMS[field as ProfileField];
  const checkValue = (v: unknown, ...path: string[]) => {
    if (allowed && v !== null && !allowed.includes(String(v))) problem(`must be one of ${allowed.join(', ')}`, ...path);
  };
  if (typeof source === 'string') {
    if (!source.trim()) problem('must not be empty: a dotted path such as "inventory.sku" or "lines.0.qty"');
    return out;
  }
  if (!isObject(source)) {
    problem('must be a dotted path, { "path", "map", "default", "format" }, { "const": value } or { "hash": true }');
    return out;
  }
  const keys = Object.keys(source);
  if ('hash' in source) {
    if (source.hash !== true || keys.length !== 1) problem('must be exactly { "hash": true }', 'hash');
    else if (field !== 'messageId') problem('only messageId can be a hash of the record', 'hash');
    return out;
  }
  if ('const' in source) {
    if (keys.length !== 1) problem('a { "const": value } source has nothing else');
    else checkValue(source.const, 'const');
    return out;
  }
  if (!('path' in source)) {
    problem('needs "path" (or is { "const": value }, or { "hash": true } for messageId)', 'path');
    return out;
  }
  for (const k of keys)
    if (!['path', 'map', 'default', 'format'].includes(k))
      problem('not a key of a source (path, map, default, format)', k);
  if (typeof source.path !== 'string' || !source.path.trim()) problem('must be a dotted path', 'path');
  if ('map' in source) {
    if (!isObject(source.map)) problem('must be an object { "from": "to" }', 'map');
    else for (const [from, to] of Object.entries(source.map)) checkValue(to, 'map', from);
  }
  if ('default' in source) checkValue(source.default, 'default');
  if ('format' in source) {
    const f = source.format;
    if (!TIMESTAMP_FIELDS.includes(field as ProfileField))
      problem(`a format reads timestamps: only ${TIMESTAMP_FIELDS.join(', ')} take one`, 'format');
    else if (typeof f !== 'string') problem('must be iso, epoch_s, epoch_ms or a date pattern', 'format');
    else if (!(TIMESTAMP_FORMATS as readonly string[]).includes(f)) {
      const why = patternProblem(f);
      if (why) problem(`${why} (or iso, epoch_s, epoch_ms)`, 'format');
    }
  }
  return out;
}

export const profileSchema = z
  .strictObject({
    name: z
      .string({ message: 'required' })
      .trim()
      .regex(PROFILE_NAME, 'letters, digits, ".", "_" and "-", at most 100, starting with a letter or digit'),
    description: z.string().max(1000, 'at most 1000 characters').optional(),
    input: z.enum(['csv', 'json', 'ndjson'], { message: 'must be csv, json or ndjson' }),
    records: z.string({ message: 'must be a dotted path (empty: the whole body)' }).trim().max(500).default(''),
    timezone: z.string().trim().refine(isZone, 'not an IANA time zone (such as UTC or Europe/Berlin)').optional(),
    // Checked here rather than on the whole profile, so its errors come with those of the other keys.
    fields: z
      .record(z.string(), z.unknown(), { message: 'must be an object { <message field>: <source> }' })
      .superRefine((fields, ctx) => {
        for (const [field, source] of Object.entries(fields))
          for (const { path, message } of sourceProblems(field, source))
            ctx.addIssue({ code: 'custom', path: [field, ...path], message });
        for (const field of REQUIRED_FIELDS)
          if (!(field in fields))
            ctx.addIssue({
              code: 'custom',
              path: [field],
              message: 'required: a path, { "path", … } or { "const": value }',
            });
      }),
  })
  .superRefine((p, ctx) => {
    if (p.input === 'csv' && p.records)
      ctx.addIssue({ code: 'custom', path: ['records'], message: 'a CSV file has one record per row: leave it empty' });
  });

export type Profile = Omit<z.output<typeof profileSchema>, 'fields'> & {
  fields: Partial<Record<ProfileField, ProfileSource>>;
};

/** The first error of each field of a profile, by dotted path (`fields.createdAt.format`); `profile` for the whole. */
export function profileFieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of error.issues) {
    const key = i.path.length ? i.path.join('.') : 'profile';
    out[key] ??= i.message;
  }
  return out;
}

/** A valid profile, or a 422 whose details are `path: message`, one per field. */
export function parseProfile(value: unknown): Profile {
  const parsed = profileSchema.safeParse(value);
  if (parsed.success) return parsed.data as Profile;
  const details = Object.entries(profileFieldErrors(parsed.error)).map(([f, m]) => `${f}: ${m}`);
  throw new AppError('validation_failed', 'The mapping profile is not valid.', details);
}
