/** The variables only tests, the bench and CI read (lib/env/vars.ts lists them after the app's). */
import { z } from 'zod';
import { flag, postgresUrl, v, wholeNumber, type EnvVar } from './kinds';

export const TEST_VARS = {
  TEST_POSTGRES_URL: v({
    schema: postgresUrl.optional(),
    expected: 'a postgres:// or postgresql:// URL with a host',
    default: '`DATABASE_URL`; bench: `postgres://postgres@127.0.0.1:5432/postgres`',
    usedBy: 'npm test, bench',
    description: 'where tests and the bench create (and drop) databases of their own',
  }),
  TEST_POSTGRES_READ_URL: v({
    schema: postgresUrl.optional(),
    expected: 'a postgres:// or postgresql:// URL with a host',
    default: 'unset: the replica tests are skipped',
    usedBy: 'npm test',
    description: "a streaming replica of `TEST_POSTGRES_URL`'s server (`scripts/replica.sh up` prints it)",
  }),
  SKIP_BUILD: v({
    schema: flag.default(false),
    expected: '"1" (skip) or "0"',
    default: '`0`',
    usedBy: 'npm test',
    description: '`1` runs Playwright against the last build instead of building first',
  }),
  E2E_SLOW_CARD: v({
    schema: wholeNumber(0, 600_000).default(0),
    expected: 'a whole number of milliseconds from 0 to 600000',
    default: '`0` (off)',
    usedBy: 'tests',
    description:
      'browser tests only: a request with the header `x-e2e-slow-card: <card>` holds that dashboard card this long',
  }),
  PROPERTY_RUNS: v({
    schema: wholeNumber(1, 1_000_000).default(25),
    expected: 'a whole number from 1 to 1000000',
    default: '`25`',
    usedBy: 'tests',
    description: 'runs of the KPI property test (lib/kpi/kpis.test.ts)',
  }),
  LOAD_FAULT_SECONDS: v({
    schema: wholeNumber(1, 3600).default(60),
    expected: 'a whole number of seconds from 1 to 3600',
    default: '`60`',
    usedBy: 'tests',
    description: 'how long each run of the load-with-a-fault suite (scripts/load/) sends',
  }),
  ALERTS_TWO_SERVERS_SECONDS: v({
    schema: wholeNumber(10, 3600).default(60),
    expected: 'a whole number of seconds from 10 to 3600',
    default: '`60`',
    usedBy: 'tests',
    description: 'how long the load suite changes data under two app servers evaluating alerts',
  }),
  LOAD_FAULT_SEED: v({
    schema: wholeNumber(0, 2 ** 31).optional(),
    expected: 'a whole number',
    default: 'random, printed',
    usedBy: 'tests',
    description: "the load suite's seed: a failing run's printed seed repeats its traffic",
  }),
  FUZZ_SEED: v({
    schema: wholeNumber(0, 2 ** 31 - 1).optional(),
    expected: 'a whole number from 0 to 2147483647',
    default: 'a random seed, printed at start',
    usedBy: 'npm run fuzz',
    description: 'replays the fuzz run of that seed (e2e/fuzz.spec.ts)',
  }),
  FUZZ_BODIES: v({
    schema: wholeNumber(1, 10_000_000).default(10_000),
    expected: 'a whole number from 1 to 10000000',
    default: '`10000`',
    usedBy: 'npm run fuzz',
    description: 'how many hostile bodies the fuzz sends, split across the write routes',
  }),
  E2E_PORT: v({
    schema: wholeNumber(1, 65535).default(3210),
    expected: 'a port number from 1 to 65535',
    default: '`3210`',
    usedBy: 'Playwright',
    description: 'port of the server that Playwright starts',
  }),
  CHROMIUM_PATH: v({
    schema: z.string().default('/usr/bin/chromium'),
    expected: 'a path',
    default: '`/usr/bin/chromium`',
    usedBy: 'Playwright',
    description: 'the Chromium that Playwright drives',
  }),
  CI: v({
    schema: z.string().optional(),
    expected: 'any value',
    default: 'unset (`.ci/run` sets `true`)',
    usedBy: 'Playwright',
    description: 'set: `.only` fails the run, a failed test runs once more, a JSON report in test-results/',
  }),
} satisfies Record<string, EnvVar>;
