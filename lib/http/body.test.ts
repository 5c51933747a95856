import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nestsDeeper, readBody } from '@/lib/http/body';

const request = (bytes: Uint8Array) =>
  new Request('http://test/api/v1/messages', { method: 'POST', body: Buffer.from(bytes) });

describe('readBody', () => {
  it('decodes UTF-8, drops a leading byte order mark and keeps one inside the text', async () => {
    const text = '[{"note":"é😀\uFEFF"}]';
    expect(await readBody(request(new TextEncoder().encode(text)))).toBe(text);
    expect(await readBody(request(new TextEncoder().encode('\uFEFF' + text)))).toBe(text);
  });

  it('reads any bytes as strict UTF-8 decoding does, through the ASCII shortcut or not (property)', async () => {
    const decode = (b: Uint8Array) => {
      try {
        return new TextDecoder('utf-8', { fatal: true }).decode(b);
      } catch {
        return null;
      }
    };
    const bytes = fc.oneof(
      fc.uint8Array({ max: 0x7f, maxLength: 64 }),
      fc.uint8Array({ maxLength: 64 }),
      fc.string({ unit: 'grapheme', maxLength: 20 }).map((t) => new TextEncoder().encode(t)),
    );
    await fc.assert(
      fc.asyncProperty(bytes, async (b) => {
        const expected = decode(b);
        if (expected === null) await expect(readBody(request(b))).rejects.toMatchObject({ code: 'bad_request' });
        else expect(await readBody(request(b))).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses bytes that are not UTF-8 with a 400, and a body over the limit with a 413', async () => {
    await expect(readBody(request(new Uint8Array([0x5b, 0xc3, 0x28, 0x5d])))).rejects.toMatchObject({
      code: 'bad_request',
      message: 'The body is not valid UTF-8.',
    });
    await expect(readBody(request(new Uint8Array(2048).fill(0x20)), 1024)).rejects.toMatchObject({
      code: 'payload_too_large',
    });
  });
});

describe('nestsDeeper', () => {
  const depth = (v: unknown): number =>
    v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v).map(depth)) : 0;

  it('counts the levels of arrays and objects, not brackets inside strings (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.integer({ min: 0, max: 7 }), (v, max) => {
        expect(nestsDeeper(JSON.stringify(v), max)).toBe(depth(v) > max);
      }),
      { numRuns: 2000 },
    );
    expect(nestsDeeper(JSON.stringify({ a: '[[[[\\"{{{{', b: ['"]]]]'] }), 2)).toBe(false);
    expect(nestsDeeper('['.repeat(1001) + ']'.repeat(1001), 1000)).toBe(true);
    expect(nestsDeeper('['.repeat(1000) + ']'.repeat(1000), 1000)).toBe(false);
  });
});
