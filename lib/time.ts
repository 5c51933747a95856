/**
 * Timestamps kept to the microsecond (Postgres precision) as integer microseconds since the epoch,
 * so comparisons of `updatedAt` are exact and never rounded through a Date.
 */
const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)$/i;

export function isIsoWithZone(s: string): boolean {
  return ISO.test(s) && toMicros(s) !== null;
}

export function toMicros(s: string): number | null {
  const m = ISO.exec(s);
  if (!m) return null;
  const [, y, mo, d, h, mi, sec = '00', frac = '', zone] = m;
  const base = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${sec}${zone.length === 3 ? zone + ':00' : zone.length === 5 ? zone.slice(0, 3) + ':' + zone.slice(3) : zone}`);
  if (Number.isNaN(base)) return null;
  // Reject calendar overflow (2026-02-30) that Date.parse would roll over.
  const check = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +sec));
  if (check.getUTCMonth() !== +mo - 1 || check.getUTCDate() !== +d || +h > 23 || +mi > 59 || +sec > 59) return null;
  const micros = Number((frac + '000000').slice(0, 6));
  return base * 1000 + micros;
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
