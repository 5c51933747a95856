import { getDb } from '@/db';
import { ADMIN_SESSION, authenticate } from '@/lib/auth/session';
import { AppError } from '@/lib/errors';
import { handler, json, readJson } from '@/lib/http/route';
import { updateUser } from '@/lib/auth/users';
import { otherMethods } from '@/lib/http/methods';

export const dynamic = 'force-dynamic';

/**
 * Changes a person's role or switches the account off or on (admins, signed in):
 * { role?: 'ops'|'finance'|'it'|'manager'|'admin', disabled?: boolean }. 409 when it would leave no
 * enabled admin. The person's open sessions follow at their next request; switching the account off
 * ends them, and switched on again the person signs in anew.
 */
export const PATCH = handler(async (req, ctx: { params: Promise<{ id: string }> }) => {
  await authenticate(req, ADMIN_SESSION);
  const { id } = await ctx.params;
  if (!/^\d{1,9}$/.test(id)) throw new AppError('not_found', `No user ${id}`);
  const input = await readJson(req, '{ "role": "ops" } or { "disabled": true }');
  if (!input || typeof input !== 'object' || Array.isArray(input))
    throw new AppError('bad_request', 'Send a JSON object: { "role"?, "disabled"? }.');
  const { role, disabled } = input as { role?: unknown; disabled?: unknown };
  const user = await updateUser(await getDb(), Number(id), { role, disabled });
  return json({ user });
});

/** Every other method: a 405 in SPEC 3's error shape, with `Allow` (lib/http/methods.ts). */
export const { GET, HEAD, OPTIONS, POST, PUT, DELETE } = otherMethods({ PATCH });
