/**
 * validatedAction with the session and Next's navigation stood in for: who may run an action is
 * decided on the server, before the form is read.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { stub as session } from '@/lib/testing/next-stubs';

vi.mock('next-auth', () => import('@/lib/testing/next-stubs').then((m) => m.nextAuth));
vi.mock('next/navigation', () => import('@/lib/testing/next-stubs').then((m) => m.navigation));
vi.mock('next/headers', () => import('@/lib/testing/next-stubs').then((m) => m.nextHeaders));
vi.mock('next/cache', () => import('@/lib/testing/next-stubs').then((m) => m.nextCache));

const { validatedAction } = await import('@/lib/http/action');

const form = (values: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(values)) f.append(k, v);
  return f;
};

describe('validatedAction', () => {
  const ran = vi.fn();
  const action = validatedAction(
    z.object({ name: z.string().trim().min(1, 'Give the key a name') }),
    'admin',
    async ({ name }, user) => {
      ran(name, user.email);
      if (name === 'taken') throw new AppError('conflict', 'A key taken exists already', ['name: taken']);
      if (name === 'broken') throw new Error('connection lost');
      return `Created "${name}".`;
    },
    { invalid: 'The key was not created.', revalidate: ['/admin'] },
  );
  beforeEach(() => {
    ran.mockClear();
    session.revalidated = [];
  });

  it('refuses a role without the capability before reading the form, and sends the signed-out to sign in', async () => {
    for (const role of ['ops', 'finance', 'it', 'manager']) {
      session.role = role;
      await expect(action({}, form({ name: 'k' }))).rejects.toThrow('NEXT_FORBIDDEN');
    }
    session.role = null;
    await expect(action({}, form({ name: 'k' }))).rejects.toThrow('NEXT_REDIRECT /login?callbackUrl=%2Fadmin');
    expect(ran).not.toHaveBeenCalled();
    expect(session.revalidated).toEqual([]);
  });

  it('answers a bad field by field, an AppError as its state, and a success with its text', async () => {
    session.role = 'admin';
    expect(await action({}, form({ name: ' ' }))).toEqual({
      error: 'The key was not created.',
      fieldErrors: { name: 'Give the key a name' },
    });
    expect(ran).not.toHaveBeenCalled();
    expect(await action({}, form({ name: 'taken' }))).toEqual({
      error: 'A key taken exists already',
      fieldErrors: { name: 'taken' },
    });
    expect(session.revalidated).toEqual([]);
    await expect(action({}, form({ name: 'broken' }))).rejects.toThrow('connection lost');
    expect(await action({}, form({ name: ' feed ' }))).toEqual({ ok: 'Created "feed".' });
    expect(ran).toHaveBeenLastCalledWith('feed', 'admin@example.com');
    expect(session.revalidated).toEqual(['/admin']);
  });

  it('revalidates the paths the parsed values name', async () => {
    session.role = 'manager';
    const signOff = validatedAction(
      z.object({ cadence: z.enum(['daily', 'weekly']) }),
      'overview.read',
      async () => ({ error: 'Already signed off' }),
      {
        revalidate: (v) => [`/review/${v.cadence}`],
      },
    );
    expect(await signOff({}, form({ cadence: 'weekly' }))).toEqual({ error: 'Already signed off' });
    expect(session.revalidated).toEqual(['/review/weekly']);
    expect(await signOff({}, form({ cadence: 'yearly' }))).toMatchObject({
      error: 'Nothing was saved: check the highlighted fields.',
    });
  });
});
