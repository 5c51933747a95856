/**
 * A retention run (SPEC 11): for each kind, the partitions its plan names are detached and dropped,
 * one transaction each — never a DELETE over the log. A messages partition's rows that open
 * exceptions refer to are kept first (lib/retention/kept.ts), and the raw-message horizon moves to
 * its upper bound. Rollups older than their own setting (5 years by default) go last; they are
 * small, unpartitioned, and what the KPIs of the past read, so they are trimmed by a DELETE on their
 * bucket. Every statement can be observed (`onStatement`), which the tests and the bench use to
 * count DELETEs.
 */
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { rows, type Db, type Executor } from '@/db';
import { RETENTION_LOCK } from '@/db/locks';
import { advanceHorizon } from '@/lib/retention/horizon';
import { keepOpenExceptionMessages } from '@/lib/retention/kept';
import { planRetention, type PlannedPartition, type RetentionPlan } from '@/lib/retention/plan';
import { REGISTRY, ROLLUP_TABLES, type RetentionRegistry } from '@/lib/retention/registry';
import { RETENTION_KINDS, readSettings, type RetentionKind } from '@/lib/retention/settings';

export interface RunOptions {
  registry?: RetentionRegistry;
  now?: Date;
  /** The kinds to run (all by default); rollups are trimmed only when every kind runs. */
  kinds?: readonly RetentionKind[];
  onProgress?: (line: string) => void;
  /** Called with the text of every statement the run issues. */
  onStatement?: (text: string) => void;
  /** A preview made just before (the bench times the drops alone); made here when left out. */
  plan?: RetentionPlan;
}

export interface KindResult {
  partitions: string[];
  rows: number;
  bytes: number;
  /** Messages moved to kept_messages because an open exception refers to them. */
  kept: number;
  /** Tables skipped because they are not partitioned. */
  skipped: string[];
}

export interface RunResult {
  kinds: Record<RetentionKind, KindResult>;
  rollupRowsDeleted: number;
  seconds: number;
}

const dialect = new PgDialect();
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;

/**
 * `db` with every raw statement (`execute`, in transactions too) shown to `onStatement` first: the
 * run's statements all go through `execute`, so nothing it issues escapes the count.
 */
function observed<T extends Executor>(ex: T, onStatement?: (text: string) => void): T {
  if (!onStatement) return ex;
  return new Proxy(ex, {
    get(target, prop, receiver) {
      if (prop === 'execute')
        return (query: SQL) => {
          onStatement(dialect.sqlToQuery(query).sql);
          return target.execute(query);
        };
      if (prop === 'transaction')
        return (fn: (tx: Executor) => Promise<unknown>, config?: unknown) =>
          (target as Db).transaction((tx) => fn(observed(tx, onStatement)), config as never);
      return Reflect.get(target, prop, receiver);
    },
  });
}

export async function runRetention(plainDb: Db, opts: RunOptions = {}): Promise<RunResult> {
  const started = performance.now();
  const db = observed(plainDb, opts.onStatement);
  const registry = opts.registry ?? REGISTRY;
  const say = opts.onProgress ?? (() => {});
  const exec = (ex: Executor, query: SQL) => ex.execute(query).then(() => undefined);
  const plan = opts.plan ?? (await planRetention(db, { registry, now: opts.now, kinds: opts.kinds }));
  const result = {} as Record<RetentionKind, KindResult>;
  for (const kind of opts.kinds ?? RETENTION_KINDS) {
    const p = plan[kind];
    const out: KindResult = {
      partitions: [],
      rows: 0,
      bytes: 0,
      kept: 0,
      skipped: p.tables.filter((t) => !t.partitioned).map((t) => t.table),
    };
    result[kind] = out;
    if (p.cutoff === null) {
      say(`${kind}: kept forever`);
      continue;
    }
    for (const t of out.skipped) say(`${kind}: ${t} is not partitioned; skipped (never deleted row by row)`);
    if (!p.partitions.length) say(`${kind}: nothing before ${p.cutoff}`);
    for (const [i, part] of p.partitions.entries()) {
      const t0 = performance.now();
      const decl = registry[kind].range.find((r) => r.table === part.table);
      const kept = await dropPartition(db, part, !!decl?.keepOpenExceptionMessages, exec);
      if (kept === null) {
        say(`${kind}: ${part.partition} is no longer attached; skipped`);
        continue;
      }
      if (decl?.horizon && part.upper) await advanceHorizon(db, part.upper);
      out.partitions.push(part.partition);
      out.rows += part.rows;
      out.bytes += part.bytes;
      out.kept += kept;
      say(
        `${kind}: dropped ${part.partition} (${i + 1}/${p.partitions.length}): ${part.rows.toLocaleString('en-US')}` +
          ` rows, ${mb(part.bytes)}${kept ? `, ${kept} kept for open exceptions` : ''}, ` +
          `${Math.round(performance.now() - t0)} ms`,
      );
    }
  }
  let rollupRowsDeleted = 0;
  if (!opts.kinds) rollupRowsDeleted = await trimRollups(db, opts.now ?? new Date(), say);
  const seconds = (performance.now() - started) / 1000;
  say(`retention run done in ${seconds.toFixed(2)} s`);
  return { kinds: result, rollupRowsDeleted, seconds };
}

/**
 * Detaches and drops one partition in one transaction, under the retention lock; null when another
 * run took it first. Detaching first holds the parent against writers, so no exception can open on a
 * row of it between the keeping and the drop.
 */
async function dropPartition(
  db: Db,
  part: PlannedPartition,
  keep: boolean,
  exec: (ex: Executor, q: SQL) => Promise<void>,
): Promise<number | null> {
  return db.transaction(async (tx) => {
    await exec(tx, sql`select pg_advisory_xact_lock(${RETENTION_LOCK})`);
    const [attached] = await rows<{ ok: number }>(
      tx,
      sql`select 1 as ok from pg_inherits where inhrelid = to_regclass(${part.partition})
            and inhparent = to_regclass(${part.table})`,
    );
    if (!attached) return null;
    await exec(tx, sql`alter table ${sql.identifier(part.table)} detach partition ${sql.identifier(part.partition)}`);
    const kept = keep ? await keepOpenExceptionMessages(tx, part.partition) : 0;
    await exec(tx, sql`drop table ${sql.identifier(part.partition)}`);
    return kept;
  });
}

async function trimRollups(db: Db, now: Date, say: (l: string) => void) {
  const { rollups } = await readSettings(db);
  if (rollups === null) return 0;
  const cutoff = new Date(now.getTime() - rollups * 86_400_000).toISOString();
  let total = 0;
  for (const { table, column } of ROLLUP_TABLES) {
    const [old] = await rows<{ n: number }>(
      db,
      sql`select count(*)::float8 as n from ${sql.identifier(table)} where ${sql.identifier(column)} < ${cutoff}::timestamptz`,
    );
    if (!Number(old?.n)) continue;
    await db.execute(
      sql`delete from ${sql.identifier(table)} where ${sql.identifier(column)} < ${cutoff}::timestamptz`,
    );
    total += Number(old.n);
    say(`rollups: ${Number(old.n).toLocaleString('en-US')} rows of ${table} before ${cutoff} removed`);
  }
  return total;
}
