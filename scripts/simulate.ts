/**
 * npm run simulate -- --facilities 3 --days 30 --messages-per-day 5000 --seed 42 [--scenario name …]
 *                     [--until 2026-11-20T00:00:00Z] [--target http://host:port --key <api key>]
 * The same seed and --until give the same data, and sending it again changes nothing. With
 * --target it posts through the real HTTP API; without, it writes straight into the configured
 * database (DATABASE_URL or the embedded one) for bulk loads.
 */
import { closeDb, getHandle } from '../db';
import { bootstrap } from '../lib/bootstrap';
import { defineCommand, parseCommandLine, runCli, usageError } from '../lib/cli/args';
import { loadSimulation, type LoadSummary } from '../lib/simulator/load';
import { SCENARIO_NAMES, type ScenarioName } from '../lib/simulator/scenario';
import { simulate } from '../lib/simulator/simulate';

const SIMULATE = defineCommand({
  program: 'npm run simulate',
  usage: '[options]',
  description: [
    'Simulates an ERP–WMS pair with the faults of SPEC 5 injected by named scenario. The same seed and --until',
    'give the same data, and sending it again changes nothing.',
  ].join('\n'),
  options: {
    facilities: { type: 'integer', min: 1, default: 3, description: 'facilities DC1…DCN' },
    days: { type: 'integer', min: 1, default: 30, description: 'days of traffic' },
    'messages-per-day': { type: 'integer', min: 1, default: 5000, description: 'messages per facility and day' },
    seed: { type: 'integer', min: 1, default: 42, description: 'the random seed' },
    scenario: {
      type: 'string',
      multiple: true,
      choices: SCENARIO_NAMES,
      placeholder: 'name',
      description: 'only this scenario (repeatable; default: all)',
    },
    until: {
      type: 'string',
      placeholder: 'ISO-time',
      description: 'the period ends here, to the minute (default: now)',
    },
    target: {
      type: 'string',
      placeholder: 'URL',
      description: "post through this server's HTTP API (default: into the database)",
    },
    key: { type: 'string', placeholder: 'key', description: 'the API key for --target' },
  },
});

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

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
  const { values } = parseCommandLine(SIMULATE, process.argv.slice(2));
  if (values.target && !values.key) throw usageError(SIMULATE, '--target needs --key');
  const until = values.until === undefined ? undefined : new Date(values.until);
  if (until && (!ISO_TIME.test(values.until!) || Number.isNaN(until.getTime()))) {
    throw usageError(SIMULATE, `--until must be an ISO time such as 2026-11-20T06:00:00Z, not ${values.until}`);
  }
  const sim = simulate({
    facilities: values.facilities,
    days: values.days,
    messagesPerDay: values['messages-per-day'],
    seed: values.seed,
    // Checked against SCENARIO_NAMES by the option's choices.
    scenarios: values.scenario as ScenarioName[],
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

runCli(async () => {
  try {
    await main();
  } finally {
    await closeDb().catch(() => {});
  }
});
