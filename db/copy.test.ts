import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { CopyRows, copyInto, copyLine, pgErrorCode, rows, type CopyValue, type DbHandle } from '@/db';
import { freshDb } from '@/lib/testing/db';

let h: DbHandle;
const copyRows = (...list: CopyValue[][]) => {
  const out = new CopyRows();
  for (const values of list) out.add(values);
  return out;
};
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
      const code = await copyInto(tx, 'copy_probe', () => copyRows(['b', 'new'], ['a', 'again'])).then(
        () => 'copied',
        (e) => pgErrorCode(e),
      );
      await tx.execute(sql`rollback to savepoint probe`);
      expect(await copyInto(tx, 'copy_probe', () => copyRows(['c', 'tab\there']))).toBe(true);
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
      copyInto(tx, 'copy_probe', () => {
        read = true;
        return copyRows(['x', null]);
      }),
    );
    expect({ copied, read }).toEqual({ copied: false, read: false });
  });

  it('CopyRows holds the UTF-8 bytes of the rows\' lines, past its first buffer too (property)', () => {
    const value = fc.oneof(fc.constant(null), fc.integer(), fc.string({ unit: 'binary', maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 2000 }));
    fc.assert(
      // A first row of ASCII can bring the first buffer's end up to where a row of wider text starts.
      fc.property(fc.option(fc.integer({ min: 64 * 1024 - 3000, max: 64 * 1024 })), fc.array(fc.array(value, { minLength: 1, maxLength: 6 }), { maxLength: 80 }), (filler, rest: CopyValue[][]) => {
        const list = filler === null ? rest : [['a'.repeat(filler)], ...rest];
        const out = new CopyRows();
        for (const r of list) out.add(r);
        expect(out.count).toBe(list.length);
        expect(out.bytes().equals(Buffer.from(list.map(copyLine).join('')))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it.runIf(process.env.DATABASE_URL)('COPYs CopyRows: escapes, NULLs and text beyond ASCII arrive as sent', async () => {
    const sent: [string, string | null][] = Array.from({ length: 3000 }, (_, i) => [`r${i}`, i % 7 ? `line ${i}: tab\there, back\\slash\nnewline, é 😀 ${'x'.repeat(i % 50)}` : null]);
    const out = new CopyRows();
    for (const r of sent) out.add(r);
    await h.db.transaction(async (tx) => {
      await tx.execute(sql`delete from copy_probe`);
      expect(await copyInto(tx, 'copy_probe', () => out)).toBe(true);
    });
    const back = await rows<{ id: string; note: string | null }>(h.db, sql`select id, note from copy_probe`);
    expect(new Map(back.map((r) => [r.id, r.note]))).toEqual(new Map(sent));
  });
});
