import { getDb } from '@/db';
import { addRule, removeRule } from '@/lib/admin/settings';
import { ADMIN_TABLES } from '@/lib/admin/tables';
import { ADMIN_SESSION, authenticate } from '@/lib/auth/session';
import { AppError } from '@/lib/errors';
import { handler, json, readJson } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

/** The rules, first match by priority. */
export const GET = handler(async (req) => {
  await authenticate(req, ADMIN_SESSION);
  return json({ rules: await ADMIN_TABLES['root-cause-rules'].load(await getDb()) });
});

/**
 * Adds a rule: { priority, errorCodePattern?, messagePattern?, category, description? }, patterns as
 * case-insensitive regular expressions. 201 { rule }. The next exception opened follows it.
 */
export const POST = handler(async (req) => {
  await authenticate(req, ADMIN_SESSION);
  const rule = await addRule(await getDb(), await readJson(req, '{ "priority", "errorCodePattern", "messagePattern", "category" }'));
  return json({ rule }, 201);
});

/** Removes a rule: ?id=… */
export const DELETE = handler(async (req) => {
  await authenticate(req, ADMIN_SESSION);
  const id = new URL(req.url).searchParams.get('id') ?? '';
  if (!/^\d{1,9}$/.test(id)) throw new AppError('bad_request', 'Say which rule to remove.', ['id: a rule id is required']);
  await removeRule(await getDb(), Number(id));
  return json({ removed: { id: Number(id) } });
});
