/**
 * A simulated ERP–WMS pair: documents flow through their lifecycles (PO → receipt → putaway,
 * release → pick → shipment, adjustments, counts, transfers, returns), each system keeps the stock
 * its own postings imply, and the named scenarios inject their faults at known rates with a
 * ground-truth record. The same options (seed and `until` included) give the same data.
 */
import { DAY_MS, MINUTE_MS } from '@/lib/simulator/model';
import { OCCASIONAL, SCENARIOS, SCENARIO_NAMES, type ScenarioName } from '@/lib/simulator/scenarios';
import { createSim } from '@/lib/simulator/sim';
import { runTraffic, type Plugged } from '@/lib/simulator/traffic';

export interface SimOptions {
  facilities: number;
  days: number;
  messagesPerDay: number;
  seed: number;
  scenarios?: ScenarioName[];
  /** The simulated period ends here, to the minute (default: now). */
  until?: Date;
  /** Scales every scenario's rate (tests use higher rates on small data). */
  faultRate?: number;
}

export function simulate(opts: SimOptions) {
  const active = new Set<ScenarioName>(opts.scenarios?.length ? opts.scenarios : SCENARIO_NAMES);
  const scale = opts.faultRate ?? 1;
  const endMs = Math.floor((opts.until ?? new Date()).getTime() / MINUTE_MS) * MINUTE_MS;
  const startMs = endMs - opts.days * DAY_MS;
  const facilities = Array.from({ length: opts.facilities }, (_, i) => `DC${i + 1}`);
  const { seed, days, messagesPerDay } = opts;
  const sim = createSim({ seed, facilities, days, messagesPerDay, startMs, endMs, scale });
  const { record, ...shared } = sim;
  const plugged: Plugged = SCENARIO_NAMES.filter((name) => active.has(name)).map((name) => {
    const { rate, hooks } = SCENARIOS[name];
    const fires = () => sim.chance(Math.min(1, rate * scale));
    const s = { ...shared, fires, inject: (id: string) => record(name, id) };
    return { name, s, hooks };
  });
  const { items, snapshots } = runTraffic(sim, plugged, OCCASIONAL);
  const messages = sim.messages.sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : 0));
  const { corrections, changes } = sim;
  const [start, end] = [sim.iso(startMs), sim.iso(endMs)];
  return { items, messages, corrections, changes, snapshots, truth: sim.truth(), facilities, start, end };
}

export type SimResult = ReturnType<typeof simulate>;
