import { randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '@/lib/errors';
import { env } from '@/lib/env';
import { isLoopback, notePeerAddresses, peerAddress } from '@/lib/http/peer';

const g = globalThis as unknown as { __syncHealthCliToken?: string };

/**
 * The secret a server shares with the CLI through its lock file (embedded database only), made at
 * the server's start; from then on the server also notes each request's socket address, which
 * tells the CLI's loopback requests from any other (lib/http/peer.ts).
 */
export function issueCliToken(): string {
  notePeerAddresses();
  g.__syncHealthCliToken ??= randomBytes(24).toString('base64url');
  return g.__syncHealthCliToken;
}

export function cliToken(): string | undefined {
  return g.__syncHealthCliToken;
}

/**
 * Whether `req` may use the internal CLI routes: only while the embedded database is in use (a
 * server on Postgres has nothing to hand over: the CLI opens Postgres itself), only from this
 * machine's loopback by the socket's own address (never a header the client wrote), and only with
 * the secret from the lock file.
 */
export function cliAccessAllowed(req: Request, databaseUrl: string | undefined, expected = cliToken()): boolean {
  if (databaseUrl) return false;
  if (!isLoopback(peerAddress(req))) return false;
  if (!expected) return false;
  const given = Buffer.from(req.headers.get('x-cli-token') ?? '');
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** The internal CLI routes do not exist for anyone else: 404, whatever was missing. */
export function requireCliAccess(req: Request): void {
  if (!cliAccessAllowed(req, env().DATABASE_URL)) throw new AppError('not_found', 'Not found.');
}
