/**
 * The alerts part of the bench (SPEC 9, issue #25): 500 rules, each for every facility ('*') of
 * 20, evaluated in one pass (lib/alerts/evaluate.ts, from the bench's process) over the loaded log.
 * The simulated traffic has 3 facilities; the rollups of those are copied under 17 more codes, so
 * the pass reads 20 facilities' worth of rollups (it reads rollups only, and the raw log only at
 * the partial hours of a window's edges).
 */
import { applyAlertConfig, NUMERIC_KPIS } from '../../lib/alerts/config';
import { evaluateAlerts } from '../../lib/alerts/evaluate';
import { facilities } from '../../lib/kpi/series';
import type { BenchFigures } from './figures';
import type { BenchConfig } from './options';
import { log, type BenchRun } from './table';

const RULES = 500;
const FACILITIES = 20;
/** The per-facility tables evaluation reads, copied to the added facilities. */
const ROLLUPS = [
  'message_rollup_hourly',
  'message_rollup_daily',
  'delay_sketches',
  'exception_rollup_hourly',
  'exception_rollup_daily',
  'open_exception_counts',
];

async function addFacilities(run: BenchRun): Promise<number> {
  const have = await facilities(run.handle.db);
  if (!have.length) throw new Error('alerts bench: no facilities in the rollups (run it with --messages > 0)');
  for (let i = have.length; i < FACILITIES; i++) {
    const from = have[i % have.length];
    for (const table of ROLLUPS) {
      const cols = (
        await run.pg<{ c: string }[]>`select column_name as c from information_schema.columns
          where table_schema = 'public' and table_name = ${table} and is_generated = 'NEVER'
            and coalesce(column_default, '') not like 'nextval%' order by ordinal_position`
      ).map((r) => r.c);
      const list = cols.map((c) => `"${c}"`).join(', ');
      const values = cols.map((c) => (c === 'facility' ? `'BENCH${i + 1}'` : `"${c}"`)).join(', ');
      await run.pg.unsafe(`insert into ${table} (${list}) select ${values} from ${table} where facility = $1`, [from]);
    }
  }
  return (await facilities(run.handle.db)).length;
}

function config() {
  const windows = ['15m', '1h', '24h'];
  const kinds = [
    'kpi',
    'kpi',
    'kpi',
    'kpi',
    'kpi',
    'kpi',
    'open_exceptions',
    'oldest_exception_age',
    'mismatch_value',
    'new_exception_group',
  ];
  return {
    channels: [{ id: 'bench-hook', type: 'webhook', url: 'http://127.0.0.1:9/bench', secret: 'bench' }],
    rules: Array.from({ length: RULES }, (_, i) => {
      const kind = kinds[i % kinds.length];
      return {
        id: `bench-${i}`,
        name: `Bench rule ${i}`,
        kind,
        ...(kind === 'kpi' ? { kpi: NUMERIC_KPIS[i % NUMERIC_KPIS.length] } : {}),
        facility: '*',
        window: windows[i % windows.length],
        // Spread thresholds so some scopes fire, some wait, most stay normal.
        threshold: [0, 0.05, 10, 1000, 1e9][i % 5],
        pendingFor: i % 2 ? '5m' : '0s',
        channels: ['bench-hook'],
        repeatEvery: '1h',
      };
    }),
  };
}

export async function benchAlerts(cfg: BenchConfig, run: BenchRun): Promise<BenchFigures['alerts']> {
  if (cfg.n === 0) return { evalS: null };
  const { handle, rows } = run;
  const n = await addFacilities(run);
  await applyAlertConfig(handle.db, config());
  const now = Date.now();
  const t0 = performance.now();
  const first = await evaluateAlerts(handle.db, new Date(now));
  const firstS = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const second = await evaluateAlerts(handle.db, new Date(now + 60_000));
  const evalS = (performance.now() - t1) / 1000;
  log(
    `alerts: ${first.alerts} alerts, first pass ${firstS.toFixed(2)} s (${first.events} events), then ${evalS.toFixed(2)} s (${second.events} events)`,
  );
  rows.push([
    `alerts: one evaluation pass, ${RULES} rules × ${n} facilities (s)`,
    `${evalS.toFixed(2)} (${second.alerts} alerts, ${second.events} events)`,
    `first pass ${firstS.toFixed(2)} s (creates the alerts, ${first.events} events)`,
    'target < 1 s',
  ]);
  return { evalS };
}
