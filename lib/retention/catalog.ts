/**
 * Partitions read from the catalog, whatever table they belong to: pg_inherits for the children,
 * pg_get_expr(relpartbound) for their bounds, pg_total_relation_size for their bytes (indexes and
 * TOAST included). Row counts are exact (count(*)) below 100,000 rows and the planner's estimate
 * above, where counting would take longer than dropping.
 */
import { sql } from 'drizzle-orm';
import { rows, type Executor } from '@/db';

export interface TableInfo {
  table: string;
  exists: boolean;
  /** 'range', 'list', 'hash', or null when the table is not partitioned. */
  strategy: 'range' | 'list' | 'hash' | null;
}

export interface PartitionInfo {
  parent: string;
  name: string;
  /** As Postgres prints it: FOR VALUES FROM (…) TO (…), FOR VALUES IN (…), DEFAULT. */
  bound: string;
  /** A RANGE partition's upper bound on a time column (ISO), null for MAXVALUE, DEFAULT or LIST. */
  upper: string | null;
  /** A LIST partition's single value, as text. */
  listValue: string | null;
  bytes: number;
}

const EXACT_BELOW = 100_000;

export async function tableInfo(db: Executor, table: string): Promise<TableInfo> {
  const [r] = await rows<{ strategy: string | null }>(
    db,
    sql`select p.partstrat as strategy from pg_class c
          join pg_namespace n on n.oid = c.relnamespace and n.nspname = current_schema()
          left join pg_partitioned_table p on p.partrelid = c.oid
        where c.relname = ${table} and c.relkind in ('r', 'p')`,
  );
  if (!r) return { table, exists: false, strategy: null };
  const strategy = r.strategy === 'r' ? 'range' : r.strategy === 'l' ? 'list' : r.strategy === 'h' ? 'hash' : null;
  return { table, exists: true, strategy };
}

/** The partitions of `parent` (direct children), oldest bound first. */
export async function partitionsOf(db: Executor, parent: string): Promise<PartitionInfo[]> {
  const list = await rows<{
    name: string;
    bound: string;
    upper: string | null;
    list_value: string | null;
    bytes: string;
  }>(
    db,
    sql`select c.relname as name, pg_get_expr(c.relpartbound, c.oid) as bound,
          to_char((substring(pg_get_expr(c.relpartbound, c.oid) from 'TO \\(''([^'']*)''\\)'))::timestamptz
            at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as upper,
          substring(pg_get_expr(c.relpartbound, c.oid) from '^FOR VALUES IN \\(''?([^'',)]*)''?\\)$') as list_value,
          pg_total_relation_size(c.oid)::text as bytes
        from pg_inherits i
          join pg_class c on c.oid = i.inhrelid
          join pg_class p on p.oid = i.inhparent
          join pg_namespace n on n.oid = p.relnamespace and n.nspname = current_schema()
        where p.relname = ${parent}
        order by 3 nulls last, 1`,
  );
  return list.map((r) => ({
    parent,
    name: r.name,
    bound: r.bound,
    upper: r.upper,
    listValue: r.list_value,
    bytes: Number(r.bytes),
  }));
}

/** Rows in one partition: exact when small (or never analysed), else the planner's estimate. */
export async function partitionRows(db: Executor, name: string): Promise<{ rows: number; estimated: boolean }> {
  const [est] = await rows<{ n: number }>(
    db,
    sql`select c.reltuples::float8 as n from pg_class c
          join pg_namespace s on s.oid = c.relnamespace and s.nspname = current_schema()
        where c.relname = ${name}`,
  );
  const guess = Number(est?.n ?? -1);
  if (guess >= EXACT_BELOW) return { rows: Math.round(guess), estimated: true };
  const [r] = await rows<{ n: number }>(db, sql`select count(*)::float8 as n from ${sql.identifier(name)}`);
  return { rows: Number(r?.n ?? 0), estimated: false };
}
