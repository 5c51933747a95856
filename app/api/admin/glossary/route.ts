import { getDb } from '@/db';
import { removeGlossary, saveGlossary } from '@/lib/admin/settings';
import { ADMIN_TABLES } from '@/lib/admin/tables';
import { ADMIN_SESSION, authenticate } from '@/lib/auth/session';
import { AppError } from '@/lib/errors';
import { handler, json, readJson } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

/** The error-code glossary. */
export const GET = handler(async (req) => {
  await authenticate(req, ADMIN_SESSION);
  return json({ glossary: await ADMIN_TABLES.glossary.load(await getDb()) });
});

/** Explains an error code: { errorCode, meaning, action? }. 201 when new, 200 when changed. */
export const PUT = handler(async (req) => {
  await authenticate(req, ADMIN_SESSION);
  const { created } = await saveGlossary(await getDb(), await readJson(req, '{ "errorCode", "meaning", "action" }'));
  return json({ saved: true }, created ? 201 : 200);
});

/** Removes an entry: ?errorCode=… */
export const DELETE = handler(async (req) => {
  await authenticate(req, ADMIN_SESSION);
  const code = new URL(req.url).searchParams.get('errorCode');
  if (!code) throw new AppError('bad_request', 'Say which entry to remove.', ['errorCode: is required']);
  await removeGlossary(await getDb(), code);
  return json({ removed: { errorCode: code } });
});
