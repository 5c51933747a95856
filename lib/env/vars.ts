/** Every variable of lib/env: its zod schema and its README row. Imports nothing from the project. */
import { z } from 'zod';
import { flag, httpUrl, postgresUrl, urlWith, v, wholeNumber, type EnvVar } from './kinds';
import { TEST_VARS } from './test-vars';

export type { EnvVar } from './kinds';

/** The roles of db/schema.ts's ROLES (lib/env/env.test.ts keeps the two the same). */
export const ENV_ROLES = ['ops', 'finance', 'it', 'manager', 'admin'] as const;

export const ENV_VARS = {
  DATABASE_URL: v({
    schema: postgresUrl.optional(),
    expected: 'a postgres:// or postgresql:// URL with a host (leave it unset for the embedded database)',
    default: 'unset: embedded PGlite',
    usedBy: 'app, CLIs, tests',
    description: 'the Postgres server (`postgres://user:pass@host:5432/db`); migrations apply at open',
  }),
  PGLITE_DIR: v({
    schema: z.string().default('.data/pglite'),
    expected: 'a folder',
    default: '`.data/pglite`',
    usedBy: 'app, CLIs',
    description: 'folder of the embedded database, one process at a time (`memory://`: in memory)',
  }),
  DATABASE_READ_URL: v({
    schema: postgresUrl.optional(),
    expected: 'a postgres:// or postgresql:// URL with a host',
    default: 'unset: every read on `DATABASE_URL`',
    usedBy: 'app',
    description: 'a streaming replica of `DATABASE_URL` for pages and `GET` APIs (README "Read replica")',
  }),
  DATABASE_READ_MAX_LAG_SECONDS: v({
    schema: wholeNumber(1, 86_400).default(30),
    expected: 'seconds, a whole number from 1 to 86400',
    default: '`30`',
    usedBy: 'app',
    description: 'past this lag, or with the replica down, reads go to the primary (`/api/health` says so)',
  }),
  DATABASE_POOL_SIZE: v({
    schema: wholeNumber(1, 1000).default(10),
    expected: 'a whole number from 1 to 1000',
    default: '`10`',
    usedBy: 'app, CLIs',
    description: 'connections each process keeps to the Postgres server',
  }),
  DATABASE_STATEMENT_TIMEOUT_MS: v({
    schema: wholeNumber(0, 86_400_000).default(60_000),
    expected: 'milliseconds, a whole number from 0 to 86400000',
    default: '`60000`',
    usedBy: 'app, tests',
    description:
      "Postgres's `statement_timeout` on the server's connections (`0`: none; the CLI, simulator and bench go without); past it a request answers 503",
  }),
  DATABASE_LOCK_TIMEOUT_MS: v({
    schema: wholeNumber(0, 86_400_000).default(10_000),
    expected: 'milliseconds, a whole number from 0 to 86400000',
    default: '`10000`',
    usedBy: 'app, CLIs',
    description:
      "Postgres's `lock_timeout` on every pooled connection (`0`: none); a request that waits longer answers 503",
  }),
  MAX_CONCURRENT_BULK: v({
    schema: wholeNumber(1, 1000).default(4),
    expected: 'a whole number from 1 to 1000',
    default: '`4`',
    usedBy: 'app',
    description:
      'bulk requests (the feeds, snapshots, imports) a server process works on at once; more answer 503 `busy` with `Retry-After`',
  }),
  PORT: v({
    schema: wholeNumber(1, 65535).default(3000),
    expected: 'a port number from 1 to 65535',
    default: '`3000`',
    usedBy: 'app, npm start',
    description: "HTTP port (the server writes it in the embedded database's lock, for the CLI)",
  }),
  KEEP_ALIVE_TIMEOUT_MS: v({
    schema: wholeNumber(0, 3_600_000).default(65_000),
    expected: 'milliseconds, a whole number from 0 to 3600000',
    default: '`65000`',
    usedBy: 'npm start',
    description: "how long an idle connection stays open (past a load balancer's or client pool's 60 s)",
  }),
  NEXTAUTH_SECRET: v({
    schema: z.string().optional(),
    expected: 'a secret',
    default: '`npm start` makes one in `.data/auth-secret`',
    usedBy: 'app (next-auth)',
    description:
      'signs sessions; **set it in production**: at least 32 random bytes (`openssl rand -base64 32`), else the ' +
      'server refuses to start (demo mode: known examples only)',
    secret: true,
  }),
  NEXTAUTH_URL: v({
    schema: httpUrl.optional(),
    expected: 'an http:// or https:// URL',
    default: "unset: the request's host",
    usedBy: 'app (next-auth)',
    description: 'public URL of the app; `https://` makes the session cookies secure',
  }),
  AUTH_TRUST_HOST: v({
    schema: z.enum(['true', '1']).optional(),
    expected: '"true" or "1" (leave it unset for off: next-auth takes any value as on)',
    default: '`npm start`: `true` without `NEXTAUTH_URL`',
    usedBy: 'app (next-auth)',
    description: "next-auth trusts the request's Host header for its URLs",
  }),
  DEMO_MODE: v({
    schema: flag.optional(),
    expected: '"1" (on) or "0" (off)',
    default: 'on for the embedded database',
    usedBy: 'app, simulate',
    description: '`1`: demo accounts and demo data on a server database too; `0`: never',
  }),
  SKIP_DEMO_DATA: v({
    schema: flag.default(false),
    expected: '"1" (skip) or "0"',
    default: '`0`',
    usedBy: 'app',
    description: '`1`: demo mode without loading demo data at start (demo accounts only)',
  }),
  IMPORT_MAX_BYTES: v({
    schema: wholeNumber(1, 2 ** 40).default(1024 * 1024 * 1024),
    expected: 'a whole number of bytes',
    default: '`1073741824` (1 GiB)',
    usedBy: 'app',
    description: 'the largest request body an import (`/api/v1/imports/:format`, the page) accepts; larger is a 413',
  }),
  IMPORT_WATCH_DIR: v({
    schema: z.string().optional(),
    expected: 'a folder',
    default: 'unset: no watched folder',
    usedBy: 'app',
    description:
      'a folder whose subfolders (`sap-idoc-status/`, `profile-<name>/`, …) the server imports new files from',
  }),
  OIDC_ISSUER: v({
    schema: httpUrl.optional(),
    expected: 'an http:// or https:// URL',
    default: 'off',
    usedBy: 'app',
    description: 'with the client id and secret, switches on single sign-on (Azure AD, Okta, Keycloak …)',
  }),
  OIDC_CLIENT_ID: v({
    schema: z.string().optional(),
    expected: 'a client id',
    default: '—',
    usedBy: 'app',
    description: "the app's client id at the OIDC provider",
  }),
  OIDC_CLIENT_SECRET: v({
    schema: z.string().optional(),
    expected: 'a client secret',
    default: '—',
    usedBy: 'app',
    description: "the app's client secret at the OIDC provider",
    secret: true,
  }),
  OIDC_NAME: v({
    schema: z.string().default('single sign-on'),
    expected: 'a name',
    default: '`single sign-on`',
    usedBy: 'app',
    description: 'the provider\'s name on the login button ("Sign in with …")',
  }),
  OIDC_ROLE_CLAIM: v({
    schema: z.string().default('roles'),
    expected: 'a claim name',
    default: '`roles`',
    usedBy: 'app',
    description:
      'the claim (`roles`, `groups` …) holding the role, or the groups of `OIDC_GROUP_ROLES`, of someone not in the `users` table',
  }),
  OIDC_GROUP_ROLES: v({
    schema: z
      .string()
      .optional()
      .transform((s, ctx) => {
        const out: [string, (typeof ENV_ROLES)[number]][] = [];
        for (const pair of (s ?? '')
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean)) {
          const at = pair.lastIndexOf('=');
          const group = pair.slice(0, at).trim();
          const role = pair.slice(at + 1).trim();
          if (at <= 0 || !group || !(ENV_ROLES as readonly string[]).includes(role)) {
            ctx.addIssue({ code: 'custom', message: pair });
            return z.NEVER;
          }
          out.push([group, role as (typeof ENV_ROLES)[number]]);
        }
        return out;
      }),
    expected: `comma-separated group=role pairs, each role one of ${ENV_ROLES.join(', ')}`,
    default: 'unset: claim values that are role names',
    usedBy: 'app',
    description:
      'maps the values of `OIDC_ROLE_CLAIM` (e.g. `groups`) to roles: `sh-admins=admin,sh-it=it`; the first pair ' +
      'whose group the person has wins; when set, only mapped values count',
  }),
  OIDC_DEFAULT_ROLE: v({
    schema: z.enum(ENV_ROLES).optional(),
    expected: `one of ${ENV_ROLES.join(', ')}`,
    default: 'none: sign-in refused',
    usedBy: 'app',
    description: 'the role of someone with neither a `users` row nor a role claim',
  }),
  PUBLIC_URL: v({
    schema: httpUrl.optional(),
    expected: 'an http:// or https:// URL',
    default: 'unset: `NEXTAUTH_URL`',
    usedBy: 'app (alerts)',
    description: "the dashboard's address in alert notifications (their link to the alert's scope)",
  }),
  ALERTS_INTERVAL_SECONDS: v({
    schema: wholeNumber(1, 86_400).default(60),
    expected: 'a whole number of seconds from 1 to 86400',
    default: '`60`',
    usedBy: 'app',
    description: 'how often each server evaluates the alert rules and sends what is due',
  }),
  SMTP_URL: v({
    schema: urlWith(['smtp:', 'smtps:']).optional(),
    expected: 'an smtp:// or smtps:// URL (`smtp://user:pass@host:587`)',
    default: 'unset: email channels fail their deliveries',
    usedBy: 'app (alerts)',
    description: 'the SMTP server that email alert channels send through',
    secret: true,
  }),
  ALERTS_EMAIL_FROM: v({
    schema: z.string().default('sync-health@localhost'),
    expected: 'an email address',
    default: '`sync-health@localhost`',
    usedBy: 'app (alerts)',
    description: 'the From address of alert emails',
  }),
  NEXT_PHASE: v({
    schema: z.string().optional(),
    expected: 'a phase',
    default: 'set by Next.js',
    usedBy: 'app',
    description: '`phase-production-build` (`next build`) skips the production checks, which apply to a running server',
  }),
  SIGNIN_MAX_FAILURES: v({
    schema: wholeNumber(1, 1000).default(10),
    expected: 'a whole number from 1 to 1000',
    default: '`10`',
    usedBy: 'app',
    description:
      'failed password sign-ins of one account within `SIGNIN_WINDOW_MINUTES` that lock it (single sign-on is never locked)',
  }),
  SIGNIN_MAX_ADDRESS_FAILURES: v({
    schema: wholeNumber(1, 100_000).default(50),
    expected: 'a whole number from 1 to 100000',
    default: '`50`',
    usedBy: 'app',
    description: 'failed password sign-ins from one client address, whatever the account, that lock the address',
  }),
  SIGNIN_WINDOW_MINUTES: v({
    schema: wholeNumber(1, 1440).default(15),
    expected: 'a whole number of minutes from 1 to 1440',
    default: '`15`',
    usedBy: 'app',
    description: 'how far back failed sign-ins count; a successful sign-in starts its account afresh',
  }),
  SIGNIN_LOCK_MINUTES: v({
    schema: wholeNumber(1, 1440).default(15),
    expected: 'a whole number of minutes from 1 to 1440',
    default: '`15`',
    usedBy: 'app',
    description: 'how long a locked account or address is refused password sign-in (its password is not even checked)',
  }),
  TRUSTED_PROXIES: v({
    schema: wholeNumber(0, 10).default(0),
    expected: 'a whole number from 0 to 10',
    default: '`0`',
    usedBy: 'app',
    description:
      'reverse proxies in front of the app that append to `X-Forwarded-For`; the client address is the entry this many ' +
      'from the right (0: the rightmost, which Next.js fills from the socket when a client sends none)',
  }),
  NEXT_RUNTIME: v({
    schema: z.enum(['nodejs', 'edge']).optional(),
    expected: '"nodejs" or "edge"',
    default: 'set by Next.js',
    usedBy: 'app',
    description: 'the runtime running the code; `instrumentation.ts` starts the server side on `nodejs`',
  }),
  NODE_ENV: v({
    schema: z.enum(['development', 'production', 'test']).optional(),
    expected: '"development", "production" or "test"',
    default: 'set by Next.js (`next dev`: development) and vitest',
    usedBy: 'app',
    description:
      "`production` makes a weak or missing `NEXTAUTH_SECRET` stop the start; `development` adds 'unsafe-eval' to the pages' CSP",
  }),
  ...TEST_VARS,
} satisfies Record<string, EnvVar>;

export type EnvName = keyof typeof ENV_VARS;
export type Env = { [K in EnvName]: z.output<(typeof ENV_VARS)[K]['schema']> };
