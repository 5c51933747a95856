/**
 * The retention part of the bench (SPEC 11; issue target: dropping a month at 30M messages in ≤ 1 s
 * with 0 DELETE statements): the first month of the log's partitions is dropped by a real retention
 * run (lib/retention/run.ts, messages only) whose "now" is put just far enough ahead for the cutoff to
 * fall at that month's end, every statement it issues counted. `dropS` is null while the log is not
 * partitioned (nothing can be dropped; nothing is deleted either).
 */
import type { Db } from '../../db';
import type { BenchFigures } from './figures';
import type { BenchConfig } from './options';
import type { BenchRun } from './table';
import { partitionsOf, tableInfo } from '../../lib/retention/catalog';
import { REGISTRY, type RetentionRegistry } from '../../lib/retention/registry';
import { planRetention } from '../../lib/retention/plan';
import { runRetention } from '../../lib/retention/run';
import { readSettings } from '../../lib/retention/settings';

const DAY_MS = 86_400_000;
const MONTH_MS = 31 * DAY_MS;

export interface RetentionMeasure {
  /** Seconds the run took to drop the month, or null when the log is not partitioned. */
  dropS: number | null;
  /** DELETE statements the run issued (the target: 0). */
  deleteStatements: number;
  partitions: number;
  rows: number;
}

/** Lower bound of a RANGE partition (ISO), from its bound text as Postgres prints it. */
const lowerOf = (bound: string) => {
  const m = /FROM \('([^']*)'\)/.exec(bound);
  return m ? Date.parse(m[1].replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')) : Number.NaN;
};

export async function measureRetentionDrop(
  db: Db,
  opts: { registry?: RetentionRegistry } = {},
): Promise<RetentionMeasure> {
  const registry = opts.registry ?? REGISTRY;
  const log = registry.messages.range.find((t) => t.horizon) ?? registry.messages.range[0];
  const none = { dropS: null, deleteStatements: 0, partitions: 0, rows: 0 };
  if (!log || (await tableInfo(db, log.table)).strategy !== 'range') return none;
  const parts = (await partitionsOf(db, log.table)).filter((p) => p.upper);
  if (!parts.length) return none;
  const first = lowerOf(parts[0].bound);
  const start = Number.isNaN(first) ? Date.parse(parts[0].upper!) - MONTH_MS : first;
  // The cutoff: the last upper bound within a month of the first partition's start.
  const within = parts.filter((p) => Date.parse(p.upper!) <= start + MONTH_MS);
  const cutoff = Date.parse((within.at(-1) ?? parts[0]).upper!);
  const days = (await readSettings(db)).messages ?? 395;
  const now = new Date(cutoff + days * DAY_MS);
  // The preview (rows counted) before the clock starts: the drop is what is timed.
  const plan = await planRetention(db, { registry, now, kinds: ['messages'] });
  let deletes = 0;
  const r = await runRetention(db, {
    registry,
    kinds: ['messages'],
    now,
    plan,
    onStatement: (s) => {
      if (/^\s*delete\b/i.test(s)) deletes++;
    },
  });
  return {
    dropS: r.seconds,
    deleteStatements: deletes,
    partitions: r.kinds.messages.partitions.length,
    rows: r.kinds.messages.rows,
  };
}

/** The bench's retention figures: a month of the loaded log dropped by a real run (after the other parts). */
export async function benchRetention(cfg: BenchConfig, run: BenchRun): Promise<BenchFigures['retention']> {
  if (cfg.n === 0) return { dropS: null, deleteStatements: null };
  const r = await measureRetentionDrop(run.handle.db);
  run.rows.push([
    'retention: dropping the first month of the log (s)',
    r.dropS === null ? 'log not partitioned' : `${r.dropS.toFixed(3)} (${r.partitions} partitions, ${r.rows} rows)`,
    `${r.deleteStatements} DELETE statements`,
    'target ≤ 1 s, 0 DELETE',
  ]);
  return { dropS: r.dropS, deleteStatements: r.deleteStatements };
}
