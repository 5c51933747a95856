/**
 * Durations of SPEC 9 as they are written in rules: a whole number and a unit, `30s`, `5m`, `1h`,
 * `7d`, or several of them from the largest unit down (`1h30m`).
 */
const UNITS = { d: 86_400, h: 3_600, m: 60, s: 1 } as const;
const PATTERN = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** What an error says a duration looks like. */
export const DURATION_HINT = 'a duration like 30s, 5m, 1h or 7d';

/** Seconds of a duration, or NaN when the text is not one. */
export function parseDurationOrNaN(text: string): number {
  const m = PATTERN.exec(text.trim());
  if (!m || text.trim() === '') return NaN;
  const [, d, h, min, s] = m;
  return Number(d ?? 0) * UNITS.d + Number(h ?? 0) * UNITS.h + Number(min ?? 0) * UNITS.m + Number(s ?? 0) * UNITS.s;
}

/** Seconds of a duration ('30s', '5m', '1h', '7d', '1h30m'); throws on anything else. */
export function parseDuration(text: string): number {
  const n = parseDurationOrNaN(text);
  if (!Number.isFinite(n)) throw new RangeError(`"${text}" is not ${DURATION_HINT}`);
  return n;
}

/** The shortest text for a number of seconds ('0s', '90s' → '1m30s', 3600 → '1h'). */
export function formatDuration(seconds: number): string {
  let left = Math.max(0, Math.round(seconds));
  if (left === 0) return '0s';
  let out = '';
  for (const [unit, size] of Object.entries(UNITS)) {
    const n = Math.floor(left / size);
    if (n) out += `${n}${unit}`;
    left -= n * size;
  }
  return out;
}
