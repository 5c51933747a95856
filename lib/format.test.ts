import { describe, expect, it } from 'vitest';
import { changeRatio, formatChange } from '@/lib/format';

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
