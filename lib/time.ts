/**
 * Timestamps kept to the microsecond (Postgres precision) as integer microseconds since the epoch,
 * so comparisons of `updatedAt` are exact and never rounded through a Date.
 */
export function isIsoWithZone(s: string): boolean {
  return toMicros(s) !== null;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number written by `count` ASCII digits of `s` from `at`, or -1. */
function digitsAt(s: string, at: number, count: number): number {
  let v = 0;
  for (let i = at; i < at + count; i++) {
    const c = s.charCodeAt(i) - 48; // NaN past the end
    if (!(c >= 0 && c <= 9)) return -1;
    v = v * 10 + c;
  }
  return v;
}

const DASH = 45;
const COLON = 58;

/**
 * Microseconds since the epoch of an ISO 8601 timestamp with a zone, or null when it is not one
 * (calendar overflow such as 2026-02-30 included). Accepted: `YYYY-MM-DD`, `T`, `t` or a space,
 * `HH:MM`, optional `:SS` with an optional `.` or `,` fraction (rounded to the microsecond),
 * then `Z`, `z`, `±HH`, `±HHMM` or `±HH:MM`. Read character by character, allocating nothing:
 * each record's timestamps are read on the ingest's hot path, where a regular expression's match
 * arrays were a good part of the garbage per message.
 */
export function toMicros(s: string): number | null {
  return readIso(s, scratch) ? scratch.ms * 1000 + scratch.frac : null;
}

/**
 * `us`, what toMicros read from `s`, exactly: the number itself up to the year 2255 (2^53 µs),
 * where it is exact, and past it the exact bigint read again from `s`. Null stays null.
 */
export function microsExact(us: number | null, s: string | null | undefined): number | bigint | null {
  if (us === null || Number.isSafeInteger(us)) return us;
  const parts = { ms: 0, frac: 0 };
  return readIso(s!, parts) ? BigInt(parts.ms) * 1000n + BigInt(parts.frac) : null;
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** What toMicros reads into (one object for every call: it allocates nothing). */
const scratch = { ms: 0, frac: 0 };

/** Reads an ISO timestamp as milliseconds since the epoch and the microseconds past them; false when it is not one. */
function readIso(s: string, out: { ms: number; frac: number }): boolean {
  const n = s.length;
  const t = s.charCodeAt(10);
  if (n < 17 || s.charCodeAt(4) !== DASH || s.charCodeAt(7) !== DASH || s.charCodeAt(13) !== COLON) return false;
  if (t !== 84 && t !== 116 && t !== 32) return false; // T, t, space
  const y = digitsAt(s, 0, 4);
  const mo = digitsAt(s, 5, 2);
  const d = digitsAt(s, 8, 2);
  const h = digitsAt(s, 11, 2);
  const mi = digitsAt(s, 14, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0) return false;
  let i = 16;
  let sec = 0;
  let frac = 0;
  if (s.charCodeAt(i) === COLON) {
    sec = digitsAt(s, i + 1, 2);
    if (sec < 0) return false;
    i += 3;
    const sep = s.charCodeAt(i);
    if (sep === 46 || sep === 44) {
      // . or ,
      const from = ++i;
      for (let c = s.charCodeAt(i) - 48; c >= 0 && c <= 9; c = s.charCodeAt(++i) - 48)
        if (i - from < 6) frac = frac * 10 + c;
      if (i === from) return false;
      for (let k = i - from; k < 6; k++) frac *= 10;
      // Past the sixth digit, rounded to the microsecond as Postgres rounds (the fraction as a
      // double, times a million, to the nearest, ties to even), so what is compared is what is stored.
      if (i - from > 6) frac = roundHalfEven(Number('0.' + s.slice(from, i)) * 1e6);
    }
  }
  const z = s.charCodeAt(i);
  let offsetMin = 0;
  if (z === 90 || z === 122) {
    // Z, z
    if (i + 1 !== n) return false;
  } else if (z === 43 || z === DASH) {
    const zh = digitsAt(s, i + 1, 2);
    let j = i + 3;
    let zm = 0;
    if (j !== n) {
      if (s.charCodeAt(j) === COLON) j++;
      zm = digitsAt(s, j, 2);
      if (zm < 0 || j + 2 !== n) return false;
    }
    if (zh < 0 || zh > 23 || zm > 59) return false;
    offsetMin = (z === DASH ? -1 : 1) * (zh * 60 + zm);
  } else return false;
  // Year 0 has no place in Postgres timestamps; it refuses it.
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59) return false;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > (mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo - 1])) return false;
  // Date.UTC reads years 0–99 as 1900–1999: count from 400 years later (the same calendar) instead.
  const ms =
    y < 100 ? Date.UTC(y + 400, mo - 1, d, h, mi, sec) - 12_622_780_800_000 : Date.UTC(y, mo - 1, d, h, mi, sec);
  out.ms = ms - offsetMin * 60_000;
  out.frac = frac;
  return true;
}

export function microsToIso(us: number): string {
  const ms = Math.floor(us / 1000);
  const rest = us - ms * 1000;
  const iso = new Date(ms).toISOString();
  return rest ? iso.replace('Z', String(rest).padStart(3, '0') + 'Z') : iso;
}

export const HOUR_US = 3_600_000_000;
export const DAY_US = 24 * HOUR_US;
export const DAY_MS = 86_400_000;
export const floorTo = (us: number, unit: number) => Math.floor(us / unit) * unit;

/**
 * A trend's bucket: hours for windows up to three days, days beyond (the overview and corrections trends, the tile
 * sparklines).
 */
export type SeriesGrain = 'hour' | 'day';
export const seriesGrain = (w: { from: Date; to: Date }): SeriesGrain =>
  w.to.getTime() - w.from.getTime() > 3 * DAY_MS ? 'day' : 'hour';
export const grainMs = (grain: SeriesGrain) => (grain === 'day' ? DAY_MS : 3_600_000);

/**
 * The start (ms since the epoch) of every bucket of a window, from the one holding `from` to the one holding its last
 * instant.
 */
export function bucketStarts(w: { from: Date; to: Date }, grain: SeriesGrain): number[] {
  const unit = grainMs(grain);
  const out: number[] = [];
  for (let t = Math.floor(w.from.getTime() / unit) * unit; t < w.to.getTime(); t += unit) out.push(t);
  return out;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** `YYYY-MM-DD` of a UTC instant. */
export const utcDay = (d: Date) => d.toISOString().slice(0, 10);
/** Epoch milliseconds as an ISO 8601 UTC timestamp. */
export const msToIso = (ms: number) => new Date(ms).toISOString();

/** Whether `YYYY-MM-DD` names a day of the calendar (not 2026-02-30). */
export function isCalendarDay(s: string) {
  const d = new Date(`${s}T00:00:00Z`);
  return ISO_DAY.test(s) && !Number.isNaN(d.getTime()) && utcDay(d) === s;
}
