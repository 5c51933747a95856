import 'server-only';
import { NextResponse } from 'next/server';
import { AppError } from '@/lib/errors';
import { logError } from '@/lib/log';
import { UNUSABLE_ADDRESS, unusableAddressParts } from '@/lib/http/address';
import { readBody } from '@/lib/http/body';

export function json(body: unknown, status = 200) {
  return NextResponse.json(body, { status });
}

/** The header that carries a request's id, on every answer of `handler()`. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** A new request id: the one a user quotes from a 500, and the one the server log names. */
export function newRequestId(): string {
  return globalThis.crypto.randomUUID();
}

/** A path segment kept in the log as written: a route's own word, not a value (`users`, `v1`, `sap-idoc-status`). */
const ROUTE_WORD = /^[a-z][a-z0-9-]{0,39}$/;

/**
 * The route of a request as the log names it: its path with each dynamic segment written as its
 * parameter's name (`/api/admin/users/[id]`), and any other segment that is not a plain word
 * masked, never a query string. A path segment may be a message id or a value someone typed.
 */
export async function routePattern(url: URL, ctx: unknown): Promise<string> {
  const byValue = new Map<string, string>();
  const params = (ctx as { params?: unknown } | undefined)?.params;
  if (params && typeof params === 'object') {
    try {
      const resolved = (await params) as Record<string, string | string[] | undefined>;
      for (const [name, value] of Object.entries(resolved ?? {}))
        for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) byValue.set(v, `[${name}]`);
    } catch {
      /* no parameters to name */
    }
  }
  const segments = url.pathname.split('/').map((raw) => {
    if (raw === '') return raw;
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return '[?]';
    }
    return byValue.get(seg) ?? (ROUTE_WORD.test(seg) ? seg : '[?]');
  });
  return segments.join('/');
}

/** `res` with the request id header (a response whose headers are frozen is copied first). */
function withRequestId(res: Response, id: string): Response {
  try {
    res.headers.set(REQUEST_ID_HEADER, id);
    return res;
  } catch {
    const copy = new Response(res.body, res);
    copy.headers.set(REQUEST_ID_HEADER, id);
    return copy;
  }
}

/**
 * Wraps a route handler: an AppError becomes its 4xx JSON body; anything else a 500 whose body
 * names the request id, and one log line with the method, the route (no query string, no values),
 * the status, the request id and the error's class and code — never a body, a query value, a key,
 * a password or a driver's message (lib/log.ts). Every answer carries `x-request-id`.
 */
export function handler<A extends unknown[]>(fn: (req: Request, ...rest: A) => Promise<Response>) {
  return async (req: Request, ...rest: A): Promise<Response> => {
    const requestId = newRequestId();
    try {
      const unusable = unusableAddressParts(new URL(req.url));
      if (unusable.length) throw new AppError('bad_request', UNUSABLE_ADDRESS, unusable);
      return withRequestId(await fn(req, ...rest), requestId);
    } catch (e) {
      if (e instanceof AppError) return withRequestId(json(e.toBody(), e.status), requestId);
      const route = await routePattern(new URL(req.url), rest[0]);
      logError('api', { status: 500, method: req.method, route, request: requestId }, e);
      return withRequestId(
        json(
          {
            error: {
              code: 'internal',
              message: `The server failed; the request was not applied. Quote request id ${requestId} when reporting it.`,
              details: [{ requestId }],
            },
          },
          500,
        ),
        requestId,
      );
    }
  };
}

/** A small JSON request body (settings, commands): 400 invalid_json with `hint` when it does not parse. */
export async function readJson(req: Request, hint: string, limit = 16 * 1024): Promise<unknown> {
  const text = await readBody(req, limit);
  try {
    return JSON.parse(text || 'null');
  } catch {
    throw new AppError('invalid_json', `The body is not valid JSON; send ${hint}.`);
  }
}
