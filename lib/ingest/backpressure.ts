/**
 * Backpressure for bulk requests (issue #27, hole 7): a server process works on at most
 * MAX_CONCURRENT_BULK of them at once (the feeds, snapshots, imports: each may hold a 10 MB body and
 * its parsed records, or a stream of files); one more is answered at once with 503 `busy` and
 * `Retry-After`, before its body is read. A request that fails because the database is briefly
 * unusable (its connection killed, the server restarting, a statement or lock wait timed out, a
 * deadlock or serialization failure) also answers 503 `unavailable` with `Retry-After`: a batch is
 * one transaction, so nothing of it was stored and the sender's retry is safe.
 */
import 'server-only';
import { pgErrorCode } from '@/db';
import { isConnectionLost } from '@/db/dead-connection';
import { env } from '@/lib/env';
import { json } from '@/lib/http/route';

/** Seconds a sender is asked to wait before sending again. */
export const RETRY_AFTER_SECONDS = 2;

/**
 * SQLSTATEs worth a retry besides a lost connection: 40001 serialization failure, 40P01 deadlock,
 * 55P03 lock not available (lock_timeout), 57014 query cancelled (statement_timeout), 53300 too
 * many connections.
 */
const RETRYABLE_STATES = new Set(['40001', '40P01', '55P03', '57014', '53300']);

export function isRetryable(e: unknown): boolean {
  if (isConnectionLost(e)) return true;
  const code = pgErrorCode(e);
  return code !== undefined && RETRYABLE_STATES.has(code);
}

/** A 503 in SPEC 3's error shape, with Retry-After. */
export function unavailable(code: 'busy' | 'unavailable', message: string): Response {
  const res = json({ error: { code, message, details: [] } }, 503);
  res.headers.set('Retry-After', String(RETRY_AFTER_SECONDS));
  return res;
}

// One count per process: Next.js bundles each route on its own, so a module-level variable would
// be one per route.
const g = globalThis as unknown as { __syncHealthBulk?: { active: number } };
const state = (g.__syncHealthBulk ??= { active: 0 });

/** Bulk requests being worked on now (tests). */
export const bulkInFlight = () => state.active;

/**
 * Wraps a bulk route's work (inside `handler()`): bounded, and a retryable database failure
 * answered 503. Anything else is thrown on, to `handler()`.
 */
export function bulk<A extends unknown[]>(fn: (req: Request, ...rest: A) => Promise<Response>) {
  return async (req: Request, ...rest: A): Promise<Response> => {
    if (state.active >= env().MAX_CONCURRENT_BULK) {
      return unavailable(
        'busy',
        `The server is working on ${state.active} bulk requests; send this one again in ${RETRY_AFTER_SECONDS} s.`,
      );
    }
    state.active++;
    try {
      return await fn(req, ...rest);
    } catch (e) {
      if (!isRetryable(e)) throw e;
      console.error(
        '[api] retryable database failure:',
        req.method,
        new URL(req.url).pathname,
        pgErrorCode(e) ?? (e as { code?: unknown }).code,
      );
      return unavailable(
        'unavailable',
        `The database was briefly unavailable; nothing of this request was stored. Send it again in ${RETRY_AFTER_SECONDS} s.`,
      );
    } finally {
      state.active--;
    }
  };
}
