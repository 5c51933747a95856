import { describe, expect, it } from 'vitest';
import { makeNonce, pageCsp, servedOverHttps, staticSecurityHeaders } from '@/lib/http/security-headers';

describe('security headers', () => {
  it("a page's policy: scripts by nonce only, inline styles allowed, framed by nobody unless named", () => {
    const csp = pageCsp({ nonce: 'abc' });
    expect(csp).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(csp).not.toContain("script-src 'self' 'unsafe-inline'");
    // A nonce in style-src would switch 'unsafe-inline' off, and React's style attributes with it.
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(pageCsp({ nonce: 'n', frameAncestors: ['https://a.example', 'http://b.example:8080'] })).toContain(
      'frame-ancestors https://a.example http://b.example:8080',
    );
    expect(pageCsp({ nonce: 'n', https: true })).toContain('upgrade-insecure-requests');
  });

  it('makes a fresh nonce each time', () => {
    const a = makeNonce();
    expect(a).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(makeNonce()).not.toBe(a);
  });

  it('https when the proxy says so or the public URL is https', () => {
    expect(servedOverHttps(new Headers({ 'x-forwarded-proto': 'https' }))).toBe(true);
    expect(servedOverHttps(new Headers({ 'x-forwarded-proto': 'http' }))).toBe(false);
    expect(servedOverHttps(new Headers(), 'https://sync.example.com')).toBe(true);
    expect(servedOverHttps(new Headers(), 'http://localhost:3000')).toBe(false);
  });

  it('next.config headers: HSTS only for requests that came over https', () => {
    const rules = staticSecurityHeaders();
    const all = rules.filter((r) => !r.has).flatMap((r) => r.headers.map((h) => h.key));
    expect(all).toEqual(
      expect.arrayContaining(['X-Content-Type-Options', 'Referrer-Policy', 'Content-Security-Policy']),
    );
    expect(all).not.toContain('Strict-Transport-Security');
    const https = rules.find((r) => r.has)!;
    expect(https.has).toEqual([{ type: 'header', key: 'x-forwarded-proto', value: 'https' }]);
    expect(https.headers.map((h) => h.key)).toEqual(['Strict-Transport-Security']);
  });
});
