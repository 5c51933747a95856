import 'server-only';
import { NextResponse } from 'next/server';
import { AppError } from '@/lib/errors';

export function json(body: unknown, status = 200) {
  return NextResponse.json(body, { status });
}

/** Wraps a route handler: an AppError becomes its 4xx JSON body; anything else a logged 500. */
export function handler<A extends unknown[]>(fn: (req: Request, ...rest: A) => Promise<Response>) {
  return async (req: Request, ...rest: A): Promise<Response> => {
    try {
      return await fn(req, ...rest);
    } catch (e) {
      if (e instanceof AppError) return json(e.toBody(), e.status);
      console.error('[api]', req.method, new URL(req.url).pathname, e);
      return json({ error: { code: 'internal', message: 'The server failed; the request was not applied.', details: [] } }, 500);
    }
  };
}
