import { NextResponse, type NextRequest } from 'next/server';
import { getToken } from 'next-auth/jwt';
import { UNUSABLE_ADDRESS, unusableAddressParts } from '@/lib/http/address';
import { makeNonce, pageCsp, servedOverHttps, HSTS } from '@/lib/http/security-headers';
import { crossOriginReason } from '@/lib/auth/csrf';
import { env } from '@/lib/env';

/**
 * Redirects signed-out visitors of pages to /login. It only redirects: every page, action and
 * route handler checks the role itself on the server. An address holding a NUL character or a
 * malformed percent-escape is answered 400 here, before any page queries with it; a server action
 * from another site 403. Every page gets a Content-Security-Policy with a nonce of its own
 * (lib/http/security-headers.ts), set on the request for Next to find.
 */
export async function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  const isApi = pathname.startsWith('/api/');
  // Pages: a plain 400 that says what to fix; route handlers the same in SPEC 3's JSON. Said here,
  // not left to lib/http/route.ts: a malformed escape fails Next's router before any handler runs.
  const unusable = unusableAddressParts(req.nextUrl);
  if (unusable.length) {
    const res = isApi
      ? NextResponse.json(
          { error: { code: 'bad_request', message: UNUSABLE_ADDRESS, details: unusable } },
          { status: 400 },
        )
      : new NextResponse(`400 Bad request\n\n${UNUSABLE_ADDRESS}\n\n${unusable.join('\n')}\n`, {
          status: 400,
          headers: { 'content-type': 'text/plain; charset=utf-8' },
        });
    return secured(req, res);
  }
  // A change sent to a page is a server action. Next compares its Origin with the Host itself, but
  // answers 500 and lets a request without Origin through: refuse both here, as route handlers do.
  if (!isApi && !['GET', 'HEAD', 'OPTIONS'].includes(req.method)) {
    const reason = crossOriginReason(req, env().NEXTAUTH_URL);
    if (reason) {
      return secured(
        req,
        new NextResponse(`403 Forbidden\n\nA change must come from this site's own pages.\n\n${reason}\n`, {
          status: 403,
          headers: { 'content-type': 'text/plain; charset=utf-8' },
        }),
      );
    }
  }
  const headers = new Headers(req.headers);
  headers.set('x-pathname', pathname + search);
  if (isApi) return NextResponse.next({ request: { headers } });
  // The wall screen may be framed by the origins an admin named (lib/admin/framing.ts); no other page.
  const frameAncestors = pathname === '/tiles' ? await (await import('@/lib/admin/framing')).tilesFrameAncestors() : [];
  const csp = pageCsp({
    nonce: makeNonce(),
    frameAncestors,
    dev: env().NODE_ENV === 'development',
    https: servedOverHttps(req.headers, env().NEXTAUTH_URL),
  });
  headers.set('content-security-policy', csp);
  if (pathname !== '/login') {
    const token = await getToken({ req, secret: env().NEXTAUTH_SECRET });
    if (!token) {
      const url = req.nextUrl.clone();
      url.pathname = '/login';
      url.search = `?callbackUrl=${encodeURIComponent(pathname + search)}`;
      return secured(req, NextResponse.redirect(url));
    }
  }
  return secured(req, NextResponse.next({ request: { headers } }), csp);
}

/**
 * The page's CSP, and HSTS when NEXTAUTH_URL is https: next.config.ts gives every answer nosniff,
 * the referrer policy and HSTS behind an https proxy, but reads no setting at run time.
 */
function secured(req: NextRequest, res: NextResponse, csp?: string): NextResponse {
  if (csp) res.headers.set('content-security-policy', csp);
  const httpsUrl = servedOverHttps(new Headers(), env().NEXTAUTH_URL);
  if (httpsUrl && !servedOverHttps(req.headers)) res.headers.set('strict-transport-security', HSTS);
  return res;
}

export const config = {
  matcher: [
    // The v1 API, the CLI's internal routes and static files never pass here: Next buffers a body
    // the proxy sees and cuts it at 10 MB (experimental.proxyClientMaxBodySize), and ingest and
    // import bodies are larger.
    '/((?!api/v1|api/internal|api/auth|api/health|_next/static|_next/image|favicon.ico|icon.svg).*)',
    // Except an address with a percent-escape in its path, which may not decode (checked above):
    // no feed's POST address has one.
    '/:path((?:.*)%(?:.*))',
  ],
};
