import { describe, expect, it } from 'vitest';
import { safeCallbackPath } from '@/lib/auth/callback';
import { authOptions } from '@/lib/auth/options';

const ORIGIN = 'http://127.0.0.1:3000';

/** Addresses that would leave the origin (or run script) if a browser were sent to them. */
const HOSTILE: unknown[] = [
  '//evil.example',
  '//evil.example/path',
  '/\\evil.example',
  '\\\\evil.example',
  '/\\/evil.example',
  '\\/evil.example',
  '/%5Cevil.example'.replace('%5C', '\\'), // what the page receives for /login?callbackUrl=/%5Cevil.example
  '/\t/evil.example',
  '/\n/evil.example',
  '\t//evil.example',
  ' //evil.example',
  '/./\\evil.example',
  '/.//evil.example',
  '/..//evil.example',
  'https://evil.example',
  'https://evil.example/login',
  'http:evil.example',
  'http:/evil.example',
  'https:\\\\evil.example',
  '//127.0.0.1:3000@evil.example',
  'http://127.0.0.1:3000@evil.example/',
  'javascript:alert(document.cookie)',
  'JavaScript:alert(1)',
  'java\tscript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'evil.example',
  'exceptions',
  '?callbackUrl=//evil.example',
  '#x',
  '',
  '/\u0000evil',
  null,
  undefined,
  42,
  ['/exceptions'],
];

describe('safeCallbackPath', () => {
  it.each(HOSTILE.map((v) => [v]))('refuses %j', (raw) => {
    expect(safeCallbackPath(raw)).toBeNull();
    expect(safeCallbackPath(raw, ORIGIN)).toBeNull();
  });

  it.each([
    ['/', '/'],
    ['/exceptions', '/exceptions'],
    ['/exceptions?state=open&facility=DC1#top', '/exceptions?state=open&facility=DC1#top'],
    ['/messages?q=%2F%2Fevil.example', '/messages?q=%2F%2Fevil.example'],
    ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
    ['/a/../exceptions', '/exceptions'],
  ])('keeps the same-origin path %j as %j', (raw, path) => {
    expect(safeCallbackPath(raw)).toBe(path);
    expect(safeCallbackPath(raw, ORIGIN)).toBe(path);
  });

  it('keeps an absolute URL only when it is on the given origin, as its path', () => {
    expect(safeCallbackPath(`${ORIGIN}/exceptions?x=1`, ORIGIN)).toBe('/exceptions?x=1');
    expect(safeCallbackPath(`${ORIGIN}/exceptions`)).toBeNull();
    expect(safeCallbackPath('http://127.0.0.1:3001/exceptions', ORIGIN)).toBeNull();
    expect(safeCallbackPath('https://127.0.0.1:3000/exceptions', ORIGIN)).toBeNull();
    expect(safeCallbackPath(`${ORIGIN}//evil.example`, ORIGIN)).toBeNull();
  });

  it('refuses an address longer than any page of the app', () => {
    expect(safeCallbackPath('/' + 'a'.repeat(3000))).toBeNull();
  });
});

describe("next-auth's redirect callback", () => {
  const redirect = (url: string) => authOptions().callbacks!.redirect!({ url, baseUrl: ORIGIN });

  it.each(HOSTILE.filter((v): v is string => typeof v === 'string').map((v) => [v]))(
    'sends %j to the login page of this origin',
    async (url) => {
      expect(await redirect(url)).toBe(`${ORIGIN}/login`);
    },
  );

  it('keeps a same-origin path or URL', async () => {
    expect(await redirect('/exceptions?state=open')).toBe(`${ORIGIN}/exceptions?state=open`);
    expect(await redirect(`${ORIGIN}/reconciliation`)).toBe(`${ORIGIN}/reconciliation`);
  });
});
