import { randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '@/lib/errors';

const g = globalThis as unknown as { __syncHealthCliToken?: string };

/** The secret a server shares with the CLI through its lock file (embedded database only). */
export function issueCliToken(): string {
  g.__syncHealthCliToken ??= randomBytes(24).toString('base64url');
  return g.__syncHealthCliToken;
}

export function cliToken(): string | undefined {
  return g.__syncHealthCliToken;
}

/**
 * Refuses a request that does not carry this server's CLI secret (`npm run cli` on the same machine
 * while this server holds the embedded database proves itself with the secret from the lock file).
 */
export function requireCliToken(req: Request): void {
  const expected = cliToken();
  const given = req.headers.get('x-cli-token') ?? '';
  if (!expected || given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) {
    throw new AppError('forbidden', 'Not available.');
  }
}
