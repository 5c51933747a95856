import { describe, expect, it } from 'vitest';
import { unusableAddressParts } from '@/lib/http/address';

const parts = (s: string) => unusableAddressParts(new URL(s, 'http://localhost'));

describe('unusableAddressParts', () => {
  it('names each query parameter and the path holding a NUL, once each', () => {
    expect(parts('/tiles?facility=%00&range=24h')).toEqual(['facility: holds a NUL character (%00)']);
    expect(parts('/api/export/messages?q=a%00&q=b%00&to=x')).toEqual(['q: holds a NUL character (%00)']);
    expect(parts('/api/v1/messages/M%00-1')).toEqual(['path: holds a NUL character (%00)']);
    expect(parts('/x?a%00b=1')).toEqual(['a\\0b: holds a NUL character (%00)']);
  });

  it('names a path segment whose escapes do not decode: not hex, not UTF-8, a lone surrogate', () => {
    expect(parts('/api/admin/users/%ZZ')).toEqual(['path: holds a malformed percent-escape (%ZZ)']);
    expect(parts('/api/admin/users/%C0%AF')).toEqual(['path: holds a malformed percent-escape (%C0%AF)']);
    expect(parts('/exceptions/%ED%A0%80')).toEqual(['path: holds a malformed percent-escape (%ED%A0%80)']);
    expect(parts('/x%E0%A4%A?q=1')).toEqual(['path: holds a malformed percent-escape (x%E0%A4%A)']);
    expect(parts('/a/%ZZ?facility=%00')).toEqual([
      'path: holds a malformed percent-escape (%ZZ)',
      'facility: holds a NUL character (%00)',
    ]);
  });

  it('passes everything else, malformed escapes in the query and other control characters included', () => {
    for (const s of [
      '/',
      '/tiles?facility=DC1&range=7d',
      '/x?q=%FF%E0',
      '/x?q=%01%1F',
      '/api/v1/messages/%25',
    ] as const)
      expect(parts(s)).toEqual([]);
  });
});
