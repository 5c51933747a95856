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
    expect(scopeFromParams({ range: 'custom', from: '2026-11-21T10:00', to: '2026-11-20T10:00' }, NOW).range).toBe('24h');
  });

  it('round-trips through a query string', () => {
    const s = scopeFromParams({ range: 'custom', from: '2026-11-20T10:00:00Z', to: '2026-11-21T10:00:00Z', facility: 'DC1' }, NOW);
    const back = scopeFromParams(Object.fromEntries(new URLSearchParams(scopeQuery(s))), NOW);
    expect(back).toEqual(s);
  });
});
