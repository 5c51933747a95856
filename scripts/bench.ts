/**
 * npm run bench -- [options]   (`npm run bench -- --help` lists them; scripts/bench/options.ts declares them)
 *
 * Loads N messages into a fresh database on the Postgres server (TEST_POSTGRES_URL or DATABASE_URL,
 * default postgres://postgres@127.0.0.1:5432/postgres) and prints one table, every figure measured
 * in this run:
 *   - ingest through the HTTP API (the built app, `next start`) beside a raw COPY of the same rows
 *     into a bare table (done first), and their ratio; the rows arrive as a live feed would, in
 *     creation order with jitter, spread over 90 days (scripts/bench/messages.ts);
 *   - /api/v1/kpis latency (median, p95, after --warmup untimed calls) for 24 h, 7 d and 90 d
 *     windows beside the same KPIs by plain SQL over the raw log (lib/kpi/raw-baseline.ts), and
 *     their ratio;
 *   - the rollup rebuild job over the whole log (lib/kpi/rebuild.ts, run from this process) beside one
 *     plain GROUP BY of the log into hourly cells, and the rows it had to fix (0 when the ingest's
 *     deltas held at this size); --skip-rebuild leaves it out (scripts/bench/rebuild.ts);
 *   - alerts: one evaluation pass of 500 rules × 20 facilities over the loaded log (scripts/bench/alerts.ts);
 *   - peak memory (RSS) of the server process;
 *   - SAP IDoc status files (--imports N EDIDS rows, N/5 EDIDC records, about 200 MB at a million)
 *     imported through the API, beside the JSON ingest's message rate, and the server's peak RSS
 *     while it imports (scripts/bench/imports.ts);
 *   - with --reconcile N: snapshot import through the API (rows/s, two snapshots of N positions),
 *     and reconciliation of N × N positions with ~1% differences beside a bare SQL FULL OUTER
 *     JOIN of the same two tables (the machine's limit; scripts/bench/reconcile.ts). --messages 0
 *     skips the message part.
 *   - the server render of each of the seven pages as a signed-in manager (p95 of 20 after 3 warm-ups,
 *     default range; scripts/bench/pages.ts), after the message load;
 *   - hooks for the retention drop and the alert evaluation (scripts/bench/retention.ts, alerts.ts),
 *     null until those parts exist.
 * --json prints, after the table, every figure as one JSON object on the last line (the keys of
 * scripts/bench/figures.ts; null where a part was left out).
 * --ceiling adds COPYs with only some of the log's indexes; --server-node-args gives the server's
 * node flags (a CPU profile of the ingest, say; the profile is written when the bench stops it).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import postgres from 'postgres';
import { openDatabase, type DbHandle } from '../db';
import { createApiKey } from '../lib/auth/api-keys';
import { bootstrap } from '../lib/bootstrap';
import { runCli } from '../lib/cli/args';
import { buildIsStale } from './build-state.mjs';
import { rssOf, waitFor } from './bench/measure';
import { benchAlerts } from './bench/alerts';
import { emptyFigures } from './bench/figures';
import { benchImports } from './bench/imports';
import { benchMessages } from './bench/messages';
import { benchConfig } from './bench/options';
import { benchPages } from './bench/pages';
import { benchReconcile } from './bench/reconcile';
import { benchRebuild } from './bench/rebuild';
import { benchRetention } from './bench/retention';
import { benchSizes } from './bench/sizes';
import { log, printTable, type BenchRun, type Row } from './bench/table';

const root = path.resolve(__dirname, '..');

async function main() {
  const cfg = benchConfig(process.argv.slice(2));
  const stale = buildIsStale(root);
  if (stale) {
    log(`${stale}: running next build`);
    const next = path.join(root, 'node_modules', '.bin', 'next');
    const b = spawnSync(next, ['build'], { stdio: 'inherit', cwd: root, env: { ...process.env, DATABASE_URL: '' } });
    if (b.status !== 0) throw new Error('build failed');
  }
  const dbName = `sh_bench_${Date.now()}`;
  const admin = postgres(cfg.baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${dbName}`);
  const url = new URL(cfg.baseUrl);
  url.pathname = `/${dbName}`;
  const dbUrl = url.toString();
  let server: ChildProcess | null = null;
  let handle: DbHandle | null = null;
  const rows: Row[] = [];
  const figures = emptyFigures(cfg.n);
  try {
    handle = await openDatabase({ url: dbUrl, purpose: 'bench' });
    await bootstrap(handle.db, { demo: false });
    const { key } = await createApiKey(handle.db, 'bench');

    const next = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
    server = spawn(process.execPath, [...cfg.serverNodeArgs, next, 'start', '-p', String(cfg.port)], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: dbUrl,
        // A production server refuses a weak session secret (lib/env).
        NEXTAUTH_SECRET: randomBytes(32).toString('base64url'),
        AUTH_TRUST_HOST: 'true',
        DEMO_MODE: '0',
        SKIP_DEMO_DATA: '1',
        NODE_ENV: 'production',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await waitFor(`http://127.0.0.1:${cfg.port}/api/health`, 60_000);
    const serverPid = server.pid!;
    let peak = rssOf(serverPid);
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(serverPid))), 250);

    const run: BenchRun = { handle, pg: handle.pg!, key, dbUrl, serverPid, rows, figures };
    const apiRate = cfg.n > 0 ? await benchMessages(cfg, run) : null;
    if (!cfg.skipPages) await benchPages(cfg, run);
    if (cfg.n > 0 && !cfg.skipRebuild) await benchRebuild(run);
    if (cfg.imports > 0) await benchImports(cfg, run, apiRate);
    if (cfg.positions > 0) await benchReconcile(cfg, run);
    await benchSizes(run);
    figures.retention = await benchRetention(cfg, run);
    figures.alerts = await benchAlerts(cfg, run);
    clearInterval(sampler);
    figures.rssMb = Math.round(peak / 1048576);
    rows.push(['server peak RSS (MB)', (peak / 1048576).toFixed(0), '—', 'target < 500']);
  } finally {
    server?.kill('SIGTERM');
    await handle?.close();
    if (!cfg.keep) await admin.unsafe(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
  printTable(cfg, rows, url.host, figures);
}

runCli(main, { stack: true });
