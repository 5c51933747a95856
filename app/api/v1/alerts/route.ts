import { alertStateQuery, listAlertObjects } from '@/lib/alerts/api';
import { issueLines } from '@/lib/alerts/config-schema';
import { authenticate } from '@/lib/auth/session';
import { AppError } from '@/lib/errors';
import { readDb } from '@/lib/http/read';
import { handler, json } from '@/lib/http/route';
import { otherMethods } from '@/lib/http/methods';

export const dynamic = 'force-dynamic';

/** Alerts as SPEC 9's alert object, `?state=firing|pending|normal` (read scope, or alerts.read). */
export const GET = handler(async (req) => {
  await authenticate(req, { apiKey: true, scope: 'read', session: true, capability: 'alerts.read' });
  const params = new URL(req.url).searchParams;
  const parsed = alertStateQuery.safeParse(params.has('state') ? { state: params.get('state') } : {});
  if (!parsed.success)
    throw new AppError('bad_request', 'The query parameters are not valid.', issueLines(parsed.error));
  return json({ alerts: await listAlertObjects(await readDb(), parsed.data.state) });
});

/** Every other method: a 405 in SPEC 3's error shape, with `Allow` (lib/http/methods.ts). */
export const { OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods({ GET });
