import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_ROWS_OBJECT_DEPTH, readRowsObject, type RowsEvent } from '@/lib/recon/json-rows';

async function* chunks(text: string, sizes: number[]) {
  const buf = Buffer.from(text);
  let at = 0;
  let k = 0;
  while (at < buf.length) {
    const n = Math.max(1, sizes[k++ % sizes.length] ?? 7);
    yield new Uint8Array(buf.subarray(at, at + n));
    at += n;
  }
}

async function collect(text: string, sizes = [7], pieceBytes = 16) {
  const rows: unknown[] = [];
  let header: Record<string, unknown> | undefined;
  for await (const ev of readRowsObject(chunks(text, sizes), { pieceBytes }) as AsyncGenerator<RowsEvent>) {
    if (ev.kind === 'rows') rows.push(...ev.values);
    else header = ev.value;
  }
  return { rows, header };
}

describe('readRowsObject', () => {
  it('refuses nesting past MAX_ROWS_OBJECT_DEPTH with a 400, in the header and in a row (fuzz seed 1349504908)', async () => {
    const deep = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
    for (const text of [
      `{"system":"erp","x":${deep(5000)},"rows":[]}`,
      `{"system":"erp","rows":[{"sku":"A","p":${deep(5000)}}]}`,
    ]) {
      const err = await collect(text, [4096]).catch((e: unknown) => e);
      expect(err).toMatchObject({ status: 400, code: 'bad_request' });
      expect((err as Error).message).toMatch(/more than 64 levels/);
    }
    // Up to the bound it reads as before.
    const ok = await collect(`{"system":"erp","x":${deep(MAX_ROWS_OBJECT_DEPTH - 1)},"rows":[]}`, [64]);
    expect(ok.header?.system).toBe('erp');
  });

  it('splits rows and returns the header whichever side of rows it sits', async () => {
    const rows = [
      { sku: 'A,1', location: '[x]', lot: 'he said "rows": [', uom: 'EA', quantity: 1 },
      { sku: 'B}{', location: null, nested: { a: [1, 2, { b: ']' }] }, quantity: '2.5' },
      { sku: 'Ünïcödé ✓', uom: 'CASE', quantity: -3 },
    ];
    const before = JSON.stringify({ system: 'erp', facility: 'DC1', takenAt: '2026-11-01T00:00:00Z', rows });
    const after = `{ "rows" : ${JSON.stringify(rows, null, 2)} , "note": "rows", "system":"wms","facility":"DC2","takenAt":"2026-11-01T00:00:00Z"}`;
    for (const sizes of [[1], [3, 5], [64], [100000]]) {
      const a = await collect(before, sizes);
      expect(a.rows).toEqual(rows);
      expect(a.header).toEqual({ system: 'erp', facility: 'DC1', takenAt: '2026-11-01T00:00:00Z' });
      const b = await collect(after, sizes);
      expect(b.rows).toEqual(rows);
      expect(b.header).toEqual({ note: 'rows', system: 'wms', facility: 'DC2', takenAt: '2026-11-01T00:00:00Z' });
    }
  });

  it('gives the same rows as JSON.parse for any chunking (property)', async () => {
    const row = fc.record({
      sku: fc.string(),
      location: fc.option(fc.string()),
      quantity: fc.oneof(fc.integer(), fc.string()),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 200 }),
        async (rows, sizes, piece) => {
          const text = JSON.stringify({ facility: 'F', rows, system: 'erp' });
          const got = await collect(text, sizes, piece);
          expect(got.rows).toEqual(JSON.parse(text).rows);
          expect(got.header).toEqual({ facility: 'F', system: 'erp' });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses what is not one JSON object, with a 400 code', async () => {
    for (const bad of [
      '[1,2]',
      '{"rows":[{"a":1},]}',
      '{"rows":[{"a":1}',
      '{"system":"erp"} trailing',
      '{"rows":[1],"rows":[2]}',
    ]) {
      await expect(collect(bad)).rejects.toMatchObject({ code: expect.stringMatching(/invalid_json|bad_request/) });
    }
  });

  it('refuses bytes that are not UTF-8', async () => {
    const bytes = Buffer.concat([Buffer.from('{"rows":[{"sku":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}]}')]);
    const gen = readRowsObject(
      (async function* () {
        yield new Uint8Array(bytes);
      })(),
    );
    await expect(
      (async () => {
        for await (const _ of gen) void _;
      })(),
    ).rejects.toMatchObject({ code: 'bad_request' });
  });
});
