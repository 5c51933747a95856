/**
 * What every table of the public schema holds, as a row count and a digest of its rows: two
 * states are equal when nothing was written in between. Partitions count within their parent.
 */
import { sql } from 'drizzle-orm';
import { rows, type Db } from '@/db';

export async function tableContents(db: Db): Promise<Record<string, { rows: number; digest: string }>> {
  const tables = await rows<{ name: string }>(
    db,
    sql`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition order by 1`,
  );
  const out: Record<string, { rows: number; digest: string }> = {};
  for (const { name } of tables) {
    const [r] = await rows<{ rows: number; digest: string | null }>(
      db,
      sql`select count(*)::int as rows, md5(string_agg(t::text, '|' order by t::text)) as digest
          from ${sql.identifier(name)} t`,
    );
    out[name] = { rows: r.rows, digest: r.digest ?? '' };
  }
  return out;
}
