/**
 * A transaction whose connection dies (a restart, `pg_terminate_backend`, a network cut) must fail
 * as a retryable error, and nothing else. postgres.js 3.4.9 answers the failure inside `begin()`
 * (and `savepoint()`) by sending its own `rollback` on the dead connection: the write is deferred
 * with `setImmediate` and then reads its socket, already null, so a `TypeError` escapes as an
 * uncaught exception, and the unsent rollback stays in the connection's buffer to be sent before
 * the next connection's startup message (porsager/postgres#1208, #1154; fixes unreleased: #1209,
 * #1215). `guardTransactions` wraps `begin` and `savepoint` so that a callback failing because its
 * connection is gone never settles: postgres.js then skips that rollback, and `begin()` still
 * rejects with CONNECTION_CLOSED through its own watch on the connection's close. The never-settled
 * promise is referenced by nothing and is collected with what it held.
 */
import type postgres from 'postgres';

/** postgres.js's codes for a connection that is gone, and Node's for a socket that broke. */
const LOST_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
]);

/**
 * SQLSTATEs after which the server closes the connection: 57P01 admin shutdown (a terminated
 * backend, a fast shutdown), 57P02 crash shutdown, 57P03 cannot connect now, class 08.
 */
const LOST_STATES = /^(57P0[123]|08...)$/;

/** Whether `e` (or what it wraps: drizzle puts the driver's error in `cause`) says the connection is gone. */
export function isConnectionLost(e: unknown): boolean {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && (LOST_CODES.has(code) || LOST_STATES.test(code))) return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}

type Scoped = (sql: postgres.TransactionSql) => unknown;

/** `fn`, except that its failure for a lost connection never settles (see above). */
function guarded(fn: Scoped): Scoped {
  return (sql) => {
    guardSavepoint(sql);
    return Promise.resolve()
      .then(() => fn(sql))
      .catch((e: unknown) => (isConnectionLost(e) ? new Promise<never>(() => {}) : Promise.reject(e)));
  };
}

function guardSavepoint(sql: postgres.TransactionSql) {
  const savepoint = sql.savepoint as unknown as (name: unknown, fn?: Scoped) => unknown;
  (sql as unknown as { savepoint: unknown }).savepoint = (name: unknown, fn?: Scoped) =>
    typeof name === 'function' ? savepoint(guarded(name as Scoped)) : savepoint(name, fn && guarded(fn));
}

/** Wraps the client's `begin` (which drizzle's `db.transaction` calls) as described above. */
export function guardTransactions(pg: postgres.Sql) {
  const begin = pg.begin.bind(pg) as unknown as (options: unknown, fn?: Scoped) => unknown;
  (pg as unknown as { begin: unknown }).begin = (options: unknown, fn?: Scoped) =>
    typeof options === 'function' ? begin(guarded(options as Scoped)) : begin(options, fn && guarded(fn));
}
