/**
 * A fresh, migrated database for one test file: an in-memory PGlite by default, or a database of
 * its own on the Postgres server named by DATABASE_URL (created here, dropped by `close`).
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll } from 'vitest';
import { seedDefaults } from '@/lib/bootstrap';
import { env } from '@/lib/env';
import { openDatabase, setHandle, type Db, type DbHandle } from '@/db';

/** A new, empty database `<prefix>_<pid>_<random>` on the Postgres server at `base`: its URL, and how to drop it. */
export async function scratchDatabase(
  base: string,
  prefix: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const a = postgres(base, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

export async function freshDb(): Promise<DbHandle> {
  const base = env().DATABASE_URL;
  if (!base) {
    const h = await openDatabase({ dir: 'memory://', purpose: 'test' });
    await seedDefaults(h.db);
    setHandle(h);
    return h;
  }
  const scratch = await scratchDatabase(base, 'sh_test');
  const h = await openDatabase({ url: scratch.url, purpose: 'test' });
  const close = h.close;
  const handle: DbHandle = {
    ...h,
    close: async () => {
      await close();
      await scratch.drop();
    },
  };
  await seedDefaults(handle.db);
  setHandle(handle);
  return handle;
}

/**
 * The fresh database of a test file, opened before its first test and closed after its last
 * (vitest's beforeAll and afterAll, registered here). Read it inside tests and hooks only: the
 * handle it stands for exists from the first beforeAll on.
 */
export function testDb(): DbHandle {
  let handle: DbHandle | undefined;
  beforeAll(async () => {
    handle = await freshDb();
  });
  afterAll(async () => handle?.close());
  return new Proxy({} as DbHandle, {
    get(_, prop) {
      if (!handle) throw new Error('the test database opens in beforeAll: read it inside a test or hook');
      return Reflect.get(handle, prop);
    },
  });
}

/** The tables a message batch writes: the log and its history, the quarantine, exceptions, rollups, sketches. */
export const MESSAGE_TABLES = [
  'integration_messages',
  'message_keys',
  'message_history',
  'quarantine',
  'quarantine_keys',
  'exceptions',
  'exception_audit',
  'message_rollup_hourly',
  'message_rollup_daily',
  'delay_sketches',
];

/** Empties what message batches wrote, and the tables named in `also`, its ids counting from 1 again. */
export function emptyMessageTables(db: Db, also: string[] = []) {
  return db.execute(sql.raw(`truncate ${[...MESSAGE_TABLES, ...also].join(', ')} restart identity cascade`));
}
