import 'server-only';
import { NextResponse } from 'next/server';
import { AppError } from '@/lib/errors';
import { UNUSABLE_ADDRESS, unusableAddressParts } from '@/lib/http/address';
import { readBody } from '@/lib/http/body';

export function json(body: unknown, status = 200) {
  return NextResponse.json(body, { status });
}

/** Wraps a route handler: an AppError becomes its 4xx JSON body; anything else a logged 500. */
export function handler<A extends unknown[]>(fn: (req: Request, ...rest: A) => Promise<Response>) {
  return async (req: Request, ...rest: A): Promise<Response> => {
    try {
      const unusable = unusableAddressParts(new URL(req.url));
      if (unusable.length) throw new AppError('bad_request', UNUSABLE_ADDRESS, unusable);
      return await fn(req, ...rest);
    } catch (e) {
      if (e instanceof AppError) return json(e.toBody(), e.status);
      console.error('[api]', req.method, new URL(req.url).pathname, e);
      return json(
        { error: { code: 'internal', message: 'The server failed; the request was not applied.', details: [] } },
        500,
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
