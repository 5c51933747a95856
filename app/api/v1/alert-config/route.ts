import { getDb } from '@/db';
import { applyAlertConfig, exportAlertConfig } from '@/lib/alerts/config';
import { authenticate } from '@/lib/auth/session';
import { AppError } from '@/lib/errors';
import { handler, json, readJson } from '@/lib/http/route';
import { otherMethods } from '@/lib/http/methods';

export const dynamic = 'force-dynamic';

const ADMIN = { apiKey: true, scope: 'admin', session: true, capability: 'admin' } as const;

/** The alert configuration in the file's form (SPEC 9); secrets masked unless `?withSecrets=true`. */
export const GET = handler(async (req) => {
  await authenticate(req, ADMIN);
  const flag = new URL(req.url).searchParams.get('withSecrets');
  if (flag !== null && !['true', 'false', '1', '0'].includes(flag))
    throw new AppError('bad_request', 'The query parameters are not valid.', ['withSecrets: expected true or false']);
  return json(await exportAlertConfig(await getDb(), { withSecrets: flag === 'true' || flag === '1' }));
});

/** Applies a configuration file, all or nothing: `{ created, updated, unchanged }`, or 422 naming each bad field. */
export const PUT = handler(async (req) => {
  const who = await authenticate(req, ADMIN);
  const body = await readJson(req, '{ "channels": [...], "rules": [...], "silences": [...] }', 2 * 1024 * 1024);
  const by = who.kind === 'apiKey' ? `key ${who.name}` : who.user.email;
  return json(await applyAlertConfig(await getDb(), body, { by }));
});

/** Every other method: a 405 in SPEC 3's error shape, with `Allow` (lib/http/methods.ts). */
export const { OPTIONS, POST, PATCH, DELETE } = otherMethods({ GET, PUT });
