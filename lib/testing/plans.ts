/**
 * Partition pruning under test: a database client that runs each read as asked and also keeps its
 * plan as executed (EXPLAIN ANALYZE), and the partitions of the log a plan read.
 */
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db, type Executor, type Tx } from '@/db';

/**
 * `db` whose `execute` of a SELECT also records the statement's executed plan in `plans`, in its
 * transactions too (the KPIs run each statement in a small one of its own).
 */
export function explaining(db: Db): { db: Db; plans: string[] } {
  const plans: string[] = [];
  const dialect = (db as unknown as { dialect: { sqlToQuery(q: SQL): { sql: string } } }).dialect;
  const wrap = <T extends Executor>(executor: T): T =>
    new Proxy(executor, {
      get(target, prop, receiver) {
        if (prop === 'transaction') {
          return (fn: (tx: Tx) => Promise<unknown>, ...rest: unknown[]) =>
            (target as Db).transaction((tx) => fn(wrap(tx)), ...(rest as []));
        }
        if (prop !== 'execute') return Reflect.get(target, prop, receiver);
        return async (query: SQL) => {
          const text = dialect.sqlToQuery(query).sql;
          // Only reads: EXPLAIN ANALYZE runs the statement.
          if (/^\s*(select|with)\b/i.test(text) && !/\b(insert|update|delete)\b/i.test(text)) {
            const plan = await rows<Record<string, string>>(
              target,
              sql`explain (analyze, costs off, timing off, summary off) ${query}`,
            );
            plans.push(plan.map((r) => Object.values(r)[0]).join('\n'));
          }
          return target.execute(query);
        };
      },
    });
  return { db: wrap(db), plans };
}

/**
 * The partitions of `table` a plan read: each scan of one that ran (a scan pruned at planning or
 * at the executor's start is not in the plan; one pruned as the statement ran says "never executed").
 */
export function partitionsRead(plans: string | string[], table = 'integration_messages'): string[] {
  const out = new Set<string>();
  const scan = new RegExp(`Scan[^\\n]* on (${table}_p\\d{8})\\b[^\\n]*`, 'g');
  for (const plan of [plans].flat()) {
    for (const m of plan.matchAll(scan)) if (!m[0].includes('never executed')) out.add(m[1]);
  }
  return [...out].sort();
}
