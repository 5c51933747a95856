import { describe, expect, it, vi } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { ROLES } from '@/db/schema';
import { ENV_ROLES, ENV_VARS, EnvError, envTable, parseEnv } from '@/lib/env';

const root = path.resolve(__dirname, '../..');

/** The refusal lines for `source`, or [] when it parses. */
function problems(source: Record<string, string>): string[] {
  try {
    parseEnv(source);
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(EnvError);
    return (e as EnvError).problems;
  }
}

const POOL = 'a whole number from 1 to 1000';
const PG_URL = 'a postgres:// or postgresql:// URL with a host';
const PORT_NUMBER = 'a port number from 1 to 65535';
const HTTP_URL = 'an http:// or https:// URL';

describe('parseEnv', () => {
  it('gives every default when nothing is set, and takes an empty value as unset', () => {
    const e = parseEnv({ DATABASE_URL: '', PORT: '' });
    expect(e).toMatchObject({
      DATABASE_URL: undefined,
      PGLITE_DIR: '.data/pglite',
      DATABASE_POOL_SIZE: 10,
      PORT: 3000,
      KEEP_ALIVE_TIMEOUT_MS: 65_000,
      DEMO_MODE: undefined,
      SKIP_DEMO_DATA: false,
      OIDC_NAME: 'single sign-on',
      OIDC_ROLE_CLAIM: 'roles',
      OIDC_DEFAULT_ROLE: undefined,
      SKIP_BUILD: false,
      PROPERTY_RUNS: 25,
      E2E_PORT: 3210,
      CHROMIUM_PATH: '/usr/bin/chromium',
    });
  });

  it('turns numbers into numbers and flags into booleans, and keeps URLs as given', () => {
    const e = parseEnv({
      DATABASE_URL: 'postgresql://app:secret@db.example.com:6432/synchealth?sslmode=require',
      DATABASE_POOL_SIZE: '25',
      PORT: '8080',
      DEMO_MODE: '0',
      SKIP_DEMO_DATA: '1',
      OIDC_DEFAULT_ROLE: 'finance',
      NEXTAUTH_URL: 'https://sync.example.com',
      PROPERTY_RUNS: '200',
    });
    expect(e.DATABASE_URL).toBe('postgresql://app:secret@db.example.com:6432/synchealth?sslmode=require');
    expect(e.DATABASE_POOL_SIZE).toBe(25);
    expect(e.PORT).toBe(8080);
    expect(e.DEMO_MODE).toBe(false);
    expect(e.SKIP_DEMO_DATA).toBe(true);
    expect(e.OIDC_DEFAULT_ROLE).toBe('finance');
    expect(e.PROPERTY_RUNS).toBe(200);
    expect(parseEnv({ DEMO_MODE: '1' }).DEMO_MODE).toBe(true);
  });

  // Each message names the variable and its value (a URL's password masked) and says what it expected.
  it.each<[string, string, string, string?]>([
    ['DATABASE_POOL_SIZE', 'abc', POOL],
    ['DATABASE_POOL_SIZE', '0', POOL],
    ['DATABASE_POOL_SIZE', '1e3', POOL],
    [
      'DATABASE_URL',
      'mysql://app:hunter2@db/x',
      `${PG_URL} (leave it unset for the embedded database)`,
      'mysql://app:***@db/x',
    ],
    ['DATABASE_URL', '.data/pglite', `${PG_URL} (leave it unset for the embedded database)`],
    ['PORT', '70000', PORT_NUMBER],
    ['PORT', '-1', PORT_NUMBER],
    ['KEEP_ALIVE_TIMEOUT_MS', '65s', 'milliseconds, a whole number from 0 to 3600000'],
    ['NEXTAUTH_URL', 'sync.example.com', HTTP_URL],
    ['AUTH_TRUST_HOST', 'false', '"true" or "1" (leave it unset for off: next-auth takes any value as on)'],
    ['DEMO_MODE', 'yes', '"1" (on) or "0" (off)'],
    ['SKIP_DEMO_DATA', 'true', '"1" (skip) or "0"'],
    ['OIDC_ISSUER', 'login.example.com', HTTP_URL],
    ['OIDC_DEFAULT_ROLE', 'boss', 'one of ops, finance, it, manager, admin'],
    ['NEXT_RUNTIME', 'bun', '"nodejs" or "edge"'],
    ['TEST_POSTGRES_URL', 'localhost:5432', PG_URL],
    ['SKIP_BUILD', 'yes', '"1" (skip) or "0"'],
    ['PROPERTY_RUNS', 'many', 'a whole number from 1 to 1000000'],
    ['E2E_PORT', '0', PORT_NUMBER],
  ])('refuses %s=%s, saying what it expected', (name, value, expected, shown = value) => {
    expect(problems({ [name]: value })).toEqual([`${name}="${shown}": expected ${expected}`]);
  });

  it('names every bad variable in one error, without a stack, and never repeats a secret', () => {
    try {
      parseEnv({ DATABASE_POOL_SIZE: 'abc', PORT: '99999', NEXTAUTH_SECRET: 'x', OIDC_CLIENT_SECRET: 's3cret' });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toBe(
        'invalid environment (README.md, Configuration, lists every variable):\n' +
          '  DATABASE_POOL_SIZE="abc": expected a whole number from 1 to 1000\n' +
          '  PORT="99999": expected a port number from 1 to 65535',
      );
    }
    // Secrets (SMTP_URL carries a password) are never shown: were one refused, the message says "(hidden)".
    expect(
      Object.entries(ENV_VARS)
        .filter(([, v]) => 'secret' in v)
        .map(([k]) => k),
    ).toEqual(['NEXTAUTH_SECRET', 'OIDC_CLIENT_SECRET', 'SMTP_URL']);
  });

  it('lists the roles of the schema', () => {
    expect([...ENV_ROLES]).toEqual([...ROLES]);
  });
});

describe('NEXTAUTH_SECRET in production', () => {
  const STRONG = 'q3V0Yk9yZ2FuaWNTZWNyZXQtNzQ1OTItZmFjZXQtYmFzZTY0'; // 48 bytes, as `openssl rand -base64 32` makes
  const server = { NODE_ENV: 'production', DATABASE_URL: 'postgres://app@db.example.com/sh' };
  const refusal = (secret: string | undefined, more: Record<string, string> = {}) => {
    const found = problems({ ...server, ...more, ...(secret === undefined ? {} : { NEXTAUTH_SECRET: secret }) });
    expect(found.length).toBeLessThanOrEqual(1);
    return found[0];
  };

  it.each([
    ['secret'],
    ['changeme'],
    ['CHANGE_ME'],
    ['change-me-change-me-change-me-change-me'],
    ['your-secret-here'],
    ['keyboard cat'],
    ['nextauth_secret'],
    ['this-is-an-example-secret-of-more-than-32-bytes'],
    ['short-but-random-x7Qp'],
    ['e2e-secret-not-for-production'],
    ['a'.repeat(64)],
    ['abababababababababababababababababab'],
  ])('refuses %j at start, in one line naming the variable and hiding the value', (secret) => {
    const line = refusal(secret);
    expect(line).toMatch(/^NEXTAUTH_SECRET=\(hidden\): expected .*openssl rand -base64 32/);
    expect(line).not.toContain('\n');
    if (secret.length > 8) expect(line).not.toContain(secret);
  });

  it('refuses none at all, which next-auth would only notice at the first sign-in', () => {
    expect(refusal(undefined)).toMatch(/^NEXTAUTH_SECRET=\(hidden\): expected not set/);
  });

  it('takes 32 random bytes or more', () => {
    expect(refusal(STRONG)).toBeUndefined();
    expect(parseEnv({ ...server, NEXTAUTH_SECRET: STRONG }).NEXTAUTH_SECRET).toBe(STRONG);
  });

  it('does not apply outside a running production server: development, tests, `next build`', () => {
    expect(refusal('secret', { NODE_ENV: 'development' })).toBeUndefined();
    expect(refusal('secret', { NODE_ENV: 'test' })).toBeUndefined();
    expect(refusal('secret', { NEXT_PHASE: 'phase-production-build' })).toBeUndefined();
    expect(problems({ DATABASE_URL: server.DATABASE_URL, NEXTAUTH_SECRET: 'x' })).toEqual([]);
  });

  it('holds in demo mode too: a demo that becomes a deployment keeps its secret', () => {
    const embedded = { DATABASE_URL: '' };
    expect(refusal('e2e-secret-not-for-production', embedded)).toMatch(/32 random bytes/);
    expect(refusal('short', { DEMO_MODE: '1' })).toMatch(/32 random bytes/);
    expect(refusal('changeme', embedded)).toMatch(/published example/);
    expect(refusal(undefined, embedded)).toMatch(/not set/);
    expect(refusal(STRONG, embedded)).toBeUndefined();
  });
});

describe('env()', () => {
  it('reads process.env at its first call, not at import, and keeps what it read', async () => {
    vi.resetModules();
    const before = process.env.DATABASE_POOL_SIZE;
    try {
      const { env } = await import('@/lib/env');
      process.env.DATABASE_POOL_SIZE = '7';
      expect(env().DATABASE_POOL_SIZE).toBe(7);
      process.env.DATABASE_POOL_SIZE = '8';
      expect(env().DATABASE_POOL_SIZE).toBe(7);
    } finally {
      if (before === undefined) delete process.env.DATABASE_POOL_SIZE;
      else process.env.DATABASE_POOL_SIZE = before;
      vi.resetModules();
    }
  });
});

describe('the configuration table', () => {
  it('README.md lists exactly the variables of lib/env, as envTable() words them', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const m = /<!-- env-table:start[^>]*-->\n([\s\S]*?)\n<!-- env-table:end -->/.exec(readme);
    expect(m, 'README.md has the env-table markers').not.toBeNull();
    // On a difference, paste envTable()'s output between the markers (the diff below shows it).
    expect(m![1]).toBe(envTable());
  });

  it('every variable the code reads from process.env is one of lib/env', () => {
    const known = new Set(Object.keys(ENV_VARS));
    const unknown: string[] = [];
    const walk = (dir: string) => {
      for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
        if (['node_modules', '.next', '.data', '.git', 'test-results'].includes(d.name)) continue;
        const p = path.join(dir, d.name);
        if (d.isDirectory()) walk(p);
        else if (/\.(ts|tsx|mjs|mts)$/.test(d.name) && !d.name.endsWith('.d.ts')) {
          for (const [, name] of fs.readFileSync(p, 'utf8').matchAll(/process\.env\.([A-Z_][A-Z0-9_]*)/g)) {
            if (!known.has(name)) unknown.push(`${path.relative(root, p)}: ${name}`);
          }
        }
      }
    };
    walk(root);
    expect(unknown).toEqual([]);
  });
});
