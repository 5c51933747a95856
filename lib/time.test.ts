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
  const base = Date.parse(
    `${y}-${mo}-${d}T${h}:${mi}:${sec}${zone.length === 3 ? zone + ':00' : zone.length === 5 ? zone.slice(0, 3) + ':' + zone.slice(3) : zone}`,
  );
  if (Number.isNaN(base)) return null;
  const check = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +sec));
  if (check.getUTCMonth() !== +mo - 1 || check.getUTCDate() !== +d || +h > 23 || +mi > 59 || +sec > 59) return null;
  return base * 1000 + micros(frac);
}

/** A fraction of a second as Postgres reads it: the digits as a double, to the microsecond, ties to even. */
function micros(frac: string): number {
  if (frac.length <= 6) return Number((frac + '000000').slice(0, 6));
  const x = Number(`0.${frac}`) * 1e6;
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The regular-expression implementation that the character scanner replaced, as it was. */
function viaRegex(s: string): number | null {
  const m = ISO.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi] = [+m[1], +m[2], +m[3], +m[4], +m[5]];
  const sec = m[6] === undefined ? 0 : +m[6];
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
  const ms =
    y < 100 ? Date.UTC(y + 400, mo - 1, d, h, mi, sec) - 12_622_780_800_000 : Date.UTC(y, mo - 1, d, h, mi, sec);
  const frac = m[7] === undefined ? 0 : micros(m[7]);
  return (ms - offsetMin * 60_000) * 1000 + frac;
}

describe('toMicros', () => {
  it('reads exactly what the regular expression it replaced read, on valid and mangled stamps (property)', () => {
    const valid = fc
      .tuple(
        fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.stringMatching(/^(|\.[0-9]{1,9}|,[0-9]{1,3}|:[0-9]{2}|)$/),
        fc.constantFrom('Z', 'z', '+05:30', '-0800', '+14', '-00:00', '+2400', '+01:60'),
      )
      .map(([d, tail, zone]) => {
        const iso = d.toISOString();
        const body = iso.startsWith('+') || iso.startsWith('-') ? `0001${iso.slice(7, 19)}` : iso.slice(0, 19);
        return `${body}${tail}${zone}`;
      });
    const mangled = fc
      .tuple(
        valid,
        fc.array(
          fc.tuple(
            fc.nat(),
            fc.constantFrom('delete', 'insert', 'replace'),
            fc.constantFrom(...'0123456789-:Tt zZ+.,x'.split('')),
          ),
          { maxLength: 3 },
        ),
      )
      .map(([s, edits]) => {
        for (const [at, op, ch] of edits) {
          const i = at % (s.length + 1);
          s =
            op === 'delete'
              ? s.slice(0, i) + s.slice(i + 1)
              : op === 'insert'
                ? s.slice(0, i) + ch + s.slice(i)
                : s.slice(0, i) + ch + s.slice(i + 1);
        }
        return s;
      });
    fc.assert(
      fc.property(fc.oneof(valid, mangled, fc.string({ maxLength: 40 })), (s) => {
        expect(toMicros(s)).toBe(viaRegex(s));
      }),
      { numRuns: 50000 },
    );
  });

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
        fc.oneof(
          fc.constantFrom('Z', 'z'),
          fc
            .tuple(fc.constantFrom('+', '-'), two(25), fc.constantFrom('', ':'), fc.option(two(61)))
            .map(([s, h, c, m]) => `${s}${h}${m === null ? '' : c + m}`),
        ),
      )
      .map(
        ([y, mo, d, t, h, mi, secs, zone]) =>
          `${y}-${mo}-${d}${t}${h}:${mi}${secs ? `:${secs[0]}${secs[1] === null ? '' : '.' + secs[1]}` : ''}${zone}`,
      );
    fc.assert(
      fc.property(stamp, (s) => {
        expect(toMicros(s)).toBe(viaDateParse(s));
      }),
      { numRuns: 20000 },
    );
  });

  it('rounds a fraction past the microsecond as Postgres does, carrying into the second', () => {
    const at = Date.UTC(2026, 10, 20, 10) * 1000;
    expect(toMicros('2026-11-20T10:00:00.1234564Z')).toBe(at + 123456);
    expect(toMicros('2026-11-20T10:00:00.1234566Z')).toBe(at + 123457);
    expect(toMicros('2026-11-20T10:00:00.9999996Z')).toBe(at + 1_000_000);
    expect(toMicros('2026-11-20T10:00:00,0000005Z')).toBe(at); // a tie, to the even microsecond
    expect(toMicros('2026-11-20T10:00:00.0000015Z')).toBe(at + 2);
  });

  it('keeps microseconds and rejects what is not a timestamp with a zone', () => {
    expect(toMicros('2026-11-20T10:00:00.123456Z')).toBe(Date.UTC(2026, 10, 20, 10) * 1000 + 123456);
    expect(toMicros('2024-02-29T00:00:00+05:30')).toBe((Date.UTC(2024, 1, 29) - 330 * 60_000) * 1000);
    expect(toMicros('0050-06-01T00:00:00Z')).toBe(Date.parse('0050-06-01T00:00:00Z') * 1000);
    expect(toMicros('0004-02-29T00:00:00Z')).toBe(Date.parse('0004-02-29T00:00:00Z') * 1000);
    expect(toMicros('0100-02-29T00:00:00Z')).toBeNull();
    expect(toMicros('0000-06-01T00:00:00Z')).toBeNull(); // Postgres refuses year 0: a 4xx, not a failed COPY
    for (const bad of [
      '2026-02-29T00:00:00Z',
      '2026-11-20T10:00:00',
      '2026-11-20T24:00:00Z',
      '2026-13-01T00:00:00Z',
      'now',
    ])
      expect(toMicros(bad)).toBeNull();
  });
});
