/** Whether a session secret may sign sessions in production (lib/env's parseEnv asks). */
/**
 * Session secrets published as examples or placeholders (next-auth's docs and examples, tutorials,
 * .env templates), compared without case and separators. Whoever knows the secret can sign a
 * session cookie of any user and role.
 */
const EXAMPLE_SECRETS = new Set(
  [
    'secret',
    'secretkey',
    'mysecret',
    'yoursecret',
    'supersecret',
    'topsecret',
    'nextauthsecret',
    'nextauth',
    'authsecret',
    'jwtsecret',
    'sessionsecret',
    'changeme',
    'changeit',
    'changethis',
    'replaceme',
    'password',
    'password123',
    'development',
    'developmentsecret',
    'devsecret',
    'test',
    'testsecret',
    'keyboardcat',
    'thisisasecret',
    'thisisanexample',
    'complexsecrethere',
    'yoursecrethere',
    'generateasecret',
    'xxx',
    'todo',
  ].map((s) => s.toLowerCase()),
);
/** Words that mark a placeholder whatever its length ("changeme-changeme-…"). */
const PLACEHOLDER_WORDS = /changeme|changethis|replaceme|yoursecret|example|placeholder|notasecret/;
/** next-auth's own advice: `openssl rand -base64 32`. */
const MIN_SECRET_BYTES = 32;

/**
 * Why `secret` may not sign sessions in production, or null when it may. The demo too: a demo
 * that becomes a deployment keeps its secret, so the rule is the same (`npm start` makes a strong
 * one when none is set).
 */
export function weakSecretReason(secret: string | undefined): string | null {
  const make = 'make one with `openssl rand -base64 32` (unset, `npm start` makes one in .data/auth-secret)';
  if (secret === undefined) return `not set; next-auth signs no session in production without it: ${make}`;
  const key = secret.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (EXAMPLE_SECRETS.has(key) || PLACEHOLDER_WORDS.test(key))
    return `a published example or placeholder, with which anyone can sign a session: ${make}`;
  const bytes = new TextEncoder().encode(secret).length;
  if (bytes < MIN_SECRET_BYTES)
    return `at least ${MIN_SECRET_BYTES} random bytes in production (this one has ${bytes}): ${make}`;
  if (new Set(secret).size < 8)
    return `random bytes, not a repeated pattern (${new Set(secret).size} distinct): ${make}`;
  return null;
}
