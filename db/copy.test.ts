import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { copyInto, copyLine, pgErrorCode, rows, type DbHandle } from '@/db';
import { freshDb } from '@/lib/testing/db';

let h: DbHandle;
beforeAll(async () => {
  h = await freshDb();
  await h.db.execute(sql`create table copy_probe (id text primary key, note text)`);
});
afterAll(async () => h.close());

describe('copyInto', () => {
  it.runIf(process.env.DATABASE_URL)('rejects with the server\'s error when the COPY fails, and the transaction goes on from a savepoint', async () => {
    await h.db.execute(sql`insert into copy_probe values ('a', 'stored')`);
    const outcome = await h.db.transaction(async (tx) => {
      await tx.execute(sql`savepoint probe`);
      const code = await copyInto(tx, 'copy_probe', () => [copyLine(['b', 'new']), copyLine(['a', 'again'])]).then(
        () => 'copied',
        (e) => pgErrorCode(e),
      );
      await tx.execute(sql`rollback to savepoint probe`);
      expect(await copyInto(tx, 'copy_probe', () => [copyLine(['c', 'tab\there'])])).toBe(true);
      return code;
    });
    expect(outcome).toBe('23505');
    expect(await rows(h.db, sql`select id, note from copy_probe order by id`)).toEqual([
      { id: 'a', note: 'stored' },
      { id: 'c', note: 'tab\there' },
    ]);
  });

  it.runIf(!process.env.DATABASE_URL)('returns false on PGlite without reading the lines', async () => {
    let read = false;
    const copied = await h.db.transaction((tx) =>
      copyInto(tx, 'copy_probe', function* () {
        read = true;
        yield copyLine(['x', null]);
      }),
    );
    expect({ copied, read }).toEqual({ copied: false, read: false });
  });
});
