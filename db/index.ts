/**
 * The ONE database client. `DATABASE_URL` set: postgres.js against that server. Unset: an
 * embedded PGlite in `PGLITE_DIR` (default `./.data/pglite`; `memory://` keeps it in memory).
 * Opening it applies pending migrations and creates the coming months' partitions
 * (db/partitions.ts), so no entry point needs a separate step. With
 * `DATABASE_READ_URL` (a streaming replica of that server) it also holds a read connection:
 * `getReadDb()` hands pages and GET APIs the replica while it is up and close enough
 * (db/replica.ts decides), the primary otherwise; everything else uses `getDb()`, the primary.
 */
import net from 'node:net';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { env } from '../lib/env';
import { guardTransactions } from './dead-connection';
import { ensureAhead } from './partitions';
import { acquireLock } from './pglite-lock';
import { makePrivate, preparePrivateDir } from './private-files';
import { ReadReplica, type ReadState } from './replica';
import * as schema from './schema';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Executor = Db | Tx;

export interface DbHandle {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** Where the data lives, for messages (never includes a password). */
  location: string;
  /** The PGlite instance when embedded (for dump/load in tests). */
  pglite?: PGlite;
  /** The postgres.js client when on a server (for COPY and streaming). */
  pg?: postgres.Sql;
  /** The read replica, when one is configured: its drizzle client and whether it may be read now. */
  read?: { db: Db; pg: postgres.Sql; replica: ReadReplica };
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = path.join(/*turbopackIgnore: true*/ process.cwd(), 'db', 'migrations');

/** The PGlite folder in use, or null for a server or an in-memory database. */
export function pgliteDir(): string | null {
  const { DATABASE_URL, PGLITE_DIR: dir } = env();
  if (DATABASE_URL) return null;
  return dir.startsWith('memory://') ? null : path.resolve(/*turbopackIgnore: true*/ dir);
}

export interface OpenOptions {
  /** Who opens it, written in the lock ("server", "cli", …). */
  purpose?: string;
  /** Load a PGlite data dir dump (tests clone one migrated database). */
  loadDataDir?: Blob | File;
  /** Overrides DATABASE_URL (tests open a database of their own). */
  url?: string;
  /** Overrides PGLITE_DIR when no URL applies; `memory://` for in-memory. */
  dir?: string;
  /** A streaming replica of `url` (default: DATABASE_READ_URL when `url` is not given). */
  readUrl?: string;
  /** Past this lag the replica is not read (default: DATABASE_READ_MAX_LAG_SECONDS). */
  maxLagSeconds?: number;
  /** The least time between two checks of the replica (default 2 s; tests shorten it). */
  checkEveryMs?: number;
}

/** What postgres.js hands a socket factory: its parsed options (one host is all we connect to). */
interface SocketOptions {
  host: string[];
  port: number[];
  path?: string | false;
  connect_timeout?: number;
}

/**
 * A connected socket with Nagle's algorithm off. postgres.js leaves it on, and a COPY ends with a
 * small CopyDone written behind the unacknowledged tail of its data: the kernel holds it until the
 * server's delayed ACK, 40 ms on Linux, for every COPY (a 5,000-row batch took 67 ms instead of
 * 18). postgres.js takes the socket as given, TLS included, and reports a connection error.
 */
export function noDelaySocket(o: SocketOptions): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = o.path ? net.connect({ path: o.path }) : net.connect({ host: o.host[0], port: o.port[0], noDelay: true });
    const timer = setTimeout(
      () =>
        s.destroy(
          Object.assign(new Error(`connect to ${o.path || `${o.host[0]}:${o.port[0]}`} timed out`), {
            code: 'CONNECT_TIMEOUT',
          }),
        ),
      (o.connect_timeout ?? 30) * 1000,
    );
    s.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    s.once('connect', () => {
      clearTimeout(timer);
      s.removeAllListeners('error');
      resolve(s);
    });
  });
}

/**
 * Applies pending migrations through a connection of their own, without the pool's statement and
 * lock timeouts: a migration may rewrite or index a large table, and waits for the locks it needs.
 */
async function migrate(url: string) {
  const pg = postgres(url, {
    max: 1,
    // A migration that converts a table in place reports its progress (db/migrations/0025_partitions.sql).
    onnotice: (n) => {
      if (String(n.message).startsWith('partitions:')) console.log(`[sync-health] ${n.message}`);
    },
    connection: { statement_timeout: 0, lock_timeout: 0 },
  });
  try {
    await migratePostgres(drizzlePostgres(pg, { schema }) as never, { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await pg.end({ timeout: 5 });
  }
}

/** Purposes (`OpenOptions.purpose`) whose statements may run long: no statement or lock timeout. */
const LONG_JOBS = new Set(['cli', 'bench', 'simulate']);

/** A postgres.js pool on `url` with the app's settings; `connectTimeout` in seconds (default 30). */
function pool(url: string, purpose: string | undefined, connectTimeout?: number) {
  return postgres(url, {
    max: env().DATABASE_POOL_SIZE,
    ...(connectTimeout ? { connect_timeout: connectTimeout } : {}),
    onnotice: () => {},
    // A documented option (README "Custom socket") that postgres.js 3.4.9's types leave out.
    ...({ socket: noDelaySocket } as object),
    // Every statement of the app is short, by index or from rollups. Postgres's JIT judges them by
    // their cost estimate, which a lookup per document makes large: at ten million messages the
    // daily review's lifecycle check took 920–980 ms with JIT and 545–650 ms without, its reversal
    // check 640–900 ms and 260–390 ms (most of the difference was compiling).
    // A statement or a lock wait that runs away holds a connection and the locks it has; the
    // server ends it (57014, 55P03), and the request answers 503, to be retried. Processes an
    // operator runs for long work (CLI imports and rebuilds, the simulator's and the bench's
    // loads, their vacuum) go without.
    connection: {
      jit: 'off',
      ...(LONG_JOBS.has(purpose ?? '')
        ? {}
        : { statement_timeout: env().DATABASE_STATEMENT_TIMEOUT_MS, lock_timeout: env().DATABASE_LOCK_TIMEOUT_MS }),
    },
    // numeric and bigint arrive as strings; drizzle maps the ones we mark with mapWith(Number).
  });
}

export async function openDatabase(opts: OpenOptions = {}): Promise<DbHandle> {
  const url = opts.url ?? env().DATABASE_URL;
  if (url) {
    const pg = pool(url, opts.purpose);
    guardTransactions(pg);
    const db = drizzlePostgres(pg, { schema }) as unknown as Db;
    await migrate(url);
    await ensureAhead(db);
    const u = new URL(url);
    const readUrl = opts.url ? opts.readUrl : (opts.readUrl ?? env().DATABASE_READ_URL);
    let read: DbHandle['read'];
    if (readUrl) {
      // A replica that cannot be reached must not hold a page for the default 30 s.
      const rpg = pool(readUrl, opts.purpose, 2);
      const replica = new ReadReplica(pg, rpg, {
        maxLagSeconds: opts.maxLagSeconds ?? env().DATABASE_READ_MAX_LAG_SECONDS,
        checkEveryMs: opts.checkEveryMs,
      });
      read = { db: drizzlePostgres(rpg, { schema }) as unknown as Db, pg: rpg, replica };
    }
    return {
      db,
      kind: 'postgres',
      location: `${u.hostname}:${u.port || 5432}${u.pathname}`,
      pg,
      read,
      close: async () => {
        await Promise.all([pg.end({ timeout: 5 }), read?.pg.end({ timeout: 1 })]);
      },
    };
  }
  const dir = opts.dir
    ? opts.dir.startsWith('memory://')
      ? null
      : path.resolve(/*turbopackIgnore: true*/ opts.dir)
    : pgliteDir();
  // Owner-only before PGlite writes a file, and again once it has created or migrated the folder.
  if (dir) preparePrivateDir(dir);
  const release = dir ? acquireLock(dir, opts.purpose ?? 'process') : () => {};
  try {
    const pglite = new PGlite({ dataDir: dir ?? undefined, loadDataDir: opts.loadDataDir });
    await pglite.waitReady;
    const db = drizzlePglite(pglite, { schema }) as unknown as Db;
    await migratePglite(db as never, { migrationsFolder: MIGRATIONS_FOLDER });
    await ensureAhead(db);
    if (dir) makePrivate(dir);
    return {
      db,
      kind: 'pglite',
      location: dir ?? 'memory',
      pglite,
      close: async () => {
        await pglite.close();
        release();
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}

const g = globalThis as unknown as { __syncHealthDb?: Promise<DbHandle> };

/** The process-wide handle, opened (and migrated) on first use. */
export function getHandle(purpose = 'server'): Promise<DbHandle> {
  if (!g.__syncHealthDb) {
    g.__syncHealthDb = openDatabase({ purpose }).catch((e) => {
      g.__syncHealthDb = undefined;
      throw e;
    });
  }
  return g.__syncHealthDb;
}

export async function getDb(): Promise<Db> {
  return (await getHandle()).db;
}

/**
 * The client for a page's or a GET API's reads: the replica while it is up and within the allowed
 * lag, else the primary. `primary: true` (a render right after the same person's write, see
 * lib/http/read.ts) always reads the primary. Never for a write: the replica refuses them.
 */
export async function getReadDb(opts: { primary?: boolean } = {}): Promise<Db> {
  const h = await getHandle();
  if (!h.read || opts.primary) return h.db;
  return (await h.read.replica.current()).using === 'replica' ? h.read.db : h.db;
}

/** Whether this process has a read replica at all (`DATABASE_READ_URL` on a Postgres). */
export async function hasReadReplica(): Promise<boolean> {
  return Boolean((await getHandle()).read);
}

/** Where reads go and why, for /api/health: null when no replica is configured. */
export async function readState(): Promise<ReadState | null> {
  const h = await getHandle();
  return h.read ? h.read.replica.current() : null;
}

export type { ReadState };

/** Installs a handle as the process-wide one (tests, CLI). */
export function setHandle(handle: DbHandle) {
  g.__syncHealthDb = Promise.resolve(handle);
}

export async function closeDb() {
  const h = g.__syncHealthDb;
  g.__syncHealthDb = undefined;
  if (h) await (await h).close();
}

/** Runs raw SQL and returns its rows, whichever driver is underneath. */
export async function rows<T>(executor: Executor, query: SQL): Promise<T[]> {
  const result = (await executor.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

export { schema };

/** `and column = facility`, or nothing when no facility is chosen. */
export function andFacility(column: string, facility: string | null): SQL {
  return facility ? sql`and ${sql.raw(column)} = ${facility}` : sql``;
}

/**
 * In an upsert's `returning`: true when the row was inserted, false when the conflict updated a
 * stored one (an updated row version carries the updating transaction in xmax).
 */
export const inserted = sql<boolean>`(xmax = 0)`;

/** `column` (a timestamptz) in the window [from, to). */
export function inWindow(column: string, w: { from: Date; to: Date }): SQL {
  return sql`${sql.raw(column)} >= ${w.from.toISOString()}::timestamptz and ${sql.raw(column)} <
    ${w.to.toISOString()}::timestamptz`;
}

/** A timestamptz column as ISO 8601 UTC text with milliseconds ("…T10:00:00.000Z"), or null. */
export function isoText(column: string): SQL {
  return sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
}

/** The SQLSTATE of a database error, looking through drizzle's wrapper. */
export function pgErrorCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A text[] literal for one parameter (thousands of keys without thousands of placeholders). */
export function textArray(list: readonly string[]): string {
  return `{${list.map((s) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}
