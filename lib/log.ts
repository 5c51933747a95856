/**
 * What the server log may say about an error: its class and a code, never its message. A driver's
 * message can echo the statement's parameters (drizzle's "Failed query: … params: …", a Postgres
 * "Key (email)=(…) already exists"), and an error's message may quote a request's body, so neither
 * reaches the log; the stack's frames (file and line, no data) do, for the one who debugs it.
 * Imports nothing; docs/architecture.md names the parts that log through it.
 */

/** A code worth logging: a SQLSTATE (`23505`), a Node error code (`ECONNRESET`), an app code (`not_found`). */
const CODE = /^([0-9A-Z]{5}|E[A-Z0-9_]{2,40}|[a-z][a-z_]{2,40})$/;

export interface LoggedError {
  /** The class of the error and of each cause under it: `DrizzleQueryError<PostgresError`. */
  name: string;
  /** The first code found on it or its causes, else `-`. */
  code: string;
  /** Up to `frames` lines of the stack below its message (`at fn (file:line:col)`). */
  stack: string[];
}

const nameOf = (e: unknown): string => {
  if (e === null || typeof e !== 'object') return typeof e;
  const n = (e as { constructor?: { name?: unknown } }).constructor?.name;
  const own = (e as { name?: unknown }).name;
  return String(typeof n === 'string' && n !== 'Object' ? n : typeof own === 'string' ? own : 'Object').slice(0, 60);
};

/** The class, code and stack frames of `e` (looking through up to four `cause`s), without its message. */
export function loggedError(e: unknown, frames = 5): LoggedError {
  const names: string[] = [];
  let code: string | undefined;
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur !== undefined && cur !== null; i++) {
    names.push(nameOf(cur));
    const c = typeof cur === 'object' ? (cur as { code?: unknown }).code : undefined;
    if (!code && typeof c === 'string' && CODE.test(c)) code = c;
    cur = typeof cur === 'object' ? (cur as { cause?: unknown }).cause : undefined;
  }
  // The frames only: the stack begins with the message, which may run over several lines.
  let stackText = e instanceof Error && typeof e.stack === 'string' ? e.stack : '';
  const head = e instanceof Error ? String(e) : '';
  stackText = head && stackText.startsWith(head) ? stackText.slice(head.length) : '';
  const stack = stackText
    .split('\n')
    .filter((l) => /^\s+at /.test(l))
    .slice(0, frames)
    .map((l) => l.trim());
  return { name: names.join('<'), code: code ?? '-', stack };
}

/**
 * One log line: `[scope] key=value …`, values that say nothing about a request's data (ids,
 * counts, statuses, error classes and codes), then the stack frames of `error`, if any.
 */
export function logError(scope: string, fields: Record<string, string | number | undefined>, error?: unknown): void {
  const parts = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${v}`);
  if (error === undefined) {
    console.error(`[${scope}] ${parts.join(' ')}`);
    return;
  }
  const { name, code, stack } = loggedError(error);
  console.error(
    [`[${scope}] ${[...parts, `error=${name}`, `code=${code}`].join(' ')}`, ...stack.map((l) => `    ${l}`)].join('\n'),
  );
}

/**
 * What a failed job may store for people to read (its `error` column): the error's class and
 * code, never its message — the log line written beside it has the stack. The caller shows an
 * `AppError`'s own message instead, which is written for people.
 */
export function storedFailure(what: string, error: unknown): string {
  const { name, code } = loggedError(error);
  return `${what} (${name}${code === '-' ? '' : ` ${code}`}); the server log has the details.`;
}
