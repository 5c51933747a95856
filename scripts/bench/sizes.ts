/** The disk the run left behind: the largest tables with their indexes and TOAST, and the database. */
import type { BenchRun } from './table';

export async function benchSizes(run: BenchRun) {
  const top = await run.pg<{ name: string; bytes: string; rows: string }[]>`
    select coalesce(p.relname, c.relname) as name, sum(pg_total_relation_size(c.oid))::bigint as bytes,
      sum(greatest(c.reltuples, 0))::bigint as rows
    from pg_class c join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
      left join pg_inherits i on i.inhrelid = c.oid left join pg_class p on p.oid = i.inhparent
    where c.relkind = 'r'
    group by 1 order by 2 desc limit 8`;
  const [{ db }] = await run.pg<{ db: string }[]>`select pg_database_size(current_database())::bigint as db`;
  const mb = (b: string | number) => (Number(b) / 1048576).toFixed(0);
  for (const t of top)
    run.rows.push([
      `  disk: ${t.name} (MB)`,
      mb(t.bytes),
      `${Number(t.rows).toLocaleString('en-US')} rows (estimate)`,
      '—',
    ]);
  run.rows.push(['disk: the bench database (MB)', mb(db), 'tables, indexes, TOAST', '—']);
}
