import { getDb } from '@/db';
import { authenticate } from '@/lib/auth/session';
import { handler, json } from '@/lib/http/route';
import { parseBatch, readBody } from '@/lib/ingest/body';
import { ingestMessages } from '@/lib/ingest/messages';

export const dynamic = 'force-dynamic';

export const POST = handler(async (req) => {
  const who = await authenticate(req, { apiKey: true, session: false });
  const records = parseBatch(await readBody(req), req.headers.get('content-type'));
  const result = await ingestMessages(await getDb(), records, who.kind === 'apiKey' ? who.name : who.user.email);
  return json(result);
});
