/**
 * Where a user may be sent after signing in: a path of this app, never another origin. Used by the
 * login page (server), the login form (browser) and next-auth's `redirect` callback, so the three
 * agree. Imports nothing: it runs in the browser too.
 *
 * Browsers read an address more loosely than a first glance does: `//evil.example` and
 * `/\evil.example` are another host (a backslash counts as a slash, `/%5C` arrives decoded), and
 * tabs and line breaks inside an address are dropped before it is read (`/\t/evil.example`). So
 * the candidate is resolved the way a browser resolves it, and only what stays on this origin, as a
 * path that cannot be read as `//host` again, is kept.
 */

/** Anything below a space or DEL, and the backslash: no path of this app holds one. */
const UNSAFE_CHARS = /[\u0000-\u001f\u007f\\]/;
/** An origin of our own for resolving relative paths when the real one is not at hand. */
const PLACEHOLDER = 'http://callback.invalid';

/**
 * `raw` as a same-origin path (`/exceptions?state=open#x`), or null when it is anything else
 * (another origin, `javascript:`, a protocol-relative or backslashed path, control characters,
 * empty). `origin` (`http://host:port`, next-auth's baseUrl) also admits an absolute URL of that
 * origin, returned as its path.
 */
export function safeCallbackPath(raw: unknown, origin?: string): string | null {
  if (typeof raw !== 'string' || raw === '' || raw.length > 2048 || UNSAFE_CHARS.test(raw)) return null;
  let base: URL;
  try {
    base = new URL(origin ?? PLACEHOLDER);
  } catch {
    return null;
  }
  // A relative path must be absolute on this origin ("/x"); "x" or "?x" would depend on the page.
  const absolute = /^[a-z][a-z0-9+.-]*:/i.test(raw);
  if (!absolute && (!raw.startsWith('/') || raw.startsWith('//'))) return null;
  // An absolute URL is kept only when written out with this very origin ("http:x" resolves on an
  // http page as a relative path, which is no request anyone meant).
  const prefix = base.origin.toLowerCase();
  if (absolute && (origin === undefined || !`${raw.toLowerCase()}/`.startsWith(`${prefix}/`))) return null;
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    return null;
  }
  if (url.origin !== base.origin || url.username || url.password) return null;
  const path = url.pathname + url.search + url.hash;
  // "/.//evil.example" resolves to the path "//evil.example", which a browser reads as a host.
  if (!path.startsWith('/') || path.startsWith('//')) return null;
  return path;
}
