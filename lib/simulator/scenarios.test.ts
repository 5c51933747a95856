/**
 * The regression suite: each named scenario alone on a small seed, and the product detects what
 * it injected — the scenario's own `expect` (lib/simulator/scenarios/<name>.ts). The registry
 * cannot hold a scenario without one.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { emptyMessageTables, testDb } from '@/lib/testing/db';
import { detectionQueries } from '@/lib/simulator/detection';
import { loadSimulation } from '@/lib/simulator/load';
import type { Scenario } from '@/lib/simulator/scenario';
import { SCENARIOS, SCENARIO_NAMES } from '@/lib/simulator/scenarios';
import { simulate } from '@/lib/simulator/simulate';

const h = testDb();
beforeEach(async () => {
  await emptyMessageTables(h.db, [
    'items',
    'manual_corrections',
    'change_log',
    'reconciliation_runs',
    'reconciliation_differences',
    'master_data_findings',
  ]);
  // Snapshot ids keep counting: each one's rows live in a partition named after it.
  await h.db.execute(sql`truncate snapshots, snapshot_rows`);
});

const UNTIL = new Date('2026-11-20T00:00:00Z');
const WHOLE = { from: new Date('2026-10-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') };

describe('fault scenarios', () => {
  it('the simulator is deterministic for a seed and an until', () => {
    const opts = { facilities: 2, days: 2, messagesPerDay: 100, seed: 3, until: UNTIL };
    const a = simulate(opts);
    expect(simulate({ ...opts })).toEqual(a);
    expect(JSON.stringify(simulate({ ...opts }))).toBe(JSON.stringify(a));
    expect(JSON.stringify(simulate({ ...opts, seed: 4 }))).not.toBe(JSON.stringify(a));
    expect([a.start, a.end]).toEqual(['2026-11-18T00:00:00.000Z', '2026-11-20T00:00:00.000Z']);
  });

  it('until anchors the timeline: another until, another time range; within the minute, the same data', () => {
    const opts = { facilities: 1, days: 2, messagesPerDay: 100, seed: 3 };
    const a = simulate({ ...opts, until: UNTIL });
    const later = simulate({ ...opts, until: new Date('2026-11-21T06:30:00Z') });
    expect([later.start, later.end]).toEqual(['2026-11-19T06:30:00.000Z', '2026-11-21T06:30:00.000Z']);
    const times = (s: typeof a) =>
      s.messages.map((m) => Date.parse(m.createdAt)).filter((t) => t >= Date.parse(s.start));
    expect(Math.min(...times(later))).toBeGreaterThan(Date.parse(a.end) - 86_400_000);
    expect(Math.max(...times(later))).toBeLessThanOrEqual(Date.parse(later.end));
    expect(later.snapshots[0].takenAt).toBe('2026-11-21T06:29:00.000Z');
    expect(a.snapshots[0].takenAt).toBe('2026-11-19T23:59:00.000Z');
    // The timeline is anchored to the minute: seconds later within it, nothing changes.
    expect(simulate({ ...opts, until: new Date(UNTIL.getTime() + 59_999) })).toEqual(a);
  });

  it('every scenario of the registry has a module with its hooks and its expected detection', () => {
    expect(Object.keys(SCENARIOS)).toEqual([...SCENARIO_NAMES]);
    for (const name of SCENARIO_NAMES) {
      expect(Object.keys(SCENARIOS[name].hooks).length, name).toBeGreaterThan(0);
      expect(SCENARIOS[name].expect, name).toBeTypeOf('function');
    }
    // @ts-expect-error a scenario without its expected detection does not compile (tsc checks this line)
    const incomplete: Scenario = { world: '', injects: '', detector: '', rate: 1, hooks: {} };
    expect(incomplete).not.toHaveProperty('expect');
  });

  for (const name of SCENARIO_NAMES) {
    const scenario = SCENARIOS[name];
    it(`${name}: detected (${scenario.detector})`, async () => {
      const faultRate = scenario.testFaultRate ?? 10;
      const opts = { facilities: 2, days: 4, messagesPerDay: 400, seed: 7, until: UNTIL, faultRate };
      const sim = simulate({ ...opts, scenarios: [name] });
      await loadSimulation(h.db, sim);
      const truth = sim.truth.find((t) => t.scenario === name);
      const q = detectionQueries(h.db, WHOLE, UNTIL);
      await scenario.expect({ q, sim, injected: truth?.injected ?? 0, ids: truth?.ids ?? [], expect });
    });
  }
});
