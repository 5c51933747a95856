import 'server-only';
import { getDb, type Db } from '@/db';
import { authenticate } from '@/lib/auth/session';
import { handler, json } from '@/lib/http/route';
import { parseBatch, readBody } from '@/lib/http/body';
import type { IngestResult } from '@/lib/ingest/messages';
import type { RawRecord } from '@/lib/api/schemas';
import { bulk } from './backpressure';

/**
 * A v1 batch feed: bounded with the other bulk requests, API key, body read within limits, records
 * ingested, the per-record result returned.
 */
export function batchIngestHandler(
  ingest: (db: Db, records: RawRecord[], source: string | null) => Promise<IngestResult>,
) {
  return handler(
    bulk(async (req) => {
      const who = await authenticate(req, { apiKey: true, scope: 'ingest', session: false });
      const records = parseBatch(await readBody(req), req.headers.get('content-type'));
      return json(await ingest(await getDb(), records, who.kind === 'apiKey' ? who.name : who.user.email));
    }),
  );
}
