import type { Db } from '@/db';
import { ingestMessages } from '@/lib/ingest/messages';

/** Sends records through the ingest as the API would after parsing a JSON array. */
export function send(db: Db, records: unknown[]) {
  return ingestMessages(
    db,
    records.map((value) => ({ value, raw: JSON.stringify(value) })),
    'test',
  );
}
