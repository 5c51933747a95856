/**
 * The core of validatedAction, run for each role's demo user as signing in resolves it from a real
 * database: who may run an action is decided before the form is read, a bad field comes back by
 * field, and the pages to revalidate are named only once the action ran. No session here: the
 * wrapper that resolves one (serveAction) is exercised with real sign-ins by e2e/access.spec.ts.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ROLES, type Role } from '@/db/schema';
import type { SessionUser } from '@/lib/auth/session';
import { AppError } from '@/lib/errors';
import { userAction } from '@/lib/http/action';
import { testDb } from '@/lib/testing/db';
import { signedInUsers } from '@/lib/testing/users';

const h = testDb();
let as: Record<Role, SessionUser>;
beforeAll(async () => {
  as = await signedInUsers(h.db);
});

const form = (values: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(values)) f.append(k, v);
  return f;
};

describe('an action for a signed-in person', () => {
  const ran: [string, string][] = [];
  const createKey = userAction(
    z.object({ name: z.string().trim().min(1, 'Give the key a name') }),
    'admin',
    async ({ name }, user) => {
      ran.push([name, user.email]);
      if (name === 'taken') throw new AppError('conflict', 'A key taken exists already', ['name: taken']);
      if (name === 'broken') throw new Error('connection lost');
      return `Created "${name}".`;
    },
    { invalid: 'The key was not created.', revalidate: ['/admin'] },
  );
  beforeEach(() => {
    ran.length = 0;
  });

  it('refuses each role without the capability with a 403, before reading the form', async () => {
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      expect(as[role].role).toBe(role);
      await expect(createKey.run(as[role], form({ name: 'k' })), role).rejects.toMatchObject({
        code: 'forbidden',
        status: 403,
        message: `The role ${role} may not do this.`,
      });
      // Not even a bad form is read.
      await expect(createKey.run(as[role], form({})), role).rejects.toBeInstanceOf(AppError);
    }
    expect(ran).toEqual([]);
    expect(createKey.capability).toBe('admin');
  });

  it('answers a bad field by field, an AppError as its state, a success with its text and pages', async () => {
    expect(await createKey.run(as.admin, form({ name: ' ' }))).toEqual({
      state: { error: 'The key was not created.', fieldErrors: { name: 'Give the key a name' } },
      revalidate: [],
    });
    expect(ran).toEqual([]);
    expect(await createKey.run(as.admin, form({ name: 'taken' }))).toEqual({
      state: { error: 'A key taken exists already', fieldErrors: { name: 'taken' } },
      revalidate: [],
    });
    await expect(createKey.run(as.admin, form({ name: 'broken' }))).rejects.toThrow('connection lost');
    expect(await createKey.run(as.admin, form({ name: ' feed ' }))).toEqual({
      state: { ok: 'Created "feed".' },
      revalidate: ['/admin'],
    });
    expect(ran.at(-1)).toEqual(['feed', 'admin@demo.synchealth.dev']);
  });

  it('runs for every role that holds the capability, and revalidates the paths the parsed values name', async () => {
    const signOff = userAction(
      z.object({ cadence: z.enum(['daily', 'weekly']) }),
      'overview.read',
      async (_, user) => ({ error: `${user.role} signed off already` }),
      { revalidate: (v) => [`/review/${v.cadence}`] },
    );
    for (const role of ROLES) {
      expect(await signOff.run(as[role], form({ cadence: 'weekly' })), role).toEqual({
        state: { error: `${role} signed off already` },
        revalidate: ['/review/weekly'],
      });
      expect(await signOff.run(as[role], form({ cadence: 'yearly' }))).toMatchObject({
        state: { error: 'Nothing was saved: check the highlighted fields.' },
        revalidate: [],
      });
    }
  });
});
