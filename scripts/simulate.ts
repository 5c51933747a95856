/**
 * npm run simulate -- --facilities 3 --days 30 --messages-per-day 5000 --seed 42 [--scenario name …]
 *                     [--until 2026-11-20T00:00:00Z] [--target http://host:port --key <api key>]
 * The same seed and --until give the same data, and sending it again changes nothing. With
 * --target it posts through the real HTTP API; without, it writes straight into the configured
 * database (DATABASE_URL or the embedded one) for bulk loads.
 */
import { parseArgs } from 'node:util';
import { closeDb, getHandle } from '../db';
import { bootstrap } from '../lib/bootstrap';
import { loadSimulation, type LoadSummary } from '../lib/simulator/load';
import { SCENARIOS, SCENARIO_NAMES, type ScenarioName } from '../lib/simulator/scenarios';
import { simulate } from '../lib/simulator/simulate';

const OPTIONS = {
  facilities: { type: 'string', default: '3', arg: 'N', help: 'facilities DC1…DCN (default 3)' },
  days: { type: 'string', default: '30', arg: 'N', help: 'days of traffic (default 30)' },
  'messages-per-day': { type: 'string', default: '5000', arg: 'N', help: 'per facility (default 5000)' },
  seed: { type: 'string', default: '42', arg: 'N', help: 'the random seed (default 42)' },
  scenario: { type: 'string', multiple: true, arg: 'NAME', help: 'only this scenario (repeatable; default: all)' },
  until: { type: 'string', arg: 'ISO-TIME', help: 'the period ends here, to the minute (default: now)' },
  target: { type: 'string', arg: 'URL', help: "post through this server's HTTP API (default: into the database)" },
  key: { type: 'string', arg: 'KEY', help: 'the API key for --target' },
  help: { type: 'boolean', short: 'h', arg: '', help: 'print this and exit' },
} as const;

const USAGE = [
  'usage: npm run simulate -- [options]',
  ...Object.entries(OPTIONS).map(([name, o]) => `  ${`--${name} ${o.arg}`.padEnd(28)}${o.help}`),
  `scenarios: ${SCENARIO_NAMES.join(', ')}`,
].join('\n');

/** A mistake in the command line: exit code 2. */
class UsageError extends Error {}
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

function parse(args: string[]) {
  try {
    return parseArgs({ args, options: OPTIONS }).values;
  } catch (e) {
    const { code, message } = e as { code?: string; message: string };
    if (!code?.startsWith('ERR_PARSE_ARGS_')) throw e;
    const unknown = code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && /'([^']+)'/.exec(message)?.[1];
    const valid = Object.keys(OPTIONS).map((o) => `--${o}`).join(', ');
    throw new UsageError(unknown ? `unknown option ${unknown}; valid options: ${valid}` : message);
  }
}

function bar(done: number, total: number) {
  const w = 30;
  const filled = Math.round((done / total) * w);
  const count = `${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}`;
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(w - filled)}] ${count} messages`);
  if (done >= total) process.stderr.write('\n');
}

type Answer = { accepted?: number; updated?: number; unchanged?: number | boolean; rejected?: unknown[] };

async function post(target: string, key: string, path: string, body: unknown) {
  const res = await fetch(new URL(path, target), {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let json: Answer & { error?: { message: string } } = {};
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON: reported below */
  }
  if (!res.ok) throw new Error(`${path}: ${res.status} ${json.error?.message ?? text.slice(0, 300)}`);
  if (json.rejected?.length) throw new Error(`${path}: rejected ${JSON.stringify(json.rejected.slice(0, 3))}`);
  return json;
}

async function postAll(target: string, key: string, sim: ReturnType<typeof simulate>) {
  const summary: LoadSummary = {};
  const add = (feed: string, r: Answer) => {
    const t = (summary[feed] ??= { accepted: 0, updated: 0, unchanged: 0 });
    t.accepted += r.accepted ?? 0;
    t.updated += r.updated ?? 0;
    t.unchanged += Number(r.unchanged ?? 0);
  };
  add('items', await post(target, key, '/api/v1/items', sim.items));
  add('changes', await post(target, key, '/api/v1/changes', sim.changes));
  for (let i = 0; i < sim.corrections.length; i += 5000) {
    add('corrections', await post(target, key, '/api/v1/corrections', sim.corrections.slice(i, i + 5000)));
  }
  for (let i = 0; i < sim.messages.length; i += 5000) {
    add('messages', await post(target, key, '/api/v1/messages', sim.messages.slice(i, i + 5000)));
    bar(Math.min(sim.messages.length, i + 5000), sim.messages.length);
  }
  for (const snap of sim.snapshots) {
    // 201 stored, 200 stored already with the same rows (unchanged); anything else throws.
    const r = await post(target, key, '/api/v1/snapshots', snap);
    add('snapshots', r.unchanged === true ? { unchanged: 1 } : { accepted: 1 });
  }
  return summary;
}

async function main() {
  const values = parse(process.argv.slice(2));
  if (values.help) return void console.log(USAGE);
  const num = (name: string, v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a whole number ≥ 1`);
    return n;
  };
  const scenarios = (values.scenario ?? []) as ScenarioName[];
  for (const s of scenarios) if (!(s in SCENARIOS)) throw new UsageError(`unknown scenario ${s}`);
  if (values.target && !values.key) throw new UsageError('--target needs --key');
  const until = values.until === undefined ? undefined : new Date(values.until);
  if (until && (!ISO_TIME.test(values.until!) || Number.isNaN(until.getTime()))) {
    throw new UsageError(`--until must be an ISO time such as 2026-11-20T06:00:00Z, not ${values.until}`);
  }
  const sim = simulate({
    facilities: num('facilities', values.facilities),
    days: num('days', values.days),
    messagesPerDay: num('messages-per-day', values['messages-per-day']),
    seed: num('seed', values.seed),
    scenarios,
    until,
  });
  const what = [
    `${sim.messages.length.toLocaleString('en-US')} message records`,
    `${sim.corrections.length} corrections`,
    `${sim.changes.length} changes`,
    `${sim.snapshots.length} snapshots`,
  ];
  console.log(`Simulated ${what.join(', ')} (${sim.start} → ${sim.end}).`);
  let summary: LoadSummary;
  if (values.target) {
    console.log(`Posting through the HTTP API at ${values.target} …`);
    summary = await postAll(values.target, values.key!, sim);
  } else {
    const h = await getHandle('simulate');
    await bootstrap(h.db, { demo: false });
    console.log(`Writing straight into the database (${h.kind}: ${h.location}) through the ingest code …`);
    summary = await loadSimulation(h.db, sim, { onProgress: bar });
  }
  console.log('\nWritten:');
  for (const [feed, t] of Object.entries(summary)) {
    const n = (x: number) => x.toLocaleString('en-US').padStart(9);
    console.log(`  ${feed.padEnd(12)} ${n(t.accepted)} new ${n(t.updated)} updated ${n(t.unchanged)} unchanged`);
  }
  if (values.target) console.log('Start a reconciliation per facility with POST /api/v1/reconciliations.');
  console.log('\nInjected (ground truth):');
  for (const t of sim.truth.sort((a, b) => a.scenario.localeCompare(b.scenario))) {
    console.log(`  ${t.scenario.padEnd(28)} ${String(t.injected).padStart(6)}   e.g. ${t.ids.slice(0, 2).join(', ')}`);
  }
}

main()
  .then(() => closeDb())
  .catch(async (e) => {
    await closeDb().catch(() => {});
    if (e instanceof UsageError) {
      console.error(`error: ${e.message}\n(npm run simulate -- --help lists the options)`);
      process.exit(2);
    }
    console.error(`error: ${(e as Error).message}`);
    process.exit(1);
  });
