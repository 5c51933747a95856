import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { pgErrorCode, rows } from '@/db';
import { BinaryCopyRows, CopyRows, copyInto, copyLine, type CopyValue } from '@/db/copy';
import { microsExact, toMicros } from '@/lib/time';
import { testDb } from '@/lib/testing/db';
import { env } from '@/lib/env';

const h = testDb();
const copyRows = (...list: CopyValue[][]) => {
  const out = new CopyRows();
  for (const values of list) out.add(values);
  return out;
};
beforeAll(async () => {
  await h.db.execute(sql`create table copy_probe (id text primary key, note text)`);
});

describe('copyInto', () => {
  it.runIf(env().DATABASE_URL)(
    "rejects with the server's error when the COPY fails, and the transaction goes on from a savepoint",
    async () => {
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
    },
  );

  it.runIf(!env().DATABASE_URL)('returns false on PGlite without reading the lines', async () => {
    let read = false;
    const copied = await h.db.transaction((tx) =>
      copyInto(tx, 'copy_probe', () => {
        read = true;
        return copyRows(['x', null]);
      }),
    );
    expect({ copied, read }).toEqual({ copied: false, read: false });
  });

  it("CopyRows holds the UTF-8 bytes of the rows' lines, past its first buffer too (property)", () => {
    const value = fc.oneof(
      fc.constant(null),
      fc.integer(),
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.string({ unit: 'grapheme', maxLength: 2000 }),
    );
    fc.assert(
      // A first row of ASCII can bring the first buffer's end up to where a row of wider text starts.
      fc.property(
        fc.option(fc.integer({ min: 64 * 1024 - 3000, max: 64 * 1024 })),
        fc.array(fc.array(value, { minLength: 1, maxLength: 6 }), { maxLength: 80 }),
        (filler, rest: CopyValue[][]) => {
          const list = filler === null ? rest : [['a'.repeat(filler)], ...rest];
          const out = new CopyRows();
          for (const r of list) out.add(r);
          expect(out.count).toBe(list.length);
          expect(out.bytes().equals(Buffer.from(list.map(copyLine).join('')))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it.runIf(env().DATABASE_URL)('COPYs CopyRows: escapes, NULLs and text beyond ASCII arrive as sent', async () => {
    const sent: [string, string | null][] = Array.from({ length: 3000 }, (_, i) => [
      `r${i}`,
      i % 7 ? `line ${i}: tab\there, back\\slash\nnewline, é 😀 ${'x'.repeat(i % 50)}` : null,
    ]);
    const out = new CopyRows();
    for (const r of sent) out.add(r);
    await h.db.transaction(async (tx) => {
      await tx.execute(sql`delete from copy_probe`);
      expect(await copyInto(tx, 'copy_probe', () => out)).toBe(true);
    });
    const back = await rows<{ id: string; note: string | null }>(h.db, sql`select id, note from copy_probe`);
    expect(new Map(back.map((r) => [r.id, r.note]))).toEqual(new Map(sent));
  });

  it.runIf(env().DATABASE_URL)(
    'BinaryCopyRows stores what the text format stores: text, numeric, timestamptz, jsonb, int4 and NULLs (property)',
    async () => {
      await h.db.execute(
        sql`create table if not exists copy_types (id int, t text, n numeric, at timestamptz, j jsonb, i int)`,
      );
      const digits = (max: number) => fc.stringMatching(new RegExp(`^[0-9]{1,${max}}$`));
      const decimal = fc.oneof(
        fc
          .tuple(
            fc.constantFrom('', '+', '-'),
            digits(30),
            fc.constantFrom('', '.'),
            fc.oneof(fc.constant(''), digits(30)),
          )
          .map(([s, w, p, f]) => `${s}${w}${p}${p ? f : ''}`),
        fc.tuple(fc.constantFrom('', '-'), digits(20)).map(([s, f]) => `${s}.${f}`),
        fc.constantFrom('0', '-0.000', '0000.0000', '10000', '99990000.00010000', '1' + '0'.repeat(400) + '.5'),
      );
      const two = (min: number, max: number) => fc.integer({ min, max }).map((n) => String(n).padStart(2, '0'));
      const stamp = fc
        .tuple(
          fc.integer({ min: 1, max: 9999 }).map((n) => String(n).padStart(4, '0')),
          two(1, 12),
          two(1, 28),
          two(0, 23),
          two(0, 59),
          two(0, 59),
          fc.oneof(
            fc.constant(''),
            digits(9).map((f) => `.${f}`),
          ),
          fc.constantFrom('Z', '+05:30', '-08', '+14:00'),
        )
        .map(([y, mo, d, h, mi, sec, frac, zone]) => `${y}-${mo}-${d}T${h}:${mi}:${sec}${frac}${zone}`);
      const row = fc.record({
        t: fc.option(fc.string({ unit: 'grapheme', maxLength: 80 }).filter((v) => !v.includes('\0'))),
        n: fc.option(decimal),
        at: fc.option(stamp),
        j: fc.option(
          fc
            .jsonValue({ maxDepth: 2 })
            .map((v) => JSON.stringify(v))
            .filter((v) => !/\\u0000|\\ud[89a-f]/i.test(v)),
        ),
        i: fc.option(fc.integer()),
      });
      const blank = { t: null, n: null, at: null, j: null, i: null };
      await fc.assert(
        // Rows of short ASCII first can bring the first buffer's end up to where a later field starts.
        fc.asyncProperty(
          fc.option(fc.integer({ min: 2860, max: 2915 })),
          fc.array(row, { minLength: 1, maxLength: 40 }),
          async (filler, rest) => {
            const list =
              filler === null
                ? rest
                : [
                    ...Array.from({ length: filler }, () => ({ ...blank, t: 'a'.repeat(60) })),
                    { ...blank, j: JSON.stringify({ k: 'b'.repeat(1000) }) },
                    ...rest,
                  ];
            const binary = new BinaryCopyRows();
            const text = new CopyRows();
            list.forEach((r, id) => {
              binary
                .row(6)
                .int4(id)
                .text(r.t)
                .numeric(r.n)
                .timestamptz(microsExact(r.at === null ? null : toMicros(r.at), r.at))
                .jsonb(r.j)
                .int4(r.i);
              text.add([-1 - id, r.t, r.n, r.at, r.j, r.i]);
            });
            const pairs = await h.db.transaction(async (tx) => {
              await tx.execute(sql`delete from copy_types`);
              await copyInto(tx, 'copy_types', () => binary);
              await copyInto(tx, 'copy_types', () => text);
              return rows<{ id: number; same: boolean }>(
                tx,
                sql`select a.id, (a.t, a.n::text, a.at, a.j, a.i) is not distinct from (b.t, b.n::text, b.at, b.j, b.i)
                  as same
            from copy_types a join copy_types b on b.id = -1 - a.id where a.id >= 0 order by a.id`,
              );
            });
            expect(pairs).toEqual(list.map((_, id) => ({ id, same: true })));
          },
        ),
        { numRuns: 80 },
      );
    },
  );

  it.runIf(env().DATABASE_URL)(
    'BinaryCopyRows writes int8: the safe integers either side of 32 bits, and NULL',
    async () => {
      await h.db.execute(sql`create table if not exists copy_int8 (id int, b bigint)`);
      const values = [0, 1, -1, 2 ** 31, -(2 ** 31) - 1, 2 ** 32, -(2 ** 32), 2 ** 53 - 1, -(2 ** 53) + 1, null];
      const binary = new BinaryCopyRows();
      values.forEach((v, id) => binary.row(2).int4(id).int8(v));
      const back = await h.db.transaction(async (tx) => {
        await tx.execute(sql`delete from copy_int8`);
        await copyInto(tx, 'copy_int8', () => binary);
        return rows<{ b: string | null }>(tx, sql`select b::text as b from copy_int8 order by id`);
      });
      expect(back.map((r) => r.b)).toEqual(values.map((v) => (v === null ? null : String(v))));
    },
  );
});
