/**
 * Timestamps kept to the microsecond (Postgres precision) as integer microseconds since the epoch,
 * so comparisons of `updatedAt` are exact and never rounded through a Date.
 */
const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)$/i;

export function isIsoWithZone(s: string): boolean {
  return toMicros(s) !== null;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Microseconds since the epoch of an ISO 8601 timestamp with a zone, or null when it is not one
 * (calendar overflow such as 2026-02-30 included). Plain arithmetic on the matched fields: a
 * record's three timestamps are read several times on the ingest's hot path.
 */
export function toMicros(s: string): number | null {
  const m = ISO.exec(s);
  if (!m) return null;
  const y = +m[1];
  const mo = +m[2];
  const d = +m[3];
  const h = +m[4];
  const mi = +m[5];
  const sec = m[6] === undefined ? 0 : +m[6];
  // Year 0 has no place in Postgres timestamps; it refuses it.
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59) return null;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > (mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo - 1])) return null;
  const zone = m[8];
  let offsetMin = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const zh = +zone.slice(1, 3);
    const zm = zone.length > 3 ? +zone.slice(-2) : 0;
    if (zh > 23 || zm > 59) return null;
    offsetMin = (zone[0] === '-' ? -1 : 1) * (zh * 60 + zm);
  }
  // Date.UTC reads years 0–99 as 1900–1999: count from 400 years later (the same calendar) instead.
  const ms = y < 100 ? Date.UTC(y + 400, mo - 1, d, h, mi, sec) - 12_622_780_800_000 : Date.UTC(y, mo - 1, d, h, mi, sec);
  const frac = m[7] === undefined ? 0 : Number((m[7] + '000000').slice(0, 6));
  return (ms - offsetMin * 60_000) * 1000 + frac;
}

export function microsToIso(us: number): string {
  const ms = Math.floor(us / 1000);
  const rest = us - ms * 1000;
  const iso = new Date(ms).toISOString();
  return rest ? iso.replace('Z', String(rest).padStart(3, '0') + 'Z') : iso;
}

export const HOUR_US = 3_600_000_000;
export const DAY_US = 24 * HOUR_US;
export const floorTo = (us: number, unit: number) => Math.floor(us / unit) * unit;
