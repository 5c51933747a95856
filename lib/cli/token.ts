import { randomBytes } from 'node:crypto';

const g = globalThis as unknown as { __syncHealthCliToken?: string };

/** The secret a server shares with the CLI through its lock file (embedded database only). */
export function issueCliToken(): string {
  g.__syncHealthCliToken ??= randomBytes(24).toString('base64url');
  return g.__syncHealthCliToken;
}

export function cliToken(): string | undefined {
  return g.__syncHealthCliToken;
}
