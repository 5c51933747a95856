import { getDb } from '@/db';
import { acknowledgeAlert } from '@/lib/alerts/acknowledge';
import { acknowledgeBody, alertObjectById } from '@/lib/alerts/api';
import { issueLines } from '@/lib/alerts/config-schema';
import { authenticate } from '@/lib/auth/session';
import { AppError } from '@/lib/errors';
import { handler, json, readJson } from '@/lib/http/route';
import { otherMethods } from '@/lib/http/methods';

export const dynamic = 'force-dynamic';

/** Acknowledges a firing alert `{ note }` (SPEC 9): an admin key, or a session of ops, it, admin. */
export const POST = handler(async (req, ctx: { params: Promise<{ id: string }> }) => {
  const who = await authenticate(req, { apiKey: true, scope: 'admin', session: true, capability: 'alerts.act' });
  const { id } = await ctx.params;
  if (!/^\d{1,15}$/.test(id)) throw new AppError('not_found', `No alert ${id}.`);
  const raw = await readJson(req, '{ "note": "…" }');
  const parsed = acknowledgeBody.safeParse(raw ?? {});
  if (!parsed.success) throw new AppError('validation_failed', 'The request is invalid.', issueLines(parsed.error));
  const db = await getDb();
  const by = who.kind === 'apiKey' ? `key ${who.name}` : who.user.email;
  await acknowledgeAlert(db, Number(id), { by, note: parsed.data.note });
  return json({ alert: await alertObjectById(db, Number(id)) });
});

/** Every other method: a 405 in SPEC 3's error shape, with `Allow` (lib/http/methods.ts). */
export const { OPTIONS, GET, HEAD, PUT, PATCH, DELETE } = otherMethods({ POST });
