/**
 * Password sign-in throttling (issue 27, hole 3). Failed attempts are counted per account (the email
 * typed, known or not) and per client address in the `security_audit` table, so the count holds
 * across restarts and app servers, on PGlite and Postgres alike. `SIGNIN_MAX_FAILURES` failures of
 * one account, or `SIGNIN_MAX_ADDRESS_FAILURES` from one address, within `SIGNIN_WINDOW_MINUTES`
 * lock it for `SIGNIN_LOCK_MINUTES`: while locked, password sign-in is refused before the password
 * is checked, so guesses stop costing bcrypt time. Each lockout is a `signin.locked` row.
 *
 * Only the credentials provider goes through here: single sign-on is never locked, so nobody can
 * shut a person out of it by guessing at their password.
 */
import { and, eq, sql } from 'drizzle-orm';
import { rows, type Executor } from '@/db';
import { securityAudit } from '@/db/schema';
import { env } from '@/lib/env';
import { storableText } from '@/lib/validation';

export interface ThrottleLimits {
  maxFailures: number;
  maxAddressFailures: number;
  windowMinutes: number;
  lockMinutes: number;
}

export function throttleLimits(): ThrottleLimits {
  const e = env();
  return {
    maxFailures: e.SIGNIN_MAX_FAILURES,
    maxAddressFailures: e.SIGNIN_MAX_ADDRESS_FAILURES,
    windowMinutes: e.SIGNIN_WINDOW_MINUTES,
    lockMinutes: e.SIGNIN_LOCK_MINUTES,
  };
}

type Scope = 'account' | 'address';

/** Thrown while an account or address is locked; next-auth shows its message as `?error=`. */
export class SignInLocked extends Error {
  constructor(
    readonly scope: Scope,
    readonly until: Date,
    now: Date,
  ) {
    const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
    super(
      `Too many failed sign-ins ${scope === 'account' ? 'for this account' : 'from this address'}; ` +
        `try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    );
    this.name = 'SignInLocked';
  }
}

/**
 * The client's address from a request's headers. Next.js's server sets `X-Forwarded-For` to the
 * socket's address only when the request has none, and each reverse proxy appends the address it
 * saw; so the client is the entry `TRUSTED_PROXIES` from the right (the rightmost with 0 or 1).
 * With no proxy in front, a client may send the header itself and so dodge the per-address limit,
 * never the per-account one: put a proxy in front in production (SECURITY.md).
 */
export function clientAddress(
  headers: Record<string, unknown> | Headers | undefined,
  trustedProxies = env().TRUSTED_PROXIES,
): string {
  const raw = headers instanceof Headers ? headers.get('x-forwarded-for') : headers?.['x-forwarded-for'];
  const list = (Array.isArray(raw) ? raw.join(',') : String(raw ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const entry = list[list.length - Math.max(1, trustedProxies)] ?? list[0] ?? 'unknown';
  return usable(entry.replace(/^::ffff:/, ''), 64);
}

/** Text fit for the table: what Postgres would refuse or an attacker could make huge is cut. */
function usable(s: string, max: number): string {
  return storableText(s) ? s.slice(0, max) : '(unusable)';
}

const minutes = (n: number) => n * 60_000;

/** The end of the latest lock on the account or the address still running at `now`, if any. */
async function lockedNow(db: Executor, actor: string, address: string, now: Date): Promise<SignInLocked | null> {
  const until = sql`(${securityAudit.detail}->>'until')::timestamptz`;
  const locks = await db
    .select({ scope: sql<Scope>`${securityAudit.detail}->>'scope'`, until: sql<string>`max(${until})` })
    .from(securityAudit)
    .where(
      and(
        eq(securityAudit.action, 'signin.locked'),
        sql`((${securityAudit.detail}->>'scope' = 'account' and ${securityAudit.actor} = ${actor})
          or (${securityAudit.detail}->>'scope' = 'address' and ${securityAudit.address} = ${address}))`,
        sql`${until} > ${now.toISOString()}::timestamptz`,
      ),
    )
    .groupBy(sql`${securityAudit.detail}->>'scope'`);
  const lock = locks.find((l) => l.scope === 'account') ?? locks[0];
  return lock ? new SignInLocked(lock.scope, new Date(lock.until), now) : null;
}

/**
 * Failures that count at `now`: within the window and after the last lock of the same scope (a lock
 * that ran out starts afresh); an account's also after its last successful sign-in (an address's
 * not: one account of one's own must not reset an address that guesses at others).
 */
async function failures(db: Executor, actor: string, address: string, now: Date, windowMinutes: number) {
  const since = new Date(now.getTime() - minutes(windowMinutes)).toISOString();
  const [row] = await rows<{ account: number; address: number }>(
    db,
    sql`
    select
      (select count(*)::int from security_audit f
        where f.actor = ${actor} and f.action = 'signin.failed' and f.at > ${since}::timestamptz
          and f.at > coalesce((select max(o.at) from security_audit o
            where o.actor = ${actor} and (o.action = 'signin.ok'
              or (o.action = 'signin.locked' and o.detail->>'scope' = 'account'))), '-infinity')) as account,
      (select count(*)::int from security_audit f
        where f.address = ${address} and f.action = 'signin.failed' and f.at > ${since}::timestamptz
          and f.at > coalesce((select max(o.at) from security_audit o
            where o.address = ${address} and o.action = 'signin.locked' and o.detail->>'scope' = 'address'),
            '-infinity')) as address`,
  );
  return { account: Number(row.account), address: Number(row.address) };
}

async function lock(
  db: Executor,
  scope: Scope,
  actor: string,
  address: string,
  now: Date,
  count: number,
  l: ThrottleLimits,
) {
  const until = new Date(now.getTime() + minutes(l.lockMinutes));
  await db.insert(securityAudit).values({
    at: now,
    actor,
    address,
    action: 'signin.locked',
    detail: { scope, until: until.toISOString(), failures: count, windowMinutes: l.windowMinutes },
  });
  return new SignInLocked(scope, until, now);
}

/**
 * One password sign-in through the throttle: refused (SignInLocked) while locked, without calling
 * `check`; otherwise `check` (which runs bcrypt) decides, and its failure is counted. The attempt is
 * written as a failure before `check` runs and turned into `signin.ok` when it succeeds, so a burst
 * of concurrent guesses is counted in full and what goes past the limit is refused unchecked.
 */
export async function throttledSignIn<U>(
  db: Executor,
  attempt: { email: string; address: string; now?: Date },
  check: () => Promise<U | null>,
  limits: ThrottleLimits = throttleLimits(),
): Promise<U | null> {
  const now = attempt.now ?? new Date();
  const actor = usable(attempt.email.trim().toLowerCase(), 320);
  const address = usable(attempt.address, 64);
  const locked = await lockedNow(db, actor, address, now);
  if (locked) throw locked;

  const [row] = await db
    .insert(securityAudit)
    .values({ at: now, actor, address, action: 'signin.failed' })
    .returning({ id: securityAudit.id });
  const before = await failures(db, actor, address, now, limits.windowMinutes);
  // Past the limit already: concurrent guesses that all passed the check above.
  const over = before.account > limits.maxFailures || before.address > limits.maxAddressFailures;
  const user = over ? null : await check();
  if (user) {
    await db.update(securityAudit).set({ action: 'signin.ok' }).where(eq(securityAudit.id, row.id));
    return user;
  }
  let refused: SignInLocked | null = null;
  if (before.address >= limits.maxAddressFailures)
    refused = await lock(db, 'address', actor, address, now, before.address, limits);
  if (before.account >= limits.maxFailures)
    refused = await lock(db, 'account', actor, address, now, before.account, limits);
  if (refused) throw refused;
  return null;
}
