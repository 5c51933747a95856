/**
 * npm run simulate -- --facilities 3 --days 30 --messages-per-day 5000 --seed 42 [--scenario name …]
 *                     [--target http://host:port --key <api key>]
 * Deterministic for a seed. With --target it posts through the real HTTP API; without, it writes
 * straight into the configured database (DATABASE_URL or the embedded one) for bulk loads.
 */
import { parseArgs } from 'node:util';
import { closeDb, getHandle } from '../db';
import { bootstrap } from '../lib/bootstrap';
import { loadSimulation } from '../lib/simulator/load';
import { SCENARIOS, SCENARIO_NAMES, type ScenarioName } from '../lib/simulator/scenarios';
import { simulate } from '../lib/simulator/simulate';

const USAGE = `usage: npm run simulate -- [--facilities N] [--days N] [--messages-per-day N] [--seed N] [--scenario NAME]… [--target URL --key KEY]
scenarios: ${SCENARIO_NAMES.join(', ')}`;

function bar(done: number, total: number) {
  const w = 30;
  const filled = Math.round((done / total) * w);
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(w - filled)}] ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} messages`);
  if (done >= total) process.stderr.write('\n');
}

async function post(target: string, key: string, path: string, body: unknown[]) {
  const res = await fetch(new URL(path, target), { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as { rejected?: unknown[]; error?: { message: string } };
  if (!res.ok) throw new Error(`${path}: ${res.status} ${json.error?.message ?? ''}`);
  if (json.rejected?.length) throw new Error(`${path}: rejected ${JSON.stringify(json.rejected.slice(0, 3))}`);
}

async function main() {
  const { values } = parseArgs({
    options: {
      facilities: { type: 'string', default: '3' },
      days: { type: 'string', default: '30' },
      'messages-per-day': { type: 'string', default: '5000' },
      seed: { type: 'string', default: '42' },
      scenario: { type: 'string', multiple: true },
      target: { type: 'string' },
      key: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return void console.log(USAGE);
  const num = (name: string, v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number ≥ 1`);
    return n;
  };
  const scenarios = (values.scenario ?? []) as ScenarioName[];
  for (const s of scenarios) if (!(s in SCENARIOS)) throw new Error(`unknown scenario ${s}`);
  if (values.target && !values.key) throw new Error('--target needs --key');
  const sim = simulate({
    facilities: num('facilities', values.facilities!),
    days: num('days', values.days!),
    messagesPerDay: num('messages-per-day', values['messages-per-day']!),
    seed: num('seed', values.seed!),
    scenarios,
  });
  console.log(`Simulated ${sim.messages.length.toLocaleString('en-US')} message records, ${sim.corrections.length} corrections, ${sim.changes.length} changes, ${sim.snapshots.length} snapshots (${sim.start} → ${sim.end}).`);
  if (values.target) {
    console.log(`Posting through the HTTP API at ${values.target} …`);
    await post(values.target, values.key!, '/api/v1/items', sim.items);
    await post(values.target, values.key!, '/api/v1/changes', sim.changes);
    for (let i = 0; i < sim.corrections.length; i += 5000) await post(values.target, values.key!, '/api/v1/corrections', sim.corrections.slice(i, i + 5000));
    for (let i = 0; i < sim.messages.length; i += 5000) {
      await post(values.target, values.key!, '/api/v1/messages', sim.messages.slice(i, i + 5000));
      bar(Math.min(sim.messages.length, i + 5000), sim.messages.length);
    }
    for (const snap of sim.snapshots) {
      const res = await fetch(new URL('/api/v1/snapshots', values.target), {
        method: 'POST',
        headers: { authorization: `Bearer ${values.key}`, 'content-type': 'application/json' },
        body: JSON.stringify(snap),
      });
      if (res.status !== 201) throw new Error(`/api/v1/snapshots: ${res.status} ${(await res.text()).slice(0, 300)}`);
    }
    console.log(`\nPosted ${sim.snapshots.length} snapshots; start a reconciliation per facility with POST /api/v1/reconciliations.`);
  } else {
    const h = await getHandle('simulate');
    await bootstrap(h.db, { demo: false });
    console.log(`Writing straight into the database (${h.kind}: ${h.location}) through the ingest code, not over HTTP …`);
    await loadSimulation(h.db, sim, { onProgress: bar });
  }
  console.log('\nInjected (ground truth):');
  for (const t of sim.truth.sort((a, b) => a.scenario.localeCompare(b.scenario))) console.log(`  ${t.scenario.padEnd(28)} ${String(t.injected).padStart(6)}   e.g. ${t.ids.slice(0, 2).join(', ')}`);
}

main()
  .then(() => closeDb())
  .catch(async (e) => {
    await closeDb().catch(() => {});
    console.error(`error: ${(e as Error).message}\n${USAGE}`);
    process.exit(/must be|unknown|needs/.test((e as Error).message) ? 2 : 1);
  });
