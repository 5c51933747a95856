/**
 * Timestamps of imported files as SPEC 3.1 wants them (ISO 8601 with a zone): a zone-less one is
 * read in an IANA zone (SPEC 10's `timezone` option, or a profile's), a pattern in Unicode
 * date-field symbols is read with date-fns, and epoch numbers are converted.
 */
import { TZDate, tz } from '@date-fns/tz';
import { format as formatDate, isValid, parse as parseDate } from 'date-fns';
import { isIsoWithZone } from '@/lib/time';

/** Whether `zone` is an IANA time zone name this runtime knows (`UTC`, `Europe/Berlin`, …). */
export function isZone(zone: string): boolean {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})([.,]\d+)?)?)?$/;

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * An ISO timestamp with a zone, as written when it has one; a zone-less `YYYY-MM-DD[ HH:MM[:SS[.f]]]`
 * (Odoo writes `2026-11-20 10:00:05`) gets the offset `zone` has at that wall time, its digits kept
 * (microseconds are not rounded to milliseconds). Null when it is neither.
 */
export function isoInZone(text: string, zone: string): string | null {
  const s = text.trim();
  if (isIsoWithZone(s)) return s;
  const m = LOCAL.exec(s);
  if (!m) return null;
  const [y, mo, d, h = 0, mi = 0, sec = 0] = m.slice(1, 7).map((v) => (v === undefined ? undefined : Number(v)));
  const offset = -new TZDate(y!, mo! - 1, d!, h, mi, sec, zone).getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const local = `${m[1]}-${m[2]}-${m[3]}T${pad(h)}:${pad(mi)}:${pad(sec)}${(m[7] ?? '').replace(',', '.')}`;
  const out = `${local}${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return isIsoWithZone(out) ? out : null;
}

/** Seconds or milliseconds since the epoch (a number, or digits as text) as an ISO timestamp; null when not a number. */
export function fromEpoch(value: unknown, unit: 'epoch_s' | 'epoch_ms'): string | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() ? Number(value) : NaN;
  if (!Number.isFinite(n)) return null;
  const d = new Date(unit === 'epoch_s' ? n * 1000 : n);
  return isValid(d) && d.getUTCFullYear() >= 1 && d.getUTCFullYear() <= 9999 ? d.toISOString() : null;
}

/** The pattern's text outside quoted literals ('T', 'at'). */
const unquoted = (pattern: string) => pattern.replace(/'[^']*'/g, '');

/**
 * Why a date pattern cannot be used, or null when it can. date-fns refuses the week-numbering year
 * `YYYY` and the day of the year `D` unless asked; they are nearly always a slip for `yyyy` and `dd`.
 */
export function patternProblem(pattern: string): string | null {
  if (!pattern.trim()) return 'must not be empty';
  const bare = unquoted(pattern);
  if (/Y/.test(bare)) return 'use yyyy (the calendar year), not YYYY (the week-numbering year)';
  if (/D/.test(bare)) return 'use dd (the day of the month), not DD (the day of the year)';
  try {
    formatDate(new Date(0), pattern);
    return null;
  } catch (e) {
    return `not a date pattern in Unicode date-field symbols: ${(e as Error).message}`;
  }
}

/** Text read with a date pattern (Unicode date-field symbols) in `zone`, as an ISO timestamp; null when it does not match. */
export function fromPattern(text: string, pattern: string, zone: string): string | null {
  const d = parseDate(text.trim(), pattern, new Date(0), { in: tz(zone) });
  return isValid(d) ? new Date(d.getTime()).toISOString() : null;
}
