/**
 * SAP dates and times (DATS `YYYYMMDD`, TIMS `HHMMSS`) read as wall-clock time in an IANA zone.
 * Node's Intl knows every zone's offsets, so no date library is needed; the offset found for a
 * wall-clock quarter hour is cached, because a 1,000,000-row EDIDS export asks for the same few
 * days again and again and Intl's formatToParts costs microseconds per call.
 */
import { AppError } from '@/lib/errors';
import { isZone } from '../zoned-time';

const QUARTER_MS = 15 * 60 * 1000;

/** The reader of one zone: wall-clock milliseconds (as if UTC) to the instant's milliseconds. */
export class ZoneClock {
  private readonly utc: boolean;
  private readonly format: Intl.DateTimeFormat | null;
  private readonly offsets = new Map<number, number>();

  constructor(readonly zone: string) {
    if (!isZone(zone))
      throw new AppError(
        'bad_request',
        `Option timezone: "${zone}" is not an IANA time zone name (e.g. Europe/Berlin).`,
      );
    this.utc = zone.toUpperCase() === 'UTC' || zone === 'Etc/UTC';
    this.format = this.utc
      ? null
      : new Intl.DateTimeFormat('en-US', {
          timeZone: zone,
          hourCycle: 'h23',
          year: 'numeric',
          month: 'numeric',
          day: 'numeric',
          hour: 'numeric',
          minute: 'numeric',
          second: 'numeric',
        });
  }

  /** The zone's offset from UTC, in milliseconds, at the instant `ms`. */
  private offsetAt(ms: number): number {
    const p: Record<string, number> = {};
    for (const part of this.format!.formatToParts(new Date(ms)))
      if (part.type !== 'literal') p[part.type] = +part.value;
    const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    return wall - (ms - (((ms % 1000) + 1000) % 1000));
  }

  /**
   * The instant of wall-clock time `wall` (milliseconds of the fields as if in UTC). A time that a
   * daylight-saving change skips is moved forward by the change, and a time it repeats is read
   * in one of its two offsets (both as Luxon resolves them).
   */
  instant(wall: number): number {
    if (this.utc) return wall;
    const quarter = Math.floor(wall / QUARTER_MS);
    let offset = this.offsets.get(quarter);
    if (offset === undefined) {
      offset = this.resolve(wall);
      if (this.offsets.size > 100_000) this.offsets.clear();
      this.offsets.set(quarter, offset);
    }
    return wall - offset;
  }

  private resolve(wall: number): number {
    const o = this.offsetAt(wall);
    const o2 = this.offsetAt(wall - o);
    if (o === o2) return o;
    const o3 = this.offsetAt(wall - o2);
    if (o2 === o3) return o2;
    // In a gap: the earlier offset, so the time moves forward.
    return Math.min(o2, o3);
  }
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Digits of `s` from `at`, `n` of them, or -1. */
function num(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * A date as SAP exports it: `YYYYMMDD` (DATS), or as a list shows it, `YYYY-MM-DD` or
 * `DD.MM.YYYY`. Returns its day in milliseconds since the epoch, `null` when empty (or SAP's
 * initial `00000000`), or `NaN` when it is not a date (`20201332`).
 */
export function sapDate(s: string): number | null {
  if (s === '' || s === '00000000') return null;
  let y: number, m: number, d: number;
  if (s.length === 8) [y, m, d] = [num(s, 0, 4), num(s, 4, 2), num(s, 6, 2)];
  else if (s.length === 10 && s[4] === '-' && s[7] === '-') [y, m, d] = [num(s, 0, 4), num(s, 5, 2), num(s, 8, 2)];
  else if (s.length === 10 && s[2] === '.' && s[5] === '.') [y, m, d] = [num(s, 6, 4), num(s, 3, 2), num(s, 0, 2)];
  else return NaN;
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > (m === 2 && leap(y) ? 29 : DAYS[m - 1])) return NaN;
  return Date.UTC(y, m - 1, d);
}

/**
 * A time as SAP exports it: `HHMMSS` (TIMS), or `HH:MM:SS`, `HH:MM`. Milliseconds into the day;
 * an empty cell is midnight; `NaN` when it is not a time.
 */
export function sapTime(s: string): number {
  if (s === '') return 0;
  let h: number, m: number, sec: number;
  if (s.length === 6) [h, m, sec] = [num(s, 0, 2), num(s, 2, 2), num(s, 4, 2)];
  else if (s.length === 8 && s[2] === ':' && s[5] === ':') [h, m, sec] = [num(s, 0, 2), num(s, 3, 2), num(s, 6, 2)];
  else if (s.length === 5 && s[2] === ':') [h, m, sec] = [num(s, 0, 2), num(s, 3, 2), 0];
  else return NaN;
  if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59) return NaN;
  return ((h * 60 + m) * 60 + sec) * 1000;
}

/**
 * A date field and its time field read together in `clock`'s zone: the instant in milliseconds,
 * null when the date is empty, or the error naming the field and the value.
 */
export function sapDateTime(
  clock: ZoneClock,
  date: { field: string; value: string },
  time: { field: string; value: string },
): { ms: number | null; error?: undefined } | { ms?: undefined; error: string } {
  const day = sapDate(date.value);
  if (day === null) return { ms: null };
  if (Number.isNaN(day)) return { error: `${date.field} "${date.value}" is not a date (YYYYMMDD)` };
  const t = sapTime(time.value);
  if (Number.isNaN(t)) return { error: `${time.field} "${time.value}" is not a time (HHMMSS)` };
  return { ms: clock.instant(day + t) };
}

const DAY_MS = 86_400_000;
const two = (n: number) => (n < 10 ? '0' : '') + n;
const three = (n: number) => (n < 10 ? '00' : n < 100 ? '0' : '') + n;
/** The last day formatted: an import's times fall on few days, and in the server build each Date costs a wrapper's call. */
let lastDay = NaN;
let lastDayIso = '';

/** An instant as ISO 8601 in UTC (`2026-11-20T09:00:00.000Z`), as Date's toISOString writes it. */
export function isoOf(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  if (day !== lastDay) {
    const iso = new Date(day * DAY_MS).toISOString(); // throws RangeError for an invalid time, as toISOString does
    lastDayIso = iso.slice(0, iso.indexOf('T') + 1);
    lastDay = day;
  }
  let rest = ms - day * DAY_MS;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  return `${lastDayIso}${two(h)}:${two(m)}:${two(s)}.${three(rest - s * 1000)}Z`;
}
