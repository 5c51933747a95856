import { describe, expect, it } from 'vitest';
import { formatTileChange, MIN_RATIO_BASIS, tileChange } from '@/lib/kpi/change';

const enough = { now: 500, before: 400 };
const show = (
  now: number | null,
  before: number | null,
  basis: { now: number; before: number },
  format: Parameters<typeof formatTileChange>[1],
) => {
  const c = tileChange(now, before, basis);
  return c && formatTileChange(c, format);
};

describe('tile change against the previous period', () => {
  it('is a ratio when both periods rest on enough data and the previous value is above 0', () => {
    expect(show(2762, 2352, { now: 2762, before: 2352 }, 'count')).toBe('▲ 17%');
    expect(show(1_590, 1_660, enough, 'duration')).toBe('▼ 4.2%');
    expect(show(6_600, 83, enough, 'duration')).toBe('▲ 80×');
    expect(tileChange(1, 1, { now: MIN_RATIO_BASIS, before: MIN_RATIO_BASIS })).toEqual({ kind: 'ratio', ratio: 0 });
  });

  it('is the absolute difference when the previous period had almost no data', () => {
    // The p95 of a handful of delivered messages against a full period: not "▲ 69×".
    expect(show(1_380, 20, { now: 900, before: 3 }, 'duration')).toBe('▲ +1.4 s');
    expect(tileChange(1_380, 20, { now: 900, before: MIN_RATIO_BASIS - 1 })).toEqual({
      kind: 'absolute',
      delta: 1_360,
    });
    expect(show(200, 2_000, { now: 4, before: 900 }, 'duration')).toBe('▼ -1.8 s');
  });

  it('is the absolute difference when the previous value is 0 or a small count', () => {
    expect(show(12, 0, { now: 12, before: 0 }, 'count')).toBe('▲ +12');
    expect(show(0, 0, { now: 0, before: 0 }, 'count')).toBe('■ no change');
    expect(show(0.25, 0, { now: 4_000, before: 3_000 }, 'percent')).toBe('▲ +25 pp');
    expect(show(0.012, 0.02, { now: 4_000, before: 3_000 }, 'percent')).toBe('▼ 40%');
    expect(show(0.004, 0, { now: 4_000, before: 3_000 }, 'percent')).toBe('▲ +0.4 pp');
    expect(show(150, 10, { now: 150, before: 10 }, 'minutes')).toBe('▲ +2.3 h');
  });

  it('is nothing when either period has no value', () => {
    expect(tileChange(null, 5, enough)).toBeNull();
    expect(tileChange(5, null, enough)).toBeNull();
  });
});
