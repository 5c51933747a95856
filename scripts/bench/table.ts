/** The bench's one table, the rows each part adds to it, and its progress lines (on stderr). */
import type postgres from 'postgres';
import type { DbHandle } from '../../db';
import type { BenchFigures } from './figures';
import type { BenchConfig } from './options';

/** measure, Sync Health, baseline (same run), ratio. */
export type Row = [string, string, string, string];

/** What each part of the bench works with: the bench database, the API key, the running server. */
export interface BenchRun {
  handle: DbHandle;
  pg: postgres.Sql;
  key: string;
  dbUrl: string;
  serverPid: number;
  rows: Row[];
  /** What `--json` prints: each part fills its keys. */
  figures: BenchFigures;
}

export const log = (s: string) => process.stderr.write(s + '\n');

/** The table; with --json, then one line: the figures as one JSON object (scripts/bench/figures.ts). */
export function printTable(cfg: BenchConfig, rows: Row[], host: string, figures: BenchFigures) {
  const head: Row = ['measure', 'Sync Health', 'baseline (same run)', 'ratio'];
  const all = [head, ...rows];
  const w = [0, 1, 2, 3].map((c) => Math.max(...all.map((r) => r[c].length)));
  const line = (r: string[]) => '| ' + r.map((x, i) => x.padEnd(w[i])).join(' | ') + ' |';
  const reconciliation = cfg.positions
    ? `, reconciliation of ${cfg.positions.toLocaleString('en-US')} positions per side`
    : '';
  console.log(
    `\nSync Health bench: ${cfg.n.toLocaleString('en-US')} messages over 90 days, batches of ${cfg.batch}, ` +
      `${cfg.senders} senders, KPI latency over ${cfg.calls} calls after ${cfg.warmup} untimed${reconciliation}, ` +
      `Postgres ${host}`,
  );
  console.log(line(head));
  console.log('|' + w.map((n) => '-'.repeat(n + 2)).join('|') + '|');
  for (const r of rows) console.log(line(r));
  if (cfg.json) console.log(JSON.stringify(figures));
}
