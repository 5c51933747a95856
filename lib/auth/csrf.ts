/**
 * Cross-site request forgery: a page on another site can make a signed-in person's browser send a
 * POST carrying the session cookie (a form, or `fetch` in `no-cors` mode with a "simple" body:
 * text/plain, urlencoded, multipart). SameSite=Lax cookies stop most of it in today's browsers;
 * this is the second lock, applied by `authenticate` to every mutation authenticated by the
 * session cookie (requests with an API key carry no ambient credential and are exempt):
 *
 * 1. The request must come from this site. `Origin` decides when present (`null` is another site);
 *    without it, `Sec-Fetch-Site` must say `same-origin`; without both, a `Referer` of this site.
 *    A request with none of the three is refused too: every browser of the last years sends
 *    `Origin` (or at least `Sec-Fetch-Site`) on a POST, so such a request is a script replaying a
 *    cookie, which should use an API key instead.
 * 2. A body must be of a type the route reads (JSON routes: `application/json`, which another site
 *    cannot send without a CORS preflight this app never grants). A request without a body (a
 *    DELETE by its query, a POST that starts a job) has no type to check.
 *
 * "This site" is the origin the request was addressed to (`Host`, or `X-Forwarded-Host` and
 * `X-Forwarded-Proto` behind a proxy), and also NEXTAUTH_URL's origin when set.
 */
import { AppError } from '@/lib/errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const JSON_BODY = ['application/json'] as const;

/** The origins this request may come from: the one it was addressed to, and NEXTAUTH_URL's. */
export function ownOrigins(req: Request, publicUrl?: string): Set<string> {
  const out = new Set<string>();
  const h = req.headers;
  const host = first(h.get('x-forwarded-host')) ?? h.get('host');
  if (host) {
    const proto = first(h.get('x-forwarded-proto')) ?? new URL(req.url).protocol.replace(':', '');
    const o = originOf(`${proto}://${host}`);
    if (o) out.add(o);
    // Behind a TLS-terminating proxy that sends no X-Forwarded-Proto, the page's origin is https.
    const tls = originOf(`https://${host}`);
    if (tls && !h.get('x-forwarded-proto')) out.add(tls);
  }
  const own = publicUrl ? originOf(publicUrl) : null;
  if (own) out.add(own);
  return out;
}

/** Why a cookie-authenticated request does not show it comes from this site; null when it does. */
export function crossOriginReason(req: Request, publicUrl?: string): string | null {
  const h = req.headers;
  const own = ownOrigins(req, publicUrl);
  const origin = h.get('origin');
  if (origin !== null) {
    return own.has(originOf(origin) ?? '') ? null : `The request came from another origin (${origin.slice(0, 200)}).`;
  }
  const site = h.get('sec-fetch-site');
  if (site !== null)
    return site === 'same-origin' ? null : `The request came from another site (${site.slice(0, 40)}).`;
  const referer = h.get('referer');
  if (referer !== null) {
    return own.has(originOf(referer) ?? '') ? null : 'The request came from a page of another origin (Referer).';
  }
  return 'The request does not say where it came from (no Origin, Sec-Fetch-Site or Referer header).';
}

/** The media type of a request's body, lower case without parameters; '' when there is no body. */
export function bodyType(req: Request): string {
  const h = req.headers;
  const type = (h.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type) return type;
  const length = h.get('content-length');
  const hasBody = h.has('transfer-encoding') || (length !== null && length.trim() !== '0');
  return hasBody ? 'none' : '';
}

/**
 * Throws 403 `cross_origin` or 415 `unsupported_media_type` for a cookie-authenticated mutation
 * that another site could have sent; safe methods pass.
 */
export function assertSameSiteMutation(req: Request, accepts: readonly string[], publicUrl?: string): void {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return;
  const reason = crossOriginReason(req, publicUrl);
  if (reason) {
    throw new AppError(
      'cross_origin',
      'Refused: a signed-in change must come from this site’s own pages. Scripts and other systems use an API key ' +
        '(Authorization: Bearer).',
      [reason],
    );
  }
  const type = bodyType(req);
  if (type && !accepts.includes(type)) {
    throw new AppError('unsupported_media_type', `Send the body as ${accepts.join(' or ')}.`, [
      `content-type: ${type === 'none' ? 'missing' : type.slice(0, 100)}`,
    ]);
  }
}

function first(v: string | null): string | null {
  const s = v?.split(',')[0].trim();
  return s ? s : null;
}

function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}
