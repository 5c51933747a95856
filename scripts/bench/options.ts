/** The bench's command line and what it reads from the environment, parsed once into a BenchConfig. */
import { defineCommand, parseCommandLine } from '../../lib/cli/args';
import { env } from '../../lib/env';

export const BENCH_COMMAND = defineCommand({
  program: 'npm run bench',
  usage: '[options]',
  description: [
    'Loads messages into a fresh database on the Postgres server (TEST_POSTGRES_URL or DATABASE_URL, default',
    'postgres://postgres@127.0.0.1:5432/postgres) through the built app, and prints one table: each figure beside a',
    'baseline measured in the same run (raw COPY, plain SQL, a bare FULL OUTER JOIN). Builds the app first when a',
    'source file is newer than the build.',
  ].join('\n'),
  options: {
    messages: { type: 'integer', min: 0, default: 1_000_000, description: 'messages to ingest over 90 days (0: none)' },
    batch: { type: 'integer', min: 1, default: 5000, description: 'messages per request' },
    senders: { type: 'integer', min: 1, default: 2, description: 'concurrent API senders' },
    calls: {
      type: 'integer',
      min: 1,
      default: 50,
      description: 'timed /api/v1/kpis calls per window (24 h, 7 d, 90 d)',
    },
    warmup: { type: 'integer', min: 0, default: 10, description: 'untimed /api/v1/kpis calls per window before those' },
    'baseline-calls': { type: 'integer', min: 1, default: 5, description: 'calls of the plain SQL KPIs per window' },
    port: { type: 'integer', min: 1, max: 65535, default: 3390, description: 'port of the server the bench starts' },
    keep: { type: 'boolean', description: 'keep the bench database after the run (dropped by default)' },
    'skip-rebuild': { type: 'boolean', description: 'leave out the rollup rebuild over the whole log' },
    'skip-pages': { type: 'boolean', description: 'leave out the page timings' },
    reconcile: {
      type: 'integer',
      min: 0,
      default: 0,
      description: 'positions per side to import and reconcile (0: none)',
    },
    imports: {
      type: 'integer',
      min: 0,
      default: 1_000_000,
      description: 'EDIDS rows of the SAP IDoc import (with a fifth as many EDIDC records; 0: none)',
    },
    json: {
      type: 'boolean',
      description: 'after the table, print every figure as one JSON object on the last line (null: not measured)',
    },
    ceiling: {
      type: 'boolean',
      description: 'also COPY into the log with only its primary key, and with it and created_at',
    },
    'server-node-args': {
      type: 'string',
      default: '',
      placeholder: 'flags',
      description: 'node flags for the server, with "=": "--server-node-args=--cpu-prof --cpu-prof-dir=.prof"',
    },
  },
});

export interface BenchConfig {
  /** --messages */
  n: number;
  batch: number;
  senders: number;
  calls: number;
  warmup: number;
  baselineCalls: number;
  port: number;
  keep: boolean;
  skipRebuild: boolean;
  skipPages: boolean;
  /** --reconcile: positions per side */
  positions: number;
  ceiling: boolean;
  /** --imports: EDIDS rows */
  imports: number;
  json: boolean;
  serverNodeArgs: string[];
  /** The Postgres server where the bench creates its database. */
  baseUrl: string;
  /** The traffic's end: messages are created over the 90 days before it. */
  now: number;
}

/** Throws a CliExit on --help or a wrong option, an EnvError on a bad environment. */
export function benchConfig(argv: string[]): BenchConfig {
  const { values: a } = parseCommandLine(BENCH_COMMAND, argv);
  const { TEST_POSTGRES_URL, DATABASE_URL } = env();
  return {
    n: a.messages,
    batch: a.batch,
    senders: a.senders,
    calls: a.calls,
    warmup: a.warmup,
    baselineCalls: a['baseline-calls'],
    port: a.port,
    keep: a.keep,
    skipRebuild: a['skip-rebuild'],
    skipPages: a['skip-pages'],
    positions: a.reconcile,
    ceiling: a.ceiling,
    imports: a.imports,
    json: a.json,
    serverNodeArgs: a['server-node-args'].split(' ').filter(Boolean),
    baseUrl: TEST_POSTGRES_URL ?? DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    now: Date.now(),
  };
}
