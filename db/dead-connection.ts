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

/** Whether a transaction's `begin()` has settled: it rejects at once when its connection closes. */
interface Begun {
  settled: boolean;
}

/**
 * `fn`, except that its failure for a lost connection never settles (see above) once `begin()`
 * has settled, which it does when the transaction's own connection closed. A lost-connection
 * error from elsewhere (another connection of the pool) leaves `begin()` pending: then the error
 * is thrown on and the transaction rolled back as usual.
 */
function guarded(fn: Scoped, begun: Begun): Scoped {
  return (sql) => {
    guardSavepoint(sql, begun);
    return Promise.resolve()
      .then(() => fn(sql))
      .catch(async (e: unknown) => {
        if (!isConnectionLost(e)) throw e;
        await new Promise((r) => setTimeout(r, 20));
        if (!begun.settled) throw e;
        return new Promise<never>(() => {});
      });
  };
}

function guardSavepoint(sql: postgres.TransactionSql, begun: Begun) {
  const savepoint = sql.savepoint as unknown as (name: unknown, fn?: Scoped) => unknown;
  (sql as unknown as { savepoint: unknown }).savepoint = (name: unknown, fn?: Scoped) =>
    typeof name === 'function' ? savepoint(guarded(name as Scoped, begun)) : savepoint(name, fn && guarded(fn, begun));
}

/** Wraps the client's `begin` (which drizzle's `db.transaction` calls) as described above. */
export function guardTransactions(pg: postgres.Sql) {
  const begin = pg.begin.bind(pg) as unknown as (options: unknown, fn?: Scoped) => Promise<unknown>;
  (pg as unknown as { begin: unknown }).begin = (options: unknown, fn?: Scoped) => {
    const begun: Begun = { settled: false };
    const done =
      typeof options === 'function'
        ? begin(guarded(options as Scoped, begun))
        : begin(options, fn && guarded(fn, begun));
    const settle = () => (begun.settled = true);
    done.then(settle, settle);
    return done;
  };
}
