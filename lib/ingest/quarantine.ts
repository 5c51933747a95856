import { sql } from 'drizzle-orm';
import type { Executor } from '@/db';
import type { Rejected } from '@/lib/api/schemas';

/**
 * Text as Postgres can store it: NUL and half a UTF-16 surrogate pair (which jsonb and text refuse)
 * become U+FFFD. Raw text only ever needs it for a NUL sent as a raw byte (a JSON escape such as
 * \u0000 is six characters of text, kept as they are).
 */
const storable = (s: string) => s.toWellFormed().replaceAll('\0', '\uFFFD');

/**
 * Where the records of a batch came from when an import (SPEC 10) read them from files: the import,
 * and each record's file and row, which the quarantine keeps in place of the batch index.
 */
export interface ImportOrigin {
  importId: number;
  /**
   * The records were recomputed from every row the import knows (SAP IDocs): one with the stored
   * `updatedAt` and other content replaces the stored version (SPEC 10: a later file recomputes the
   * message), where the API's rule keeps the stored one.
   */
  recomputed?: boolean;
  place(index: number): { file: string; row: number };
}

/**
 * Keeps every rejected record with its raw text and reasons (SPEC 3.1: nothing silently dropped),
 * once. A record's identity is its feed, source (the API key, the user, the snapshot's name), its
 * place (the import, file and row; a batch's index), raw text and reasons: a batch whose commit the
 * sender could not see, sent again, finds its rejected records kept and adds nothing (SPEC 3.1:
 * replaying a batch ends in the same state), while the same text at another place of a batch, or
 * in another import, is another record. The identity is a digest of those, unique in the table.
 */
export async function quarantineRecords(
  db: Executor,
  feed: string,
  source: string | null,
  rejected: Rejected[],
  origin?: ImportOrigin,
) {
  if (!rejected.length) return;
  const list = rejected.map((r) => {
    const key = r.messageId ?? r.key ?? null;
    const place = origin?.place(r.index);
    return {
      record_index: place ? place.row : r.index,
      record_key: key === null ? null : storable(key),
      raw: storable(r.raw ?? ''),
      errors: r.errors.map(storable),
      file_name: place ? storable(place.file) : null,
    };
  });
  // The identity is claimed in quarantine_keys (the quarantine is partitioned by month, and no index
  // of it can be unique over all months); only the records whose identity was new are kept.
  await db.execute(sql`
    with q as (
      select q.*, encode(sha256(convert_to(jsonb_build_array(q.feed, q.source, q.import_id, q.file_name, q.record_index,
        q.raw, q.errors)::text, 'UTF8')), 'hex') as identity
      from (
        select ${feed}::text as feed, ${source}::text as source, r.record_index, r.record_key, r.raw, r.errors,
          ${origin?.importId ?? null}::bigint as import_id, r.file_name
        from jsonb_to_recordset(${JSON.stringify(list)}::jsonb) as r(record_index int, record_key text, raw text, errors
          jsonb, file_name text)
      ) q
    ), claimed as (
      insert into quarantine_keys (identity) select distinct identity from q on conflict do nothing returning identity
    )
    insert into quarantine (feed, source, record_index, record_key, raw, errors, import_id, file_name, identity)
    select distinct on (q.identity) q.feed, q.source, q.record_index, q.record_key, q.raw, q.errors, q.import_id,
      q.file_name, q.identity
    from q join claimed using (identity)`);
}
