/** The rollup rebuild part of the bench (lib/kpi/rebuild.ts, run from the bench's process). */
import { executeRebuild, getRebuild, requestRebuild } from '../../lib/kpi/rebuild';
import { round } from './figures';
import type { BenchRun } from './table';

/** The rebuild job over the whole log, beside one GROUP BY of the log into hourly cells. */
export async function benchRebuild(run: BenchRun) {
  const { pg, handle, rows } = run;
  const t = performance.now();
  const { id } = await requestRebuild(handle.db, 'bench');
  let shown = -1;
  await executeRebuild(handle.db, id, (p) => {
    if (p.stage === 'days' && p.daysDone !== shown)
      process.stderr.write(`\rrebuild day ${(shown = p.daysDone) + 1} / ${p.days}`);
  });
  const seconds = (performance.now() - t) / 1000;
  process.stderr.write('\n');
  const job = (await getRebuild(handle.db, id))!;
  if (job.status !== 'succeeded') throw new Error(`rebuild ${job.status}: ${job.error}`);
  const t2 = performance.now();
  await pg.unsafe(`select date_trunc('hour', created_at, 'UTC'), facility, tx_type, direction, count(*),
      count(*) filter (where status in ('failed', 'dead_letter')),
      count(*) filter (where status in ('failed', 'dead_letter') or attempts > 1),
      count(*) filter (where status = 'delivered'),
      sum(extract(epoch from processed_at - created_at)) filter (where status = 'delivered'),
      count(*) filter (where is_duplicate)
    from integration_messages group by 1, 2, 3, 4`);
  const plain = (performance.now() - t2) / 1000;
  const r = job.result!;
  run.figures.rollupRebuildS = round(seconds, 3);
  run.figures.groupByS = round(plain, 3);
  rows.push([
    `rollup rebuild, ${r.days} days (s)`,
    `${seconds.toFixed(1)} (${r.rowsFixed} rows, ${r.duplicateFlagsFixed} duplicate flags fixed)`,
    `${plain.toFixed(1)} (one GROUP BY of the log into hourly cells)`,
    `${(seconds / plain).toFixed(1)}× that query`,
  ]);
}
