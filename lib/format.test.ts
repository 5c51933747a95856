import { describe, expect, it } from 'vitest';
import { changeRatio, durationTicks, formatChange, formatTick } from '@/lib/format';

describe('formatChange', () => {
  it('shows a percentage with one decimal below 10%, none above', () => {
    expect(formatChange(changeRatio(2762, 2352)!)).toBe('▲ 17%');
    expect(formatChange(changeRatio(1.59, 1.66)!)).toBe('▼ 4.2%');
    expect(formatChange(0)).toBe('■ 0.0%');
    expect(formatChange(-1)).toBe('▼ 100%');
    expect(formatChange(8.99)).toBe('▲ 899%');
  });

  it('shows a multiple once the value is ten times the previous or more', () => {
    expect(formatChange(changeRatio(10, 1)!)).toBe('▲ 10×');
    expect(formatChange(changeRatio(660, 8.3)!)).toBe('▲ 80×');
    expect(formatChange(changeRatio(12_345, 1)!)).toBe('▲ 12,345×');
  });
});

describe('axis ticks', () => {
  it('counts a duration axis in round seconds, minutes, hours or days', () => {
    expect(durationTicks(220_000)).toEqual([0, 60_000, 120_000, 180_000, 240_000]);
    expect(durationTicks(42_000)).toEqual([0, 15_000, 30_000, 45_000]);
    expect(durationTicks(3_000)).toEqual([0, 1000, 2000, 3000]);
    expect(durationTicks(5 * 3_600_000 + 1)).toEqual([0, 2, 4, 6].map((h) => h * 3_600_000));
    expect(durationTicks(400 * 86_400_000)).toEqual([0, 100, 200, 300, 400].map((d) => d * 86_400_000));
    expect(durationTicks(800)).toBeNull();
    expect(durationTicks(Number.NaN)).toBeNull();
  });

  it('leaves off the decimals a round tick does not need', () => {
    expect(durationTicks(220_000)!.map((v) => formatTick(v, 'duration'))).toEqual([
      '0',
      '1 min',
      '2 min',
      '3 min',
      '4 min',
    ]);
    expect([0, 0.05, 0.1, 0.125].map((v) => formatTick(v, 'percent'))).toEqual(['0%', '5%', '10%', '12.5%']);
    expect(formatTick(1.5 * 60_000, 'duration')).toBe('1.5 min');
    expect(formatTick(12_345, 'count')).toBe('12,345');
  });
});
