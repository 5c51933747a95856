import { describe, expect, it } from 'vitest';
import { flatParams, withParams } from '@/lib/http/search-params';

describe('flatParams', () => {
  it('keeps the first value of a repeated key, from a page or from a route handler alike', () => {
    expect(flatParams({ a: ['1', '2'], b: 'x', c: undefined })).toEqual({ a: '1', b: 'x', c: undefined });
    expect(flatParams(new URLSearchParams('a=1&a=2&b=x'))).toEqual({ a: '1', b: 'x' });
  });
});

describe('withParams', () => {
  it('changes one parameter and keeps the others, dropping empty ones', () => {
    expect(withParams({ facility: 'DC1', page: '3' }, { page: null, kind: 'lot' })).toBe('?facility=DC1&kind=lot');
    expect(withParams({ q: '' }, {})).toBe('?');
  });
});
