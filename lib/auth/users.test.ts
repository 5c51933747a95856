import { describe, expect, it } from 'vitest';
import { testDb } from '@/lib/testing/db';
import { accessNow, addUser, checkCredentials, updateUser } from '@/lib/auth/users';

const h = testDb();

describe('people and their roles', () => {
  it('changes a role and switches an account off and on; what a session may do follows the table', async () => {
    const u = await addUser(h.db, { email: 'Pat@Example.com', role: 'it', password: 'long-enough-1' });
    const session = Date.now();
    expect(await accessNow(h.db, 'pat@example.com', session)).toBe('it');
    expect(await updateUser(h.db, u.id, { role: 'ops' })).toMatchObject({
      email: 'pat@example.com',
      role: 'ops',
      disabled: false,
    });
    expect(await accessNow(h.db, 'PAT@example.com', session)).toBe('ops');
    // A change of role leaves sessions as they are, sign-in times unknown included.
    expect(await accessNow(h.db, 'pat@example.com', undefined)).toBe('ops');
    await new Promise((r) => setTimeout(r, 5));
    await updateUser(h.db, u.id, { disabled: true });
    expect(await accessNow(h.db, 'pat@example.com', session)).toBeNull();
    expect(await checkCredentials(h.db, 'pat@example.com', 'long-enough-1')).toBeNull();
    await new Promise((r) => setTimeout(r, 5));
    await updateUser(h.db, u.id, { disabled: false });
    expect(await checkCredentials(h.db, 'pat@example.com', 'long-enough-1')).toMatchObject({ role: 'ops' });
    // Switched on again: a session from before it was switched off stays void (or one whose start
    // is unknown); a new one works. Switching on again does not move the line.
    expect(await accessNow(h.db, 'pat@example.com', session)).toBeNull();
    expect(await accessNow(h.db, 'pat@example.com', undefined)).toBeNull();
    expect(await accessNow(h.db, 'pat@example.com', Date.now())).toBe('ops');
    await updateUser(h.db, u.id, { role: 'finance' });
    expect(await accessNow(h.db, 'pat@example.com', Date.now())).toBe('finance');
    // Nobody by that email: a single sign-on claim decides.
    expect(await accessNow(h.db, 'nobody@example.com', session)).toBeUndefined();
  });

  it('refuses what is not a change, and a change that would leave no enabled admin', async () => {
    const a = await addUser(h.db, { email: 'first-admin@example.com', role: 'admin', password: 'long-enough-1' });
    await expect(updateUser(h.db, a.id, { role: 'owner' })).rejects.toMatchObject({
      code: 'validation_failed',
      details: [{ field: 'role', message: 'one of ops, finance, it, manager, admin' }],
    });
    await expect(updateUser(h.db, a.id, { disabled: 'yes' })).rejects.toMatchObject({
      details: [{ field: 'disabled', message: 'true or false' }],
    });
    await expect(updateUser(h.db, a.id, {})).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(updateUser(h.db, 999_999, { role: 'ops' })).rejects.toMatchObject({ code: 'not_found' });
    // The only admin may neither step down nor be switched off.
    await expect(updateUser(h.db, a.id, { role: 'ops' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(updateUser(h.db, a.id, { disabled: true })).rejects.toMatchObject({ code: 'conflict' });
    expect(await accessNow(h.db, 'first-admin@example.com', Date.now())).toBe('admin');
    // With a second admin, the first may.
    const b = await addUser(h.db, { email: 'second-admin@example.com', role: 'admin', password: 'long-enough-1' });
    expect(await updateUser(h.db, a.id, { role: 'manager' })).toMatchObject({ role: 'manager' });
    await expect(updateUser(h.db, b.id, { disabled: true })).rejects.toMatchObject({ code: 'conflict' });
    // A switched-off admin does not count.
    await updateUser(h.db, a.id, { role: 'admin', disabled: true });
    await expect(updateUser(h.db, b.id, { role: 'it' })).rejects.toMatchObject({ code: 'conflict' });
  });
});
