/**
 * The security headers every answer carries. Pages get a Content-Security-Policy with a nonce made
 * per request in proxy.ts: Next.js finds the nonce in the request's CSP header and puts it on its
 * own scripts (node_modules/next/dist/docs/01-app/02-guides/content-security-policy.md), and
 * 'strict-dynamic' lets those scripts load the page's chunks. Styles need 'unsafe-inline': React
 * and recharts write `style` attributes, which a nonce cannot cover (and a nonce in style-src would
 * switch 'unsafe-inline' off). Route handlers and static files get a fixed policy from
 * next.config.ts (`STATIC_SECURITY_HEADERS`), as the proxy does not see every one of them.
 *
 * No imports: proxy.ts and next.config.ts both load this file.
 */

export interface CspOptions {
  nonce: string;
  /** Origins allowed to frame the page (`frame-ancestors`); none: 'none'. */
  frameAncestors?: readonly string[];
  /** `next dev` needs 'unsafe-eval' (React rebuilds server error stacks with eval). */
  dev?: boolean;
  https?: boolean;
}

/** A fresh nonce: 16 random bytes, base64. */
export function makeNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/** The policy of a page. */
export function pageCsp({ nonce, frameAncestors = [], dev = false, https = false }: CspOptions): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors.length ? frameAncestors.join(' ') : "'none'"}`,
    ...(https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

/** The policy of what is no page (JSON, CSV, scripts, images): nothing may run or frame it. */
export const NON_PAGE_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export const HSTS = 'max-age=63072000; includeSubDomains';

/** The headers besides the CSP, for an answer served over https or not. */
export function baseSecurityHeaders(https: boolean): Record<string, string> {
  return {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    ...(https ? { 'Strict-Transport-Security': HSTS } : {}),
  };
}

/**
 * Whether the request reached us over https: behind a TLS-terminating proxy (`X-Forwarded-Proto`),
 * or because the app's public URL (NEXTAUTH_URL) is https.
 */
export function servedOverHttps(headers: Headers, publicUrl?: string): boolean {
  const proto = headers.get('x-forwarded-proto')?.split(',')[0].trim().toLowerCase();
  return proto === 'https' || !!publicUrl?.toLowerCase().startsWith('https:');
}

type HeaderRule = {
  source: string;
  has?: { type: 'header'; key: string; value?: string }[];
  headers: { key: string; value: string }[];
};

/** Addresses that are no page: route handlers, Next's static files, the icons. */
const NON_PAGES = ['/api/:path*', '/_next/:path*', '/favicon.ico', '/icon.svg'];

/**
 * next.config.ts `headers()`, applied before the proxy and to what it never sees (the v1 API,
 * static files): nosniff and the referrer policy on everything, the non-page CSP on what is no page
 * (pages get theirs, with a nonce, from proxy.ts), HSTS when the request came over https (a page
 * also gets it from proxy.ts when NEXTAUTH_URL is https at run time).
 */
export function staticSecurityHeaders(): HeaderRule[] {
  const toList = (h: Record<string, string>) => Object.entries(h).map(([key, value]) => ({ key, value }));
  return [
    { source: '/:path*', headers: toList(baseSecurityHeaders(false)) },
    ...NON_PAGES.map((source) => ({ source, headers: toList({ 'Content-Security-Policy': NON_PAGE_CSP }) })),
    {
      source: '/:path*',
      has: [{ type: 'header' as const, key: 'x-forwarded-proto', value: 'https' }],
      headers: toList({ 'Strict-Transport-Security': HSTS }),
    },
  ];
}
