/**
 * SQL pieces every KPI statement shares: the window to the microsecond, the facility and
 * transaction type filters, and how a statement runs (without parallel workers).
 */
import { sql, type SQL } from 'drizzle-orm';
import { rows as plainRows, type Executor } from '@/db';
import type { KpiScope } from '@/lib/kpi/kpis';
import { microsToIso } from '@/lib/time';

/** A window's bounds in microseconds since the epoch. */
export const boundsUs = (scope: KpiScope) => ({
  fromUs: scope.fromUs ?? scope.from.getTime() * 1000,
  toUs: scope.toUs ?? scope.to.getTime() * 1000,
});

/** `column` in the window [from, to), to the microsecond. */
export const inWindow = (column: string, scope: KpiScope) => {
  const { fromUs, toUs } = boundsUs(scope);
  return rangeOr(column, [[fromUs / 1000, toUs / 1000]]);
};

/**
 * Every KPI statement reads a few hundred to a few tens of thousands of rollup rows. Postgres
 * would start parallel workers for the larger ones, and on a small server with the KPI's other
 * statements running beside them those cost more than they save (measured at 10M messages, 90-day
 * window: the sketch merge 44 → 27 ms, the totals 14 → 3 ms). Each statement runs in a small
 * transaction of its own with parallel workers off, so the KPIs' statements still run side by side.
 */
export function rows<T>(db: Executor, query: SQL): Promise<T[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('max_parallel_workers_per_gather', '0', true)`);
    return plainRows<T>(tx, query);
  });
}

/** Milliseconds (a window's edges may carry a fraction: microseconds) as ISO text to the microsecond. */
const iso = (ms: number) => microsToIso(Math.round(ms * 1000));

export function filters(scope: KpiScope, prefix = ''): SQL {
  const parts: SQL[] = [];
  if (scope.facility) parts.push(sql`and ${sql.raw(prefix + 'facility')} = ${scope.facility}`);
  if (scope.txType) parts.push(sql`and ${sql.raw(prefix + 'tx_type')} = ${scope.txType}`);
  return sql.join(parts, sql` `);
}

export function rangeOr(column: string, ranges: [number, number][]): SQL {
  return sql.join(
    ranges.map(
      ([a, b]) => sql`(${sql.raw(column)} >= ${iso(a)}::timestamptz and ${sql.raw(column)} < ${iso(b)}::timestamptz)`,
    ),
    sql` or `,
  );
}
