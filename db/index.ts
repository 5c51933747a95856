/**
 * The ONE database client. `DATABASE_URL` set: postgres.js against that server. Unset: an
 * embedded PGlite in `PGLITE_DIR` (default `./.data/pglite`; `memory://` keeps it in memory).
 * Opening it applies pending migrations, so no entry point needs a separate step.
 */
import fs from 'node:fs';
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
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = path.join(/*turbopackIgnore: true*/ process.cwd(), 'db', 'migrations');

export class DatabaseLockedError extends Error {
  constructor(dir: string, holder: LockInfo) {
    super(
      `The embedded database in ${dir} is in use by another process (pid ${holder.pid}, ${holder.purpose}, since ${holder.since}). ` +
        'Stop that process first, or set DATABASE_URL to use a Postgres server that several processes can share.',
    );
    this.name = 'DatabaseLockedError';
  }
}

interface LockInfo {
  pid: number;
  purpose: string;
  since: string;
  /** A running server also writes where it listens and a secret, so the CLI can hand it commands. */
  url?: string;
  token?: string;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockFilePath(dir: string) {
  return path.join(dir, 'sync-health.lock');
}

export function readLock(dir: string): LockInfo | null {
  try {
    const info = JSON.parse(fs.readFileSync(lockFilePath(dir), 'utf8')) as LockInfo;
    return pidAlive(info.pid) ? info : null;
  } catch {
    return null;
  }
}

/**
 * PGlite does not lock its folder, and two processes opening it diverge silently. We take a lock
 * file of our own: created exclusively, naming the holder's pid; a stale one (dead pid) is replaced.
 */
function acquireLock(dir: string, purpose: string) {
  fs.mkdirSync(dir, { recursive: true });
  const file = lockFilePath(dir);
  const mine: LockInfo = { pid: process.pid, purpose, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(mine), { flag: 'wx', mode: 0o600 });
      const release = () => {
        try {
          const held = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
          if (held.pid === process.pid) fs.unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
      process.once('exit', release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = readLock(dir);
      if (holder && holder.pid !== process.pid) throw new DatabaseLockedError(dir, holder);
      fs.rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`Could not take the lock ${file}`);
}

/** Records extra facts (the server's URL) in the lock this process holds. */
export function annotateLock(extra: Partial<LockInfo>) {
  const dir = pgliteDir();
  if (!dir) return;
  const file = lockFilePath(dir);
  try {
    const held = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
    if (held.pid === process.pid) fs.writeFileSync(file, JSON.stringify({ ...held, ...extra }), { mode: 0o600 });
  } catch {
    /* no lock held */
  }
}

/** The PGlite folder in use, or null for a server or an in-memory database. */
export function pgliteDir(): string | null {
  if (process.env.DATABASE_URL) return null;
  const dir = process.env.PGLITE_DIR ?? path.join(process.cwd(), '.data', 'pglite');
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
    const timer = setTimeout(() => s.destroy(Object.assign(new Error(`connect to ${o.path || `${o.host[0]}:${o.port[0]}`} timed out`), { code: 'CONNECT_TIMEOUT' })), (o.connect_timeout ?? 30) * 1000);
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

export async function openDatabase(opts: OpenOptions = {}): Promise<DbHandle> {
  const url = opts.url ?? process.env.DATABASE_URL;
  if (url) {
    const pg = postgres(url, {
      max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
      onnotice: () => {},
      // A documented option (README "Custom socket") that postgres.js 3.4.9's types leave out.
      ...({ socket: noDelaySocket } as object),
      // Every statement of the app is short, by index or from rollups. Postgres's JIT judges them by
      // their cost estimate, which a lookup per document makes large: at ten million messages the
      // daily review's lifecycle check took 920–980 ms with JIT and 545–650 ms without, its reversal
      // check 640–900 ms and 260–390 ms (most of the difference was compiling).
      connection: { jit: 'off' },
      // numeric and bigint arrive as strings; drizzle maps the ones we mark with mapWith(Number).
    });
    const db = drizzlePostgres(pg, { schema }) as unknown as Db;
    await migratePostgres(db as never, { migrationsFolder: MIGRATIONS_FOLDER });
    const u = new URL(url);
    return {
      db,
      kind: 'postgres',
      location: `${u.hostname}:${u.port || 5432}${u.pathname}`,
      pg,
      close: () => pg.end({ timeout: 5 }),
    };
  }
  const dir = opts.dir ? (opts.dir.startsWith('memory://') ? null : path.resolve(/*turbopackIgnore: true*/ opts.dir)) : pgliteDir();
  const release = dir ? acquireLock(dir, opts.purpose ?? 'process') : () => {};
  try {
    const pglite = new PGlite({ dataDir: dir ?? undefined, loadDataDir: opts.loadDataDir });
    await pglite.waitReady;
    const db = drizzlePglite(pglite, { schema }) as unknown as Db;
    await migratePglite(db as never, { migrationsFolder: MIGRATIONS_FOLDER });
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
  return sql`${sql.raw(column)} >= ${w.from.toISOString()}::timestamptz and ${sql.raw(column)} < ${w.to.toISOString()}::timestamptz`;
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

export type CopyValue = string | number | null | undefined;

const COPY_SPECIAL = /[\\\t\n\r]/;

/** A value in COPY text format: NULL as \N; backslash, tab, newline and carriage return escaped. */
export function copyText(v: CopyValue): string {
  if (v === null || v === undefined) return '\\N';
  const s = String(v);
  return COPY_SPECIAL.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s;
}

/** One row in COPY text format, its line end included (a plain loop: about 3× faster than map and join). */
export function copyLine(values: readonly CopyValue[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i) line += '\t';
    if (v === null || v === undefined) line += '\\N';
    else if (typeof v === 'number') line += v;
    else line += COPY_SPECIAL.test(v) ? copyText(v) : v;
  }
  return line + '\n';
}

/**
 * COPY rows gathered as bytes. Each row's text is written out as soon as it is built, so no
 * string per row lives on until the COPY: for a 5,000-row batch, half the time of joining the
 * lines and encoding the whole, and none of the garbage collector's copying of them.
 */
export class CopyRows {
  private buf = Buffer.allocUnsafe(64 * 1024);
  private at = 0;
  count = 0;

  add(values: readonly CopyValue[]) {
    const line = copyLine(values);
    // At most 3 bytes of UTF-8 per UTF-16 unit.
    if (this.at + line.length * 3 > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + line.length * 3));
      this.buf.copy(grown, 0, 0, this.at);
      this.buf = grown;
    }
    this.at += this.buf.write(line, this.at);
    this.count++;
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.at);
  }
}

/** Microseconds from the Unix epoch to Postgres's (2000-01-01). */
const PG_EPOCH_US = 946_684_800_000_000;
/** PGCOPY's signature, then no flags and no header extension. */
const BINARY_HEADER = Buffer.from('PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0', 'latin1');

/**
 * COPY rows in Postgres's binary format, written field by field: timestamps travel as the
 * integer microseconds the ingest has already read, not as text for the server to parse again
 * (a third of a plain COPY's server time for the log's rows). Each row starts with `row(n)` and
 * then gives its n fields in the target's column order, with the writer of the column's type.
 */
export class BinaryCopyRows {
  private buf = Buffer.allocUnsafe(256 * 1024);
  private at = 0;
  private ended = false;
  count = 0;

  constructor() {
    this.at = BINARY_HEADER.copy(this.buf, 0);
  }

  // Bytes are set one by one: Buffer's write and writeInt32BE each cost a call into Node that,
  // for fields this short, took twice the time of the whole text format.
  private room(bytes: number) {
    if (this.at + bytes <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + bytes));
    this.buf.copy(grown, 0, 0, this.at);
    this.buf = grown;
  }

  private int32(v: number) {
    const b = this.buf;
    const a = this.at;
    b[a] = v >>> 24;
    b[a + 1] = v >>> 16;
    b[a + 2] = v >>> 8;
    b[a + 3] = v;
    this.at = a + 4;
  }

  private int16(v: number) {
    this.buf[this.at] = v >>> 8;
    this.buf[this.at + 1] = v;
    this.at += 2;
  }

  row(fields: number): this {
    this.room(2);
    this.int16(fields);
    this.count++;
    return this;
  }

  private null(): this {
    this.room(4);
    this.int32(-1);
    return this;
  }

  /** `v` as UTF-8 after its length, `prefix` bytes into the field (jsonb's version byte). */
  private utf8(v: string, prefix: number) {
    const n = v.length;
    // At most 3 bytes of UTF-8 per UTF-16 unit.
    this.room(4 + prefix + n * 3);
    const b = this.buf;
    const from = this.at + 4 + prefix;
    let k = 0;
    if (n <= 64) {
      for (; k < n; k++) {
        const c = v.charCodeAt(k);
        if (c >= 0x80) break;
        b[from + k] = c;
      }
    }
    const bytes = k === n ? n : b.write(v, from);
    this.int32(bytes + prefix);
    this.at = from + bytes;
  }

  /** text (UTF-8), or NULL. */
  text(v: string | null | undefined): this {
    if (v === null || v === undefined) return this.null();
    this.utf8(v, 0);
    return this;
  }

  /** jsonb from JSON text, or NULL (the server parses it as it would the text format). */
  jsonb(v: string | null | undefined): this {
    if (v === null || v === undefined) return this.null();
    this.room(5 + v.length * 3); // all of it now: utf8 then finds the room, and keeps the byte set here
    this.buf[this.at + 4] = 1; // jsonb's binary format version
    this.utf8(v, 1);
    return this;
  }

  int4(v: number | null | undefined): this {
    if (v === null || v === undefined) return this.null();
    this.room(8);
    this.int32(4);
    this.int32(v);
    return this;
  }

  /** timestamptz from microseconds since the Unix epoch (a number that is an exact integer, or a bigint), or NULL. */
  timestamptz(us: number | bigint | null | undefined): this {
    if (us === null || us === undefined) return this.null();
    this.room(12);
    this.int32(8);
    if (typeof us === 'number' && Number.isSafeInteger(us - PG_EPOCH_US)) {
      const v = us - PG_EPOCH_US;
      const high = Math.floor(v / 4_294_967_296);
      this.int32(high);
      this.int32(v - high * 4_294_967_296);
    } else {
      this.at = this.buf.writeBigInt64BE(BigInt(us) - BigInt(PG_EPOCH_US), this.at);
    }
    return this;
  }

  /**
   * numeric from a plain decimal (an optional sign, digits with an optional point: DECIMAL in
   * lib/ingest/schemas.ts, within numeric's limits), or NULL: the count of base-10,000 digits, the
   * weight of the first, the sign, the count of digits after the point the text had, the digits.
   */
  numeric(v: string | null | undefined): this {
    if (v === null || v === undefined) return this.null();
    let i = 0;
    let negative = false;
    if (v[0] === '+' || v[0] === '-') {
      negative = v[0] === '-';
      i = 1;
    }
    let dot = v.indexOf('.', i);
    if (dot < 0) dot = v.length;
    while (i < dot && v.charCodeAt(i) === 48) i++;
    const whole = dot - i;
    const scale = dot === v.length ? 0 : v.length - dot - 1;
    // Base-10,000 digits on a grid aligned at the point (the whole part padded on the left),
    // written after the header's place; leading and trailing zero digits are left out.
    const lead = (4 - (whole % 4)) % 4;
    const total = Math.ceil((lead + whole + scale) / 4);
    this.room(12 + total * 2);
    const header = this.at;
    this.at += 12;
    let weight = (lead + whole) / 4 - 1;
    let digits = 0;
    let zeros = 0; // zero digits held back: written only if a nonzero one follows
    let group = 0;
    let filled = lead;
    for (let k = i; k < v.length; k++) {
      if (k === dot) continue;
      group = group * 10 + (v.charCodeAt(k) - 48);
      if (++filled < 4 && k < v.length - 1) continue;
      while (filled < 4) {
        group *= 10;
        filled++;
      }
      if (group === 0) {
        if (digits === 0) weight--;
        else zeros++;
      } else {
        for (; zeros > 0; zeros--, digits++) this.int16(0);
        this.int16(group);
        digits++;
      }
      group = 0;
      filled = 0;
    }
    if (digits === 0) {
      weight = 0;
      negative = false;
    }
    const end = this.at;
    this.at = header;
    this.int32(8 + digits * 2);
    this.int16(digits);
    this.int16(weight);
    this.int16(negative ? 0x4000 : 0);
    this.int16(scale);
    this.at = end;
    return this;
  }

  /** The COPY data: header, rows, and the trailer, once. */
  bytes(): Buffer {
    if (!this.ended) {
      this.room(2);
      this.int16(-1);
      this.ended = true;
    }
    return this.buf.subarray(0, this.at);
  }
}

/** A text[] literal for one parameter (thousands of keys without thousands of placeholders). */
export function textArray(list: readonly string[]): string {
  return `{${list.map((s) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

/** The postgres.js transaction behind a drizzle transaction on the Postgres server; null on PGlite. */
function copyClient(tx: Tx): postgres.TransactionSql | null {
  // drizzle's postgres.js transaction keeps postgres.js's own in `session.client`; PGlite's has no savepoint().
  const client = (tx as unknown as { session?: { client?: Partial<postgres.TransactionSql> } }).session?.client;
  return typeof client?.savepoint === 'function' && typeof client.unsafe === 'function' ? (client as postgres.TransactionSql) : null;
}

/** Whether copyInto can run in this transaction (Postgres server), so COPY lines are worth building. */
export const canCopy = (tx: Tx) => copyClient(tx) !== null;

/**
 * COPY `rows` into `target` inside a transaction on the Postgres server, through the
 * transaction's own connection. Returns false on PGlite, without building the rows (the caller
 * inserts another way).
 */
/**
 * A promise that rejects when the server refuses a COPY FROM STDIN (bad data, a constraint), to
 * race against the writable's own events: postgres.js 3.4.9 never settles the writable of a COPY
 * the server rejects once data is sent (porsager/postgres#1173), so a writer waiting for 'finish'
 * or 'drain' would wait forever, holding its connection in an aborted transaction. The error
 * reaches only the query's own reject, which this wraps. Call before `writable()`.
 */
export function copyFailure(query: unknown): Promise<never> {
  const watched = query as { reject: (e: unknown) => void };
  const settle = watched.reject;
  const failed = new Promise<never>((_, reject) => {
    watched.reject = (e) => {
      reject(e);
      settle(e);
    };
  });
  failed.catch(() => {});
  return failed;
}

export async function copyInto(tx: Tx, target: string, rows: () => CopyRows | BinaryCopyRows): Promise<boolean> {
  const client = copyClient(tx);
  if (!client) return false;
  const built = rows();
  const data = built.bytes();
  const query = client.unsafe(`copy ${target} from stdin${built instanceof BinaryCopyRows ? ' with (format binary)' : ''}`);
  const failed = copyFailure(query);
  const stream = await query.writable();
  await Promise.race([
    failed,
    new Promise<void>((resolve, reject) => {
      stream.on('error', reject);
      stream.end(data, () => resolve());
    }),
  ]);
  return true;
}
