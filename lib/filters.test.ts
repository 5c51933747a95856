import { describe, expect, it } from 'vitest';
import { scopeFromParams, scopeQuery } from './filters';

const NOW = new Date('2026-11-27T10:15:30Z');

describe('page scope from the URL', () => {
  it('defaults to the last 24 hours and reads presets', () => {
    const s = scopeFromParams({}, NOW);
    expect(s.range).toBe('24h');
    expect(s.to.toISOString()).toBe('2026-11-27T10:16:00.000Z');
    expect(s.to.getTime() - s.from.getTime()).toBe(24 * 3_600_000);
    expect(scopeFromParams({ range: '7d', facility: 'DC2' }, NOW)).toMatchObject({ range: '7d', facility: 'DC2' });
  });

  it('reads custom dates as UTC and ignores them unless the range is custom', () => {
    const s = scopeFromParams({ range: 'custom', from: '2026-11-20T10:00', to: '2026-11-21T10:00' }, NOW);
    expect(s).toMatchObject({ range: 'custom' });
    expect(s.from.toISOString()).toBe('2026-11-20T10:00:00.000Z');
    expect(scopeFromParams({ range: '7d', from: '2026-11-20T10:00', to: '2026-11-21T10:00' }, NOW).range).toBe('7d');
    expect(scopeFromParams({ range: 'custom', from: '2026-11-21T10:00', to: '2026-11-20T10:00' }, NOW).range).toBe(
      '24h',
    );
  });

  it('round-trips through a query string', () => {
    const s = scopeFromParams(
      { range: 'custom', from: '2026-11-20T10:00:00Z', to: '2026-11-21T10:00:00Z', facility: 'DC1' },
      NOW,
    );
    const back = scopeFromParams(Object.fromEntries(new URLSearchParams(scopeQuery(s))), NOW);
    expect(back).toEqual(s);
  });
});

describe('custom windows a page cannot show', () => {
  it('fall back to the preset with a notice saying why', () => {
    const cases: [Record<string, string>, string][] = [
      [
        { range: 'custom', from: '2026-01-01T00:00:00Z', to: '9999-12-31T23:59:59Z' },
        'dates must lie between 1900 and 9999',
      ],
      [
        { range: 'custom', from: '0001-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' },
        'dates must lie between 1900 and 9999',
      ],
      [{ range: 'custom', from: '2020-01-01T00:00', to: '2026-01-01T00:00' }, 'a custom window spans at most 3 years'],
      [{ range: 'custom', from: '2026-11-21T10:00', to: '2026-11-20T10:00' }, 'From must be before To'],
      [{ range: 'custom', from: 'yesterday', to: '2026-11-20T10:00' }, 'From and To must be dates and times'],
      [{ range: 'custom', from: '2026-11-20T10:00' }, 'a custom window needs both From and To'],
    ];
    for (const [params, why] of cases) {
      const s = scopeFromParams(params, NOW);
      expect(s.range).toBe('24h');
      expect(s.notice).toBe(`The custom window was not used (${why}); showing the last 24 hours.`);
    }
    // Three years and the years' edges are fine.
    expect(scopeFromParams({ range: 'custom', from: '2023-11-28T00:00', to: '2026-11-27T00:00' }, NOW)).toMatchObject({
      range: 'custom',
    });
    expect(scopeFromParams({ range: 'custom', from: '1900-01-01T00:00', to: '1900-01-02T00:00' }, NOW)).toMatchObject({
      range: 'custom',
    });
    expect(scopeFromParams({ range: 'custom', from: '9998-12-31T00:00', to: '9999-01-01T00:00' }, NOW)).toMatchObject({
      range: 'custom',
    });
    expect(scopeFromParams({}, NOW).notice).toBeUndefined();
  });
});
