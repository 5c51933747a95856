import { describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { securityAudit } from '@/db/schema';
import { testDb } from '@/lib/testing/db';
import { SignInLocked, clientAddress, throttledSignIn, type ThrottleLimits } from '@/lib/auth/throttle';
import { addUser, checkCredentials } from '@/lib/auth/users';

const h = testDb();

const LIMITS: ThrottleLimits = { maxFailures: 10, maxAddressFailures: 25, windowMinutes: 15, lockMinutes: 15 };
const PASSWORD = 'the-right-password';
const T0 = new Date('2026-12-01T08:00:00Z');
const at = (minutes: number, seconds = 0) => new Date(T0.getTime() + minutes * 60_000 + seconds * 1000);

/** One sign-in through the throttle against the real users table; `checks` counts the bcrypt runs. */
function signer() {
  const counter = { checks: 0 };
  const signIn = (email: string, password: string, now: Date, address = '198.51.100.1') =>
    throttledSignIn(
      h.db,
      { email, address, now },
      () => {
        counter.checks++;
        return checkCredentials(h.db, email, password);
      },
      LIMITS,
    );
  return { counter, signIn };
}

const lockRows = (actor: string) =>
  h.db
    .select()
    .from(securityAudit)
    .where(eq(securityAudit.actor, actor))
    .orderBy(asc(securityAudit.id))
    .then((rs) => rs.filter((r) => r.action === 'signin.locked'));

describe('password sign-in throttle', () => {
  it('locks an account at its 10th failure, refuses the 11th without checking the password, and lets it in after the lock', async () => {
    await addUser(h.db, { email: 'locked@example.com', role: 'ops', password: PASSWORD });
    const { counter, signIn } = signer();
    for (let i = 0; i < 9; i++) expect(await signIn('locked@example.com', 'wrong', at(0, i))).toBeNull();
    // The 10th failure locks, and says so.
    await expect(signIn('Locked@Example.com', 'wrong', at(1))).rejects.toThrow(
      'Too many failed sign-ins for this account; try again in 15 minutes.',
    );
    expect(counter.checks).toBe(10);
    // Locked: the 11th attempt, with the right password, is refused and bcrypt does not run.
    const refused = await signIn('locked@example.com', PASSWORD, at(5)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SignInLocked);
    expect((refused as Error).message).toBe('Too many failed sign-ins for this account; try again in 11 minutes.');
    expect(counter.checks).toBe(10);
    // From another address too: the account is what is locked.
    await expect(signIn('locked@example.com', PASSWORD, at(15, 59), '203.0.113.9')).rejects.toThrow(
      'try again in 1 minute.',
    );
    expect(counter.checks).toBe(10);
    // The lockout is in the audit log: who, from where, until when.
    const [lock] = await lockRows('locked@example.com');
    expect(lock).toMatchObject({
      address: '198.51.100.1',
      at: at(1),
      detail: { scope: 'account', until: at(16).toISOString(), failures: 10 },
    });
    // After the lock: the right password signs in, and the count starts afresh.
    expect(await signIn('locked@example.com', PASSWORD, at(16, 1))).toMatchObject({ email: 'locked@example.com' });
    expect(counter.checks).toBe(11);
    expect(await signIn('locked@example.com', 'wrong', at(16, 2))).toBeNull();
  });

  it('does not count successes, and a success starts the account afresh', async () => {
    await addUser(h.db, { email: 'busy@example.com', role: 'it', password: PASSWORD });
    const { signIn } = signer();
    // (From a new address each round: an address's count is not reset by a success.)
    for (let round = 0; round < 3; round++) {
      const address = `198.51.100.${10 + round}`;
      for (let i = 0; i < 9; i++)
        expect(await signIn('busy@example.com', 'wrong', at(30, round * 10 + i), address)).toBeNull();
      expect(await signIn('busy@example.com', PASSWORD, at(30, round * 10 + 9), address)).not.toBeNull();
    }
    for (let i = 0; i < 20; i++) expect(await signIn('busy@example.com', PASSWORD, at(31, i))).not.toBeNull();
    expect(await lockRows('busy@example.com')).toEqual([]);
    // Failures older than the window do not count.
    for (let i = 0; i < 9; i++) expect(await signIn('busy@example.com', 'wrong', at(40, i))).toBeNull();
    expect(await signIn('busy@example.com', 'wrong', at(56))).toBeNull();
  });

  it('locks an address that guesses across accounts, and only that address', async () => {
    const { counter, signIn } = signer();
    const sprayer = '192.0.2.66';
    // 25 failures over 25 accounts (none locked on its own, unknown accounts count too).
    for (let i = 0; i < 24; i++) expect(await signIn(`victim${i}@example.com`, 'guess', at(60, i), sprayer)).toBeNull();
    await expect(signIn('victim24@example.com', 'guess', at(60, 30), sprayer)).rejects.toThrow(
      'Too many failed sign-ins from this address; try again in 15 minutes.',
    );
    expect(counter.checks).toBe(25);
    // Any account from that address is refused unchecked, even with the right password.
    await addUser(h.db, { email: 'colleague@example.com', role: 'finance', password: PASSWORD });
    await expect(signIn('colleague@example.com', PASSWORD, at(61), sprayer)).rejects.toThrow('from this address');
    expect(counter.checks).toBe(25);
    // The same account from another address is not locked.
    expect(await signIn('colleague@example.com', PASSWORD, at(61), '192.0.2.67')).not.toBeNull();
    const [lock] = await lockRows('victim24@example.com');
    expect(lock).toMatchObject({ address: sprayer, detail: { scope: 'address', failures: 25 } });
    // After the lock, the address may try again.
    expect(await signIn('colleague@example.com', PASSWORD, at(76), sprayer)).not.toBeNull();
  });

  it('counts a burst of concurrent guesses in full and refuses what goes past the limit unchecked', async () => {
    await addUser(h.db, { email: 'burst@example.com', role: 'ops', password: PASSWORD });
    const { counter, signIn } = signer();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => signIn('burst@example.com', 'wrong', at(90, i % 3), `10.0.0.${i}`)),
    );
    expect(results.every((r) => r.status === 'rejected' || r.value === null)).toBe(true);
    expect(counter.checks).toBeLessThanOrEqual(10);
    await expect(signIn('burst@example.com', PASSWORD, at(91))).rejects.toThrow('for this account');
  });

  it('reads the client address from X-Forwarded-For, counting trusted proxies from the right', () => {
    expect(clientAddress({ 'x-forwarded-for': '::ffff:127.0.0.1' }, 0)).toBe('127.0.0.1');
    expect(clientAddress({ 'x-forwarded-for': 'forged, 203.0.113.5' }, 0)).toBe('203.0.113.5');
    expect(clientAddress({ 'x-forwarded-for': 'forged, 203.0.113.5' }, 1)).toBe('203.0.113.5');
    expect(clientAddress({ 'x-forwarded-for': 'forged, 203.0.113.5, 10.0.0.2' }, 2)).toBe('203.0.113.5');
    expect(clientAddress(new Headers({ 'x-forwarded-for': '198.51.100.7' }), 3)).toBe('198.51.100.7');
    expect(clientAddress({}, 0)).toBe('unknown');
    expect(clientAddress({ 'x-forwarded-for': 'a\0b' }, 0)).toBe('(unusable)');
  });
});
