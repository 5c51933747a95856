/**
 * npm run bench -- [--messages 1000000] [--batch 5000] [--senders 2] [--calls 50] [--warmup 10] [--baseline-calls 5] [--reconcile 1000000] [--skip-rebuild] [--keep]
 *   [--ceiling] ["--server-node-args=--cpu-prof --cpu-prof-dir=.prof"]
 *
 * Loads N messages into a fresh database on the Postgres server (TEST_POSTGRES_URL or DATABASE_URL,
 * default postgres://postgres@127.0.0.1:5432/postgres) and prints one table, every figure measured
 * in this run:
 *   - ingest through the HTTP API (the built app, `next start`) beside a raw COPY of the same rows
 *     into a bare table (done first), and their ratio; the rows arrive as a live feed would, in creation order
 *     with jitter, spread over 90 days;
 *   - /api/v1/kpis latency (median, p95, after --warmup untimed calls) for 24 h, 7 d and 90 d windows beside the same KPIs by
 *     plain SQL over the raw log (lib/kpi/raw-baseline.ts), and their ratio;
 *   - the rollup rebuild job over the whole log (lib/kpi/rebuild.ts, run from this process) beside one
 *     plain GROUP BY of the log into hourly cells, and the rows it had to fix (0 when the ingest's
 *     deltas held at this size); --skip-rebuild leaves it out;
 *   - peak memory (RSS) of the server process;
 *   - with --reconcile N: snapshot import through the API (rows/s, two snapshots of N positions),
 *     and reconciliation of N × N positions with ~1% differences beside a bare SQL FULL OUTER
 *     JOIN of the same two tables (the machine's limit). --messages 0 skips the message part.
 * --ceiling adds COPYs with only some of the log's indexes; --server-node-args gives the server's
 * node flags (a CPU profile of the ingest, say; the profile is written when the bench stops it).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { openDatabase, type DbHandle } from '../db';
import { createApiKey } from '../lib/auth/api-keys';
import { bootstrap } from '../lib/bootstrap';
import { computeKpisFromRaw } from '../lib/kpi/raw-baseline';
import { executeRebuild, getRebuild, requestRebuild } from '../lib/kpi/rebuild';
import { buildIsStale } from './build-state.mjs';
import { batchOf as batchOfTraffic } from './bench-traffic.mjs';

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '5000' },
    senders: { type: 'string', default: '2' },
    calls: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '10' },
    'baseline-calls': { type: 'string', default: '5' },
    port: { type: 'string', default: '3390' },
    keep: { type: 'boolean', default: false },
    'skip-rebuild': { type: 'boolean', default: false },
    reconcile: { type: 'string', default: '0' },
    ceiling: { type: 'boolean', default: false },
    'server-node-args': { type: 'string', default: '' },
  },
});
const POSITIONS = Number(args.reconcile);
const N = Number(args.messages);
const BATCH = Number(args.batch);
const SENDERS = Number(args.senders);
const CALLS = Number(args.calls);
const WARMUP = Number(args.warmup);
const BASELINE_CALLS = Number(args['baseline-calls']);
const PORT = Number(args.port);
const BASE_URL = process.env.TEST_POSTGRES_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const root = path.resolve(__dirname, '..');
const log = (s: string) => process.stderr.write(s + '\n');

// ---------------------------------------------------------------- deterministic traffic
const NOW = Date.now();
const TRAFFIC = path.join(__dirname, 'bench-traffic.mjs');
const batchOf = (b: number) => batchOfTraffic(b, N, BATCH, NOW);

/**
 * The API senders' request bodies, made by a worker thread a few batches ahead, as a load
 * generator would have them ready: making them (~8 µs a message) is then off each sender's path
 * from one response to its next request. It still runs on this machine's cores, beside the server.
 */
function bodiesAhead(batches: number, ahead: number) {
  const worker = new Worker(TRAFFIC, { workerData: { traffic: { n: N, batch: BATCH, now: NOW } } });
  const ready = new Map<number, Uint8Array<ArrayBuffer>>();
  const waiting = new Map<number, { resolve: (body: Uint8Array<ArrayBuffer>) => void; reject: (e: Error) => void }>();
  let asked = 0;
  let failed: Error | null = null;
  worker.on('message', ({ b, body }: { b: number; body: Uint8Array<ArrayBuffer> }) => {
    const w = waiting.get(b);
    if (!w) ready.set(b, body);
    else {
      waiting.delete(b);
      w.resolve(body);
    }
  });
  worker.on('error', (e) => {
    failed = e;
    for (const w of waiting.values()) w.reject(e);
  });
  return {
    /** Batch b's body; asks for the batches after it, up to `ahead`. */
    take(b: number): Promise<Uint8Array<ArrayBuffer>> {
      while (asked < batches && asked <= b + ahead) worker.postMessage(asked++);
      if (failed) return Promise.reject(failed);
      const body = ready.get(b);
      if (body) {
        ready.delete(b);
        return Promise.resolve(body);
      }
      return new Promise((resolve, reject) => waiting.set(b, { resolve, reject }));
    },
    close: () => worker.terminate(),
  };
}

// ---------------------------------------------------------------- helpers
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
};
const median = (xs: number[]) => pct(xs, 0.5);

/** A process and its descendants, from /proc (those gone meanwhile are left out). */
function processTree(pid: number): number[] {
  const out = [pid];
  try {
    const kids = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    for (const k of kids ? kids.split(/\s+/) : []) out.push(...processTree(Number(k)));
  } catch {
    /* gone */
  }
  return out;
}

function rssOf(pid: number): number {
  let total = 0;
  for (const p of processTree(pid)) {
    try {
      total += Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0) * 1024;
    } catch {
      /* gone */
    }
  }
  return total;
}

/** CPU seconds (user + system) of one process, from /proc; 0 when it is gone. */
function cpuSeconds(pid: number | string): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses ("next-server (v16…)"): fields follow the last ") ".
    const f = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return 0;
  }
}

/** CPU seconds of a process and its descendants. */
const cpuOf = (pid: number) => processTree(pid).reduce((sum, p) => sum + cpuSeconds(p), 0);

/** CPU seconds of every Postgres server process on this machine (the bench's database is the only busy one). */
function postgresCpu(): number {
  let total = 0;
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').startsWith('postgres')) total += cpuSeconds(d);
    } catch {
      /* gone */
    }
  }
  return total;
}

/**
 * Where the cores went during a timed load: this process (the load generator, its worker
 * included), the server, and Postgres, as % of one core. Postgres processes that ended during the
 * load (none do: the pools keep their connections) would be missed.
 */
function cpuMeter(serverPid: number | null) {
  const take = () => ({ at: performance.now(), bench: process.cpuUsage(), server: serverPid ? cpuOf(serverPid) : 0, pg: postgresCpu() });
  const start = take();
  return () => {
    const end = take();
    const secs = (end.at - start.at) / 1000;
    const pct = (x: number) => Math.round((100 * x) / secs);
    return {
      bench: pct((end.bench.user - start.bench.user + end.bench.system - start.bench.system) / 1e6),
      server: pct(end.server - start.server),
      pg: pct(end.pg - start.pg),
    };
  };
}

async function waitFor(url: string, ms: number) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not answer within ${ms} ms`);
}

/** Why the app must be built before it is measured (no build, or a source newer than it), or null. */
async function main() {
  const stale = buildIsStale(root);
  if (stale) {
    log(`${stale}: running next build`);
    const b = spawnSync(path.join(root, 'node_modules', '.bin', 'next'), ['build'], { stdio: 'inherit', cwd: root, env: { ...process.env, DATABASE_URL: '' } });
    if (b.status !== 0) throw new Error('build failed');
  }
  const dbName = `sh_bench_${Date.now()}`;
  const admin = postgres(BASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${dbName}`);
  const url = new URL(BASE_URL);
  url.pathname = `/${dbName}`;
  const dbUrl = url.toString();
  let server: ChildProcess | null = null;
  let handle: DbHandle | null = null;
  const rows: [string, string, string, string][] = [];
  try {
    handle = await openDatabase({ url: dbUrl, purpose: 'bench' });
    await bootstrap(handle.db, { demo: false });
    const { key } = await createApiKey(handle.db, 'bench');
    const pg = handle.pg!;

    const nodeArgs = args['server-node-args'].split(' ').filter(Boolean);
    server = spawn(process.execPath, [...nodeArgs, path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'start', '-p', String(PORT)], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: dbUrl, NEXTAUTH_SECRET: 'bench', AUTH_TRUST_HOST: 'true', DEMO_MODE: '0', SKIP_DEMO_DATA: '1', NODE_ENV: 'production' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await waitFor(`http://127.0.0.1:${PORT}/api/health`, 60_000);
    let peak = rssOf(server.pid!);
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(server!.pid!))), 250);

    if (N > 0) await benchMessages(pg, key, handle, rows, server.pid!, dbUrl);
    if (N > 0 && !args['skip-rebuild']) await benchRebuild(handle.pg!, handle, rows);
    if (POSITIONS > 0) await benchReconcile(pg, key, rows);
    clearInterval(sampler);
    rows.push(['server peak RSS (MB)', (peak / 1048576).toFixed(0), '—', 'target < 500']);
  } finally {
    server?.kill('SIGTERM');
    await handle?.close();
    if (!args.keep) await admin.unsafe(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
  printTable(rows, url.host);
}

type Row = [string, string, string, string];

async function benchMessages(pg: postgres.Sql, key: string, handle: DbHandle, rows: Row[], serverPid: number, dbUrl: string) {
    // ---- the same rows by COPY into a bare table (the machine's limit), and into a copy of the log
    // with its key and indexes (the limit for any ingest that keeps them). First, so that the write-back
    // of these 20M rows is over before the KPI latency is measured. Each timed load starts from a
    // checkpoint: none pays for the WAL and dirty pages of the one before.
    const batches = Math.ceil(N / BATCH);
    const copyRows = async (table: string) => {
      await pg.unsafe('checkpoint');
      const t1 = performance.now();
      const meter = cpuMeter(null);
      const cols = ['message_id', 'tx_type', 'direction', 'facility', 'correlation_key', 'line_key', 'sku', 'quantity', 'uom', 'lot', 'location', 'status', 'attempts', 'error_code', 'error_message', 'created_at', 'processed_at', 'updated_at', 'payload'];
      const stream = await pg.unsafe(`copy ${table} (${cols.join(',')}) from stdin with (format csv)`).writable();
      const esc = (v: unknown) => (v === null || v === undefined ? '' : `"${String(v).replace(/"/g, '""')}"`);
      for (let b = 0; b < batches; b++) {
        const lines = batchOf(b)
          .map((m) => [m.messageId, m.txType, m.direction, m.facility, m.correlationKey, m.lineKey, m.sku, m.quantity, m.uom, m.lot, m.location, m.status, m.attempts, m.errorCode, m.errorMessage, m.createdAt, m.processedAt, m.processedAt ?? m.createdAt, JSON.stringify(m.payload)].map(esc).join(','))
          .join('\n') + '\n';
        if (!stream.write(lines)) await new Promise((r) => stream.once('drain', r));
      }
      await new Promise<void>((resolve, reject) => stream.end((e?: Error | null) => (e ? reject(e) : resolve())));
      return { rate: N / ((performance.now() - t1) / 1000), cpu: meter() };
    };
    await pg.unsafe(`create table bench_copy (like integration_messages including defaults excluding identity excluding generated excluding indexes)`);
    const { rate: copyRate, cpu: copyCpu } = await copyRows('bench_copy');
    await pg.unsafe('drop table bench_copy');
    await pg.unsafe(`create table bench_copy_indexed (like integration_messages including all)`);
    const { rate: indexedRate, cpu: indexedCpu } = await copyRows('bench_copy_indexed');
    await pg.unsafe('drop table bench_copy_indexed');
    // --ceiling: the same COPY with only the primary key that any upsert by messageId needs, then with
    // the created_at index too, to show what each index of the log costs before the API does anything.
    const ceiling: [string, number][] = [];
    if (args.ceiling) {
      for (const [label, ddl] of [
        ['primary key only', 'alter table bench_copy_some add primary key (message_id)'],
        ['primary key and created_at', 'alter table bench_copy_some add primary key (message_id); create index on bench_copy_some (created_at)'],
      ] as const) {
        await pg.unsafe(`create table bench_copy_some (like integration_messages including defaults excluding identity excluding generated excluding indexes)`);
        await pg.unsafe(ddl);
        ceiling.push([label, (await copyRows('bench_copy_some')).rate]);
        await pg.unsafe('drop table bench_copy_some');
      }
    }
    // ---- ingest through the API
    await pg.unsafe('checkpoint');
    let next = 0;
    let done = 0;
    const bodies = bodiesAhead(batches, 2 * SENDERS);
    const t0 = performance.now();
    const apiMeter = cpuMeter(serverPid);
    const sender = async () => {
      for (;;) {
        const b = next++;
        if (b >= batches) return;
        const body = await bodies.take(b);
        const res = await fetch(`http://127.0.0.1:${PORT}/api/v1/messages`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body });
        const json = (await res.json()) as { accepted: number; rejected: unknown[] };
        if (!res.ok || json.rejected.length) throw new Error(`batch ${b}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
        done += BATCH;
        if (b % 20 === 0) process.stderr.write(`\ringest ${Math.min(done, N).toLocaleString('en-US')} / ${N.toLocaleString('en-US')}`);
      }
    };
    try {
      await Promise.all(Array.from({ length: SENDERS }, sender));
    } finally {
      await bodies.close();
    }
    const apiSeconds = (performance.now() - t0) / 1000;
    const apiCpu = apiMeter();
    process.stderr.write('\n');

    const apiRate = N / apiSeconds;
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    rows.push(['ingest via API (msg/s)', fmt(apiRate), `${fmt(copyRate)} (COPY, bare table)`, `${((apiRate / copyRate) * 100).toFixed(0)}% of COPY`]);
    rows.push(['  the same, against COPY into the log\'s indexes', fmt(apiRate), `${fmt(indexedRate)} (COPY, copy of integration_messages with its indexes)`, `${((apiRate / indexedRate) * 100).toFixed(0)}% of that COPY`]);
    for (const [label, rate] of ceiling) {
      rows.push([`  COPY with the log's ${label}`, fmt(rate), `${fmt(copyRate)} (COPY, bare table)`, `${((rate / copyRate) * 100).toFixed(0)}% of bare COPY`]);
    }
    rows.push(['  COPY with all four of the log\'s indexes', fmt(indexedRate), `${fmt(copyRate)} (COPY, bare table)`, `${((indexedRate / copyRate) * 100).toFixed(0)}% of bare COPY`]);
    const cores = os.availableParallelism();
    rows.push([
      '  CPU during the load (% of one core)',
      `server ${apiCpu.server}, Postgres ${apiCpu.pg}, load generator ${apiCpu.bench}`,
      `bare COPY: Postgres ${copyCpu.pg}, generator ${copyCpu.bench}`,
      `${cores} cores: ${cores * 100}% in all`,
    ]);
    // The same CPU per batch, beside what the cores allow a batch at 40% of the bare COPY (the
    // issue's target): where the time goes, and how far it is from fitting.
    const perBatch = (pct: number, rate: number) => (pct / 100) * (BATCH / rate) * 1000;
    const serverMs = perBatch(apiCpu.server, apiRate);
    const postgresMs = perBatch(apiCpu.pg, apiRate);
    const generatorMs = perBatch(apiCpu.bench, apiRate);
    const indexedCopyMs = perBatch(indexedCpu.pg, indexedRate);
    const spent = serverMs + postgresMs + generatorMs;
    const budget = (cores * 1000 * BATCH) / (0.4 * copyRate);
    rows.push([
      `  CPU per batch of ${BATCH.toLocaleString('en-US')} (core-ms)`,
      `${spent.toFixed(0)}: server ${serverMs.toFixed(0)}, Postgres ${postgresMs.toFixed(0)}, load generator ${generatorMs.toFixed(0)}`,
      `${budget.toFixed(0)} (what ${cores} cores allow a batch at 40% of bare COPY); COPY into the log's indexes alone: Postgres ${indexedCopyMs.toFixed(0)}`,
      `${(spent / budget).toFixed(2)}× that allowance`,
    ]);
    // What no ingest that keeps the log's indexes can spend less on, on these cores: Postgres's own
    // COPY into them, and the load generator sharing the cores. What is left of the allowance is all
    // the server (HTTP, JSON.parse, validation) and the rest of Postgres's work (duplicates, rollups,
    // sketches, commit) may take.
    const floor = indexedCopyMs + generatorMs;
    rows.push([
      '  of which no ingest keeping the indexes can avoid',
      `${floor.toFixed(0)}: Postgres's COPY into the log's indexes ${indexedCopyMs.toFixed(0)}, load generator ${generatorMs.toFixed(0)}`,
      `${Math.max(0, budget - floor).toFixed(0)} left of the allowance for the rest; it took ${(spent - floor).toFixed(0)} (server, and Postgres beyond the COPY)`,
      `${((spent - floor) / Math.max(1, budget - floor)).toFixed(1)}× what is left`,
    ]);
    // The load is over: statistics, the vacuum that autovacuum would otherwise start during the
    // KPI calls (PG 13+ vacuums a table after inserts of a fifth of its size; at 10M rows that is
    // a pass over gigabytes), and its dirty pages flushed, before latency is measured.
    log('vacuum analyze and checkpoint after the load');
    await pg.unsafe('vacuum analyze');
    await pg.unsafe('checkpoint');

    // ---- KPI latency vs plain SQL over the raw log. The plain SQL runs as a dashboard tool would send
    // it, with the server's own settings (JIT included), where the app's pool turns JIT off.
    const plain = postgres(dbUrl, { max: 1, onnotice: () => {} });
    const plainDb = drizzlePostgres(plain) as unknown as DbHandle['db'];
    for (const [label, hours] of [['24h', 24], ['7d', 168], ['90d', 2160]] as const) {
      const to = new Date();
      const from = new Date(to.getTime() - hours * 3_600_000);
      const q = `from=${from.toISOString()}&to=${to.toISOString()}`;
      // Untimed calls first: the route's first requests load and compile its code, and each pooled
      // connection prepares the KPI statements on first use (the first call took ~350 ms).
      const call = async () => (await fetch(`http://127.0.0.1:${PORT}/api/v1/kpis?${q}`, { headers: { authorization: `Bearer ${key}` } })).json();
      for (let i = 0; i < WARMUP; i++) await call();
      const api: number[] = [];
      for (let i = 0; i < CALLS; i++) {
        const t = performance.now();
        await call();
        api.push(performance.now() - t);
      }
      const raw: number[] = [];
      for (let i = 0; i < BASELINE_CALLS; i++) {
        const t = performance.now();
        await computeKpisFromRaw(plainDb, { from, to });
        raw.push(performance.now() - t);
      }
      rows.push([
        `/api/v1/kpis ${label} (ms)`,
        `median ${median(api).toFixed(1)}, p95 ${pct(api, 0.95).toFixed(1)}`,
        `median ${median(raw).toFixed(0)}, p95 ${pct(raw, 0.95).toFixed(0)} (plain SQL, ${BASELINE_CALLS} calls)`,
        `${(median(raw) / median(api)).toFixed(1)}× faster`,
      ]);
    }
    await plain.end();
}

/** The rebuild job over the whole log, beside one GROUP BY of the log into hourly cells. */
async function benchRebuild(pg: postgres.Sql, handle: DbHandle, rows: Row[]) {
  const t = performance.now();
  const { id } = await requestRebuild(handle.db, 'bench');
  let shown = -1;
  await executeRebuild(handle.db, id, (p) => {
    if (p.stage === 'days' && p.daysDone !== shown) process.stderr.write(`\rrebuild day ${(shown = p.daysDone) + 1} / ${p.days}`);
  });
  const seconds = (performance.now() - t) / 1000;
  process.stderr.write('\n');
  const job = (await getRebuild(handle.db, id))!;
  if (job.status !== 'succeeded') throw new Error(`rebuild ${job.status}: ${job.error}`);
  const t2 = performance.now();
  await pg.unsafe(`select date_trunc('hour', created_at, 'UTC'), facility, tx_type, direction, count(*), count(*) filter (where status in ('failed', 'dead_letter')),
      count(*) filter (where status in ('failed', 'dead_letter') or attempts > 1), count(*) filter (where status = 'delivered'),
      sum(extract(epoch from processed_at - created_at)) filter (where status = 'delivered'), count(*) filter (where is_duplicate)
    from integration_messages group by 1, 2, 3, 4`);
  const plain = (performance.now() - t2) / 1000;
  const r = job.result!;
  rows.push([
    `rollup rebuild, ${r.days} days (s)`,
    `${seconds.toFixed(1)} (${r.rowsFixed} rows, ${r.duplicateFlagsFixed} duplicate flags fixed)`,
    `${plain.toFixed(1)} (one GROUP BY of the log into hourly cells)`,
    `${(seconds / plain).toFixed(1)}× that query`,
  ]);
}

function printTable(rows: Row[], host: string) {
  const head: [string, string, string, string] = ['measure', 'Sync Health', 'baseline (same run)', 'ratio'];
  const all = [head, ...rows];
  const w = [0, 1, 2, 3].map((c) => Math.max(...all.map((r) => r[c].length)));
  const line = (r: string[]) => '| ' + r.map((x, i) => x.padEnd(w[i])).join(' | ') + ' |';
  console.log(`\nSync Health bench: ${N.toLocaleString('en-US')} messages over 90 days, batches of ${BATCH}, ${SENDERS} senders, KPI latency over ${CALLS} calls after ${WARMUP} untimed${POSITIONS ? `, reconciliation of ${POSITIONS.toLocaleString('en-US')} positions per side` : ''}, Postgres ${host}`);
  console.log(line(head));
  console.log('|' + w.map((n) => '-'.repeat(n + 2)).join('|') + '|');
  for (const r of rows) console.log(line(r));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

// ---------------------------------------------------------------- reconciliation
/** Position i of the ERP snapshot: 20 positions per SKU, CASE of 12 for every item. */
function erpPosition(i: number) {
  return { sku: `R-${Math.floor(i / 20)}`, location: `A-${String(i % 20).padStart(2, '0')}`, lot: i % 3 === 0 ? `L${i % 7}` : null, uom: 'EA', quantity: String(1 + (i % 97)) };
}

/** The WMS side: the same positions but ~1% differ (quantity, missing either side, lot, location, counted in cases). */
function wmsPosition(i: number) {
  const p = erpPosition(i);
  switch (i % 500) {
    case 7: case 107: return { ...p, quantity: String(Number(p.quantity) + 1) };
    case 207: return null; // missing in WMS
    case 307: return { ...p, location: `Z-${p.location}` }; // moved
    case 407: return { ...p, lot: `${p.lot ?? 'L'}-B` }; // lot split
    default: return p;
  }
}

function snapshotBody(system: 'erp' | 'wms', takenAt: string): Buffer {
  const parts: string[] = [`{"system":"${system}","facility":"RB","takenAt":"${takenAt}","rows":[`];
  let first = true;
  for (let i = 0; i < POSITIONS; i++) {
    const p = system === 'erp' ? erpPosition(i) : wmsPosition(i);
    if (!p) continue;
    parts.push((first ? '' : ',') + JSON.stringify(p));
    first = false;
    // A few WMS-only positions (missing in ERP).
    if (system === 'wms' && i % 500 === 457) parts.push(',' + JSON.stringify({ ...p, location: `NEW-${i}` }));
  }
  parts.push(']}');
  return Buffer.from(parts.join(''));
}

async function benchReconcile(pg: postgres.Sql, key: string, rows: Row[]) {
  const api = `http://127.0.0.1:${PORT}`;
  const auth = { authorization: `Bearer ${key}` };
  // ERP item master for every SKU (the factors the comparison converts with).
  const skus = Math.ceil(POSITIONS / 20);
  for (let s = 0; s < skus; s += 5000) {
    const items = [];
    for (let k = s; k < Math.min(skus, s + 5000); k++) items.push({ system: 'erp', sku: `R-${k}`, baseUom: 'EA', uoms: [{ uom: 'CASE', toBase: 12 }], unitCost: (1 + (k % 50)).toFixed(2) });
    const res = await fetch(`${api}/api/v1/items`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(items) });
    if (!res.ok) throw new Error(`items: ${res.status} ${await res.text()}`);
  }
  // ---- snapshot import through the API
  let imported = 0;
  let importSeconds = 0;
  for (const system of ['erp', 'wms'] as const) {
    const body = snapshotBody(system, new Date(Date.now() - 60_000).toISOString());
    log(`snapshot ${system}: ${(body.length / 1048576).toFixed(0)} MB`);
    const t = performance.now();
    const res = await fetch(`${api}/api/v1/snapshots`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: new Uint8Array(body) });
    const json = (await res.json()) as { rows: number };
    if (res.status !== 201) throw new Error(`snapshot ${system}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
    importSeconds += (performance.now() - t) / 1000;
    imported += json.rows;
  }
  const importRate = imported / importSeconds;
  rows.push(['snapshot import via API (rows/s)', Math.round(importRate).toLocaleString('en-US'), '—', `target ≥ 100,000`]);
  await pg.unsafe('analyze snapshot_rows');

  // ---- reconciliation, three runs, median
  const runTimes: number[] = [];
  let counts: Record<string, number> = {};
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    const res = await fetch(`${api}/api/v1/reconciliations`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"facility":"RB"}' });
    const { id } = (await res.json()) as { id: number };
    for (;;) {
      await new Promise((r) => setTimeout(r, 50));
      const s = (await (await fetch(`${api}/api/v1/reconciliations/${id}`, { headers: auth })).json()) as { status: string; counts: Record<string, number>; error: string | null };
      if (s.status === 'succeeded') {
        counts = s.counts;
        break;
      }
      if (s.status === 'failed') throw new Error(`reconciliation failed: ${s.error}`);
    }
    runTimes.push((performance.now() - t) / 1000);
  }
  // ---- the machine's limit: a bare FULL OUTER JOIN of the same two tables (each snapshot's rows
  // are a table of their own: its partition of snapshot_rows)
  const [{ erp, wms }] = await pg<{ erp: number; wms: number }[]>`select max(id) filter (where system = 'erp')::int as erp, max(id) filter (where system = 'wms')::int as wms from snapshots where facility = 'RB'`;
  const joinTimes: number[] = [];
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    await pg.unsafe(
      `select count(*) from snapshot_rows_${erp} e full join snapshot_rows_${wms} w on e.sku = w.sku and e.location = w.location and e.lot = w.lot where e.quantity is distinct from w.quantity`,
    );
    joinTimes.push((performance.now() - t) / 1000);
  }
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  rows.push([
    `reconcile ${POSITIONS.toLocaleString('en-US')} × ${POSITIONS.toLocaleString('en-US')} (s)`,
    `median ${median(runTimes).toFixed(2)} (${total.toLocaleString('en-US')} differences)`,
    `median ${median(joinTimes).toFixed(2)} (bare FULL OUTER JOIN)`,
    `${(median(runTimes) / median(joinTimes)).toFixed(2)}× the join`,
  ]);
}
