import { describe, expect, it } from 'vitest';
import { assertSameSiteMutation, JSON_BODY } from '@/lib/auth/csrf';
import { AppError } from '@/lib/errors';

const at = (method: string, headers: Record<string, string>, body?: string) =>
  new Request('http://127.0.0.1:3000/api/admin/glossary', {
    method,
    headers: { host: '127.0.0.1:3000', ...headers },
    body,
  });

function refusal(req: Request, publicUrl?: string): string | null {
  try {
    assertSameSiteMutation(req, JSON_BODY, publicUrl);
    return null;
  } catch (e) {
    if (e instanceof AppError) return `${e.status} ${e.code}`;
    throw e;
  }
}

describe('a signed-in change must come from this site, with a body the route reads', () => {
  const json = { 'content-type': 'application/json' };

  it('passes the same origin with JSON, and every safe method whatever it says', () => {
    expect(refusal(at('POST', { ...json, origin: 'http://127.0.0.1:3000' }, '{}'))).toBeNull();
    expect(refusal(at('GET', { origin: 'https://evil.example' }))).toBeNull();
    expect(refusal(at('HEAD', {}))).toBeNull();
  });

  it('refuses another origin, a null origin and another site, whatever the body', () => {
    expect(refusal(at('POST', { ...json, origin: 'https://evil.example' }, '{}'))).toBe('403 cross_origin');
    expect(refusal(at('POST', { 'content-type': 'text/plain', origin: 'https://evil.example' }, '{}'))).toBe(
      '403 cross_origin',
    );
    expect(refusal(at('DELETE', { origin: 'null' }))).toBe('403 cross_origin');
    expect(refusal(at('POST', { ...json, origin: 'http://127.0.0.1:3001' }, '{}'))).toBe('403 cross_origin');
    expect(refusal(at('PATCH', { ...json, 'sec-fetch-site': 'same-site' }, '{}'))).toBe('403 cross_origin');
    expect(refusal(at('PUT', { ...json, referer: 'https://evil.example/page' }, '{}'))).toBe('403 cross_origin');
  });

  it('without Origin, takes Sec-Fetch-Site same-origin or a Referer of this site; with none of them, refuses', () => {
    expect(refusal(at('POST', { ...json, 'sec-fetch-site': 'same-origin' }, '{}'))).toBeNull();
    expect(refusal(at('POST', { ...json, referer: 'http://127.0.0.1:3000/admin' }, '{}'))).toBeNull();
    expect(refusal(at('POST', json, '{}'))).toBe('403 cross_origin');
  });

  it('refuses a body that is not JSON from this very site (415); a change without a body has no type', () => {
    const own = { origin: 'http://127.0.0.1:3000' };
    expect(refusal(at('POST', { ...own, 'content-type': 'text/plain' }, '{}'))).toBe('415 unsupported_media_type');
    expect(refusal(at('PUT', { ...own, 'content-type': 'application/x-www-form-urlencoded' }, 'a=1'))).toBe(
      '415 unsupported_media_type',
    );
    expect(refusal(at('POST', { ...own, 'content-type': 'application/json; charset=utf-8' }, '{}'))).toBeNull();
    expect(refusal(at('DELETE', own))).toBeNull();
    expect(refusal(at('POST', { ...own, 'content-length': '0' }))).toBeNull();
  });

  it('knows its origin behind a proxy and from NEXTAUTH_URL', () => {
    const proxied = { ...json, 'x-forwarded-host': 'sync.example.com', 'x-forwarded-proto': 'https' };
    expect(refusal(at('POST', { ...proxied, origin: 'https://sync.example.com' }, '{}'))).toBeNull();
    expect(refusal(at('POST', { ...proxied, origin: 'http://sync.example.com' }, '{}'))).toBe('403 cross_origin');
    const viaUrl = at('POST', { ...json, origin: 'https://dash.example.com' }, '{}');
    expect(refusal(viaUrl, 'https://dash.example.com/')).toBeNull();
    expect(refusal(viaUrl)).toBe('403 cross_origin');
  });
});
