import fc from 'fast-check';
import { expect, it } from 'vitest';
import { isoOf } from './sap-time';

it("isoOf writes what Date's toISOString writes, for any instant Date can hold (property)", () => {
  const max = 8.64e15;
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -max, max }), { minLength: 1, maxLength: 20 }), (list) => {
      for (const ms of list) expect(isoOf(ms)).toBe(new Date(ms).toISOString());
    }),
    { numRuns: 500 },
  );
  // Times of one day in a row, and either side of midnight and of the epoch (the day's cache).
  for (const ms of [
    0,
    -1,
    1,
    86_399_999,
    86_400_000,
    -86_400_000,
    -86_400_001,
    Date.UTC(2026, 10, 20, 23, 59, 59, 999),
  ])
    expect(isoOf(ms)).toBe(new Date(ms).toISOString());
  expect(() => isoOf(NaN)).toThrow(RangeError);
});
