import { NextResponse, type NextRequest } from 'next/server';
import { getToken } from 'next-auth/jwt';
import { UNUSABLE_ADDRESS, unusableAddressParts } from '@/lib/http/address';
import { env } from '@/lib/env';

/**
 * Redirects signed-out visitors of pages to /login. It only redirects: every page, action and
 * route handler checks the role itself on the server. A page address holding a NUL character is
 * answered 400 here, before any page queries with it.
 */
export async function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  // Pages: a plain 400 that says what to fix (route handlers answer the same in JSON, lib/http/route.ts).
  const unusable = unusableAddressParts(req.nextUrl);
  if (unusable.length && !pathname.startsWith('/api/')) {
    return new NextResponse(`400 Bad request\n\n${UNUSABLE_ADDRESS}\n\n${unusable.join('\n')}\n`, {
      status: 400,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  const headers = new Headers(req.headers);
  headers.set('x-pathname', pathname + search);
  if (pathname === '/login' || pathname.startsWith('/api/')) return NextResponse.next({ request: { headers } });
  const token = await getToken({ req, secret: env().NEXTAUTH_SECRET });
  if (!token) {
    const url = req.nextUrl.clone();
    url.pathname = '/login';
    url.search = `?callbackUrl=${encodeURIComponent(pathname + search)}`;
    return NextResponse.redirect(url);
  }
  return NextResponse.next({ request: { headers } });
}

export const config = {
  // The v1 API and static files never pass here: ingest bodies are not buffered twice.
  matcher: ['/((?!api/v1|api/auth|api/health|_next/static|_next/image|favicon.ico|icon.svg).*)'],
};
