/**
 * Reads of pages and GET APIs (SPEC 11): `readDb()` is the replica of `DATABASE_READ_URL` when it
 * may be read (db/index.ts `getReadDb`), except for a person who has just written. Every server
 * action marks its answer with a cookie that lives as long as the replica may lag
 * (`DATABASE_READ_MAX_LAG_SECONDS`, and one check interval): while it is there, that person's pages
 * read the primary, so the page after an action shows what it did. A replica read at that point
 * either has the write or lags more than allowed and is not read at all.
 */
import 'server-only';
import { cookies } from 'next/headers';
import { getReadDb, hasReadReplica, type Db } from '@/db';
import { env } from '@/lib/env';

export const WROTE_COOKIE = 'sh-wrote';

async function wroteRecently(): Promise<boolean> {
  try {
    return (await cookies()).has(WROTE_COOKIE);
  } catch {
    // Outside a request (a job, a test calling a loader): nobody to read their own write.
    return false;
  }
}

/** The client a page or GET API reads with. */
export async function readDb(): Promise<Db> {
  if (!(await hasReadReplica())) return getReadDb({ primary: true });
  return getReadDb({ primary: await wroteRecently() });
}

/** After a write: this person's next pages read the primary until the replica must have it. */
export async function markWrote(): Promise<void> {
  if (!(await hasReadReplica())) return;
  (await cookies()).set(WROTE_COOKIE, '1', {
    maxAge: env().DATABASE_READ_MAX_LAG_SECONDS + 3,
    httpOnly: true,
    sameSite: 'lax',
    // It holds no secret: at worst a forged one sends that person's reads to the primary.
    path: '/',
  });
}
