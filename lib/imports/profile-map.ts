/**
 * A mapping profile applied to one record: each field's source read (a dotted path with numeric
 * indexes, a map and a default, a constant, or a hash of the record), then made the type SPEC 3.1
 * wants — text for text fields (a number read into one becomes its text: 114475 → "114475"),
 * ISO timestamps with a zone for timestamps.
 */
import { createHash } from 'node:crypto';
import { PROFILE_FIELDS, REQUIRED_FIELDS, TIMESTAMP_FIELDS, type Profile, type ProfileField } from './profile-schema';
import { fromEpoch, fromPattern, isoInZone } from './zoned-time';

/** The value at a dotted path (`inventory.sku`, `lines.0.qty`); a key that holds the dots itself (a CSV header `a.b`) first. */
export function valueAt(record: unknown, path: string): unknown {
  if (record && typeof record === 'object' && !Array.isArray(record) && Object.hasOwn(record, path))
    return (record as Record<string, unknown>)[path];
  let at: unknown = record;
  for (const step of path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    if (Array.isArray(at)) {
      if (!/^\d+$/.test(step)) return undefined;
      at = at[Number(step)];
    } else at = Object.hasOwn(at, step) ? (at as Record<string, unknown>)[step] : undefined;
  }
  return at;
}

/** JSON with every object's keys sorted, so equal records write equal text whatever their key order. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : canonicalJson(x))).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** SHA-256 of the record's canonical JSON, in hex: a re-sent record keeps its id. */
export const recordHash = (record: unknown) => createHash('sha256').update(canonicalJson(record)).digest('hex');

const missing = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

const TEXT_SKIP = new Set<ProfileField>(['quantity', 'attempts', 'payload', ...TIMESTAMP_FIELDS]);

export type MapOutcome = { value: Record<string, unknown> } | { errors: string[]; key: string | null };

/**
 * Maps records with one profile. `zone` reads zone-less timestamps; `facility` is the request's
 * default, used when the profile's facility source gives nothing.
 */
export function profileMapper(profile: Profile, zone: string, facility: string | null) {
  const entries = PROFILE_FIELDS.filter((f) => profile.fields[f] !== undefined).map(
    (f) => [f, profile.fields[f]!] as const,
  );

  return function map(record: unknown): MapOutcome {
    const errors: string[] = [];
    const value: Record<string, unknown> = {};
    for (const [field, source] of entries) {
      let v: unknown;
      let format = 'iso';
      if (typeof source === 'string') v = valueAt(record, source);
      else if ('hash' in source) v = recordHash(record);
      else if ('const' in source) v = source.const;
      else {
        v = valueAt(record, source.path);
        if (missing(v)) v = source.default;
        else if (source.map && Object.hasOwn(source.map, String(v))) v = source.map[String(v)];
        format = source.format ?? 'iso';
      }
      if (missing(v)) {
        value[field] = null;
        continue;
      }
      const where =
        typeof source === 'string' ? ` (path "${source}")` : 'path' in source ? ` (path "${source.path}")` : '';
      if (TIMESTAMP_FIELDS.includes(field)) {
        let iso: string | null = null;
        if (format === 'epoch_s' || format === 'epoch_ms') iso = fromEpoch(v, format);
        else if (typeof v !== 'string') {
          errors.push(
            `${field}: ${JSON.stringify(v)}${where} is not text: give the source a format (epoch_s, epoch_ms or a pattern)`,
          );
          continue;
        } else iso = format === 'iso' ? isoInZone(v, zone) : fromPattern(v, format, zone);
        if (iso === null)
          errors.push(
            `${field}: "${String(v)}"${where} does not read as ${format === 'iso' ? 'an ISO 8601 timestamp' : format}`,
          );
        else value[field] = iso;
      } else if (field === 'attempts') {
        const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
        if (Number.isInteger(n)) value[field] = n;
        else errors.push(`attempts: ${JSON.stringify(v)}${where} is not a whole number`);
      } else if (TEXT_SKIP.has(field)) value[field] = typeof v === 'string' ? v.trim() : v;
      else if (typeof v === 'string') value[field] = v.trim();
      else if (typeof v === 'number' || typeof v === 'boolean') value[field] = String(v);
      else errors.push(`${field}: ${Array.isArray(v) ? 'a list' : 'an object'}${where}, not text`);
    }
    if (missing(value.facility)) value.facility = facility;
    if (!('payload' in profile.fields)) value.payload = record;
    for (const f of [...REQUIRED_FIELDS, 'facility'] as const)
      if (missing(value[f]) && !errors.some((e) => e.startsWith(`${f}:`)))
        errors.push(
          f === 'facility'
            ? 'facility: no value, and no option facility'
            : `${f}: no value${typeof profile.fields[f] === 'string' ? ` at path "${profile.fields[f]}"` : ''}`,
        );
    const key = typeof value.messageId === 'string' ? value.messageId : null;
    return errors.length ? { errors, key } : { value };
  };
}
