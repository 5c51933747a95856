import { describe, expect, it } from 'vitest';
import { periodQuery, reviewPeriod } from '@/lib/review/period';

// A Saturday, early in the morning (UTC).
const now = new Date('2026-11-28T01:00:00Z');
const span = (p: { from: Date; to: Date }) => [p.from.toISOString(), p.to.toISOString()];

describe('the period of a review, from the URL', () => {
  // The last whole period of each cadence, the default, and the midnights (UTC) it runs from and to.
  it.each([
    {
      cadence: 'daily',
      value: '2026-11-27',
      key: '2026-11-27',
      label: 'Friday, 27 November 2026',
      previous: '2026-11-26',
      next: '2026-11-28',
      from: '2026-11-27',
      to: '2026-11-28',
    },
    {
      cadence: 'weekly',
      value: '2026-11-16',
      key: '2026-11-16',
      label: 'week of 16 November to 22 November 2026',
      previous: '2026-11-09',
      next: '2026-11-23',
      from: '2026-11-16',
      to: '2026-11-23',
    },
    {
      cadence: 'monthly',
      value: '2026-10',
      key: '2026-10-01',
      label: 'October 2026',
      previous: '2026-09',
      next: '2026-11',
      from: '2026-10-01',
      to: '2026-11-01',
    },
  ] as const)('is by default the last whole period of a $cadence review', ({ cadence, from, to, ...want }) => {
    const last = reviewPeriod(cadence, {}, now);
    expect(last).toMatchObject(want);
    expect(span(last)).toEqual([`${from}T00:00:00.000Z`, `${to}T00:00:00.000Z`]);
  });

  it('is a day that is named, and never one ahead', () => {
    // Today may be opened; it has no next day yet.
    expect(reviewPeriod('daily', { day: '2026-11-28' }, now)).toMatchObject({ value: '2026-11-28', next: null });
    for (const day of ['2026-11-29', '2026-02-30', 'yesterday', ''])
      expect(reviewPeriod('daily', { day }, now).value).toBe('2026-11-27');
    // Across a month and a year.
    expect(reviewPeriod('daily', { day: '2026-03-01' }, now).previous).toBe('2026-02-28');
    expect(reviewPeriod('daily', { day: '2025-12-31' }, now).next).toBe('2026-01-01');
  });

  it('says why a period in the URL was not used, and says nothing when none was given or it was used', () => {
    expect(reviewPeriod('daily', { day: '2026-02-30' }, now).notice).toBe(
      'The day in the address was not used (day "2026-02-30" is not a calendar day, YYYY-MM-DD); showing the last whole day.',
    );
    expect(reviewPeriod('daily', { day: '2026-11-29' }, now).notice).toBe(
      'The day in the address was not used (day 2026-11-29 lies ahead); showing the last whole day.',
    );
    expect(reviewPeriod('weekly', { week: '2026-W47' }, now).notice).toBe(
      'The week in the address was not used (week "2026-W47" is not a calendar day, YYYY-MM-DD); showing the last whole week.',
    );
    expect(reviewPeriod('monthly', { month: '2026-13' }, now).notice).toBe(
      'The month in the address was not used (month "2026-13" is not a month, YYYY-MM); showing the last whole month.',
    );
    for (const p of [
      reviewPeriod('daily', {}, now),
      reviewPeriod('daily', { day: '' }, now),
      reviewPeriod('daily', { day: '2026-11-28' }, now),
      reviewPeriod('monthly', { month: '2026-11' }, now),
    ]) {
      expect(p.notice).toBeUndefined();
    }
  });

  it('is a Monday-to-Sunday week named by any of its days', () => {
    expect(reviewPeriod('weekly', { week: '2026-11-22' }, now).value).toBe('2026-11-16'); // a Sunday
    expect(reviewPeriod('weekly', { week: '2026-11-16' }, now).value).toBe('2026-11-16');
    // this week
    expect(reviewPeriod('weekly', { week: '2026-11-26' }, now)).toMatchObject({ value: '2026-11-23', next: null });
    expect(reviewPeriod('weekly', { week: '2026-12-01' }, now).value).toBe('2026-11-16');
    // A week across the new year.
    expect(span(reviewPeriod('weekly', { week: '2026-01-01' }, now))).toEqual([
      '2025-12-29T00:00:00.000Z',
      '2026-01-05T00:00:00.000Z',
    ]);
  });

  it('is a calendar month', () => {
    expect(span(reviewPeriod('monthly', { month: '2026-02' }, now))).toEqual([
      '2026-02-01T00:00:00.000Z',
      '2026-03-01T00:00:00.000Z',
    ]);
    expect(reviewPeriod('monthly', { month: '2026-01' }, now).previous).toBe('2025-12');
    expect(reviewPeriod('monthly', { month: '2026-11' }, now)).toMatchObject({ value: '2026-11', next: null });
    for (const month of ['2026-12', '2026-13', '2026-1', '2026-10-05'])
      expect(reviewPeriod('monthly', { month }, now).value).toBe('2026-10');
  });

  it('keeps the facility, and builds the links to other periods with it', () => {
    const p = reviewPeriod('weekly', { week: '2026-11-18', facility: ' DC1 ' }, now);
    expect(p.facility).toBe('DC1');
    expect(periodQuery(p)).toBe('week=2026-11-16&facility=DC1');
    expect(periodQuery(p, { value: p.previous })).toBe('week=2026-11-09&facility=DC1');
    expect(periodQuery(p, { facility: null })).toBe('week=2026-11-16');
    expect(reviewPeriod('daily', { facility: '' }, now).facility).toBeNull();
  });
});
