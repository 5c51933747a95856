import { AppError } from '@/lib/errors';
import { handler } from '@/lib/http/route';

/** The methods a Next.js route module may export (node_modules/next/dist/server/web/http.js). */
export const ROUTE_METHODS = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type RouteMethod = (typeof ROUTE_METHODS)[number];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a route's handlers take any context
type AnyHandler = (req: Request, ...rest: any[]) => unknown;
type Implemented = Partial<Record<RouteMethod, AnyHandler>>;

/** The methods a route does not implement: HEAD is Next's own when GET is there. */
type Others<H> = Exclude<RouteMethod, keyof H | (H extends { GET: AnyHandler } ? 'HEAD' : never)>;

/** What a route answers besides its own methods. */
export type OtherMethods<H> = Record<Others<H>, (req: Request) => Promise<Response>>;

/** The `Allow` header of a route implementing `methods`: HEAD with GET, and always OPTIONS, sorted as Next sorts them. */
export function allowed(methods: readonly string[]): RouteMethod[] {
  const set = new Set(methods);
  if (set.has('GET')) set.add('HEAD');
  set.add('OPTIONS');
  return ROUTE_METHODS.filter((m) => set.has(m)).sort();
}

/**
 * Every method a route module does not implement, for it to export beside its own:
 *
 *     export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET, POST });
 *
 * Next.js answers a method a route does not export with a 405 and an empty body (no `Allow`), and
 * its automatic OPTIONS would list these refusals as allowed; here a refused method gets SPEC 3's
 * error shape (`method_not_allowed`) and an `Allow` header, and OPTIONS a 204 with the true list.
 * TypeScript refuses to destructure a method the route implements; lib/http/methods.test.ts fails
 * when a route module leaves one out.
 */
export function otherMethods<H extends Implemented>(implemented: H): OtherMethods<H> {
  const allow = allowed(Object.keys(implemented));
  const header = allow.join(', ');
  const out: Partial<Record<RouteMethod, (req: Request) => Promise<Response>>> = {};
  for (const method of ROUTE_METHODS) {
    if (allow.includes(method) && method !== 'OPTIONS') continue;
    if (method === 'OPTIONS') {
      if (implemented.OPTIONS) continue;
      out.OPTIONS = async () => new Response(null, { status: 204, headers: { allow: header } });
      continue;
    }
    const refuse = handler(async (req: Request) => {
      throw new AppError(
        'method_not_allowed',
        `${req.method} is not allowed here; this address answers ${allow.join(', ')}.`,
        [{ allow }],
      );
    });
    out[method] = async (req: Request) => {
      const res = await refuse(req);
      res.headers.set('allow', header);
      return res;
    };
  }
  return out as OtherMethods<H>;
}
