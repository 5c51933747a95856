import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { toMicros } from '@/lib/time';

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)$/i;

/**
 * The first implementation, through Date.parse: the reference the arithmetic one must agree with
 * from year 100 on (below, its leap-day check read years 0–99 as 1900–1999).
 */
function viaDateParse(s: string): number | null {
  const m = ISO.exec(s);
  if (!m) return null;
  const [, y, mo, d, h, mi, sec = '00', frac = '', zone] = m;
  const base = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${sec}${zone.length === 3 ? zone + ':00' : zone.length === 5 ? zone.slice(0, 3) + ':' + zone.slice(3) : zone}`);
  if (Number.isNaN(base)) return null;
  const check = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +sec));
  if (check.getUTCMonth() !== +mo - 1 || check.getUTCDate() !== +d || +h > 23 || +mi > 59 || +sec > 59) return null;
  return base * 1000 + Number((frac + '000000').slice(0, 6));
}

describe('toMicros', () => {
  it('agrees with Date.parse on any date, time, fraction and zone (property)', () => {
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const stamp = fc
      .tuple(
        fc.integer({ min: 100, max: 9999 }).map((n) => String(n).padStart(4, '0')),
        two(13),
        two(32),
        fc.constantFrom('T', ' ', 't'),
        two(25),
        two(61),
        fc.option(fc.tuple(two(61), fc.option(fc.stringMatching(/^[0-9]{1,9}$/)))),
        fc.oneof(fc.constantFrom('Z', 'z'), fc.tuple(fc.constantFrom('+', '-'), two(25), fc.constantFrom('', ':'), fc.option(two(61))).map(([s, h, c, m]) => `${s}${h}${m === null ? '' : c + m}`)),
      )
      .map(([y, mo, d, t, h, mi, secs, zone]) => `${y}-${mo}-${d}${t}${h}:${mi}${secs ? `:${secs[0]}${secs[1] === null ? '' : '.' + secs[1]}` : ''}${zone}`);
    fc.assert(
      fc.property(stamp, (s) => {
        expect(toMicros(s)).toBe(viaDateParse(s));
      }),
      { numRuns: 20000 },
    );
  });

  it('keeps microseconds and rejects what is not a timestamp with a zone', () => {
    expect(toMicros('2026-11-20T10:00:00.123456Z')).toBe(Date.UTC(2026, 10, 20, 10) * 1000 + 123456);
    expect(toMicros('2024-02-29T00:00:00+05:30')).toBe((Date.UTC(2024, 1, 29) - 330 * 60_000) * 1000);
    expect(toMicros('0050-06-01T00:00:00Z')).toBe(Date.parse('0050-06-01T00:00:00Z') * 1000);
    expect(toMicros('0004-02-29T00:00:00Z')).toBe(Date.parse('0004-02-29T00:00:00Z') * 1000);
    expect(toMicros('0100-02-29T00:00:00Z')).toBeNull();
    expect(toMicros('0000-06-01T00:00:00Z')).toBeNull(); // Postgres refuses year 0: a 4xx, not a failed COPY
    for (const bad of ['2026-02-29T00:00:00Z', '2026-11-20T10:00:00', '2026-11-20T24:00:00Z', '2026-13-01T00:00:00Z', 'now']) expect(toMicros(bad)).toBeNull();
  });
});
