/**
 * The bodies the fuzz sends (e2e/fuzz.spec.ts), from fast-check arbitraries: records shaped like a
 * route's schema (from the OpenAPI document, or the rows an admin list answers) with wrong types in
 * their fields, huge and deeply nested values, lone surrogates and NUL, truncated JSON and NDJSON,
 * wrong content types, CSV with unbalanced quotes, multipart garbage. Every body is a pure function
 * of (seed, index), so a failing one replays alone.
 */
import fc from 'fast-check';

export interface FuzzBody {
  kind: string;
  contentType: string | null;
  body: Buffer;
}

type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
};

/** What a route takes: a JSON Schema of one record, whether it is sent as a list, and its field names. */
export interface BodyShape {
  record: JsonSchema | null;
  batch: boolean;
  fields: string[];
  /** Routes that read files (imports, snapshots) also get CSV and multipart. */
  files: boolean;
}

const LONE = ['\uD800', '\uDFFF', '\uDBFF', '\u0000', '\uFFFE', '\u202E'];

/** Strings a careless or hostile sender writes. */
const nastyString = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(...LONE).map((c) => `FUZZ${c}x`),
  fc.constantFrom(
    '',
    ' ',
    'NaN',
    'Infinity',
    '-0',
    '1e999',
    '0x10',
    '2026-13-45T99:99:99Z',
    '2026-11-20T10:00:00',
    '9999-12-31T23:59:59.999+14:00',
    '\u0000',
    "'; drop table integration_messages; --",
    '=cmd|"/C calc"!A0',
    '../../etc/passwd',
    '%ZZ',
    '__proto__',
    'constructor',
  ),
  fc.integer({ min: 1000, max: 70_000 }).map((n) => 'F'.repeat(n)),
);

const nastyNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, -(2 ** 63)),
);

/** A value of any type, possibly nested: what "wrong type" means for a field. */
const wrongValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    nastyString,
    nastyNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(nastyString, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** `[[[[…]]]]` or `{"a":{"a":…}}` nested `depth` deep, as text (JSON.stringify would overflow first). */
function deepText(depth: number, object: boolean): string {
  return object ? '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) : '['.repeat(depth) + '1' + ']'.repeat(depth);
}

function resolve(s: JsonSchema | undefined, defs: Record<string, JsonSchema>): JsonSchema | undefined {
  let cur = s;
  for (let i = 0; cur?.$ref && i < 10; i++) cur = defs[cur.$ref.split('/').pop()!];
  return cur;
}

/** A value that fits `s` (as far as a JSON Schema says): the base the mutations start from. */
function plausible(s: JsonSchema | undefined, defs: Record<string, JsonSchema>, field = ''): fc.Arbitrary<unknown> {
  const r = resolve(s, defs);
  if (!r) return fc.constant(null);
  if (r.const !== undefined) return fc.constant(r.const);
  if (r.enum?.length) return fc.constantFrom(...r.enum);
  const alts = r.anyOf ?? r.oneOf;
  if (alts?.length) return fc.oneof(...alts.map((a) => plausible(a, defs, field)));
  const type = Array.isArray(r.type) ? r.type.find((t) => t !== 'null') : r.type;
  switch (type) {
    case 'string':
      // Years before any demo data, so no window another spec reads holds what the fuzz stores.
      if (r.format === 'date-time') return fc.constant('2001-02-03T04:05:06Z');
      // Facility-like text marked so no other spec's query meets what the fuzz stores.
      return fc.integer({ min: 0, max: 999 }).map((n) => `FUZZ-${field}-${n}`.slice(0, 40));
    case 'number':
    case 'integer':
      return fc.integer({ min: 0, max: 1000 });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(plausible(r.items, defs, field), { maxLength: 2 });
    case 'object': {
      const props = r.properties ?? {};
      return fc.record(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, plausible(v, defs, k)])), {
        requiredKeys: [],
      });
    }
    default:
      return fc.constant(null);
  }
}

/** A record: the plausible one with some fields given wrong values, or fields of wrong types only. */
function recordArb(shape: BodyShape, defs: Record<string, JsonSchema>): fc.Arbitrary<unknown> {
  const fields = shape.fields.length ? shape.fields : ['id', 'name'];
  const wrongOnly = fc.dictionary(fc.constantFrom(...fields), wrongValue, { maxKeys: fields.length });
  if (!shape.record) return wrongOnly;
  const base = plausible(shape.record, defs);
  const mutated = fc
    .tuple(base, fc.dictionary(fc.constantFrom(...fields), wrongValue, { minKeys: 1, maxKeys: 3 }))
    .map(([b, wrong]) => (b && typeof b === 'object' && !Array.isArray(b) ? { ...b, ...wrong } : wrong));
  return fc.oneof(
    { weight: 3, arbitrary: mutated },
    { weight: 1, arbitrary: wrongOnly },
    { weight: 1, arbitrary: base },
  );
}

const json = (v: unknown) => Buffer.from(JSON.stringify(v) ?? 'null');
const text = (s: string) => Buffer.from(s);

/** A body for a route of `shape`. */
export function bodyArb(shape: BodyShape, defs: Record<string, JsonSchema>): fc.Arbitrary<FuzzBody> {
  const rec = recordArb(shape, defs);
  const payload = shape.batch ? fc.array(rec, { minLength: 0, maxLength: 6 }) : rec;
  const JSON_CT = 'application/json';
  const kinds: fc.WeightedArbitrary<FuzzBody>[] = [
    { weight: 30, arbitrary: payload.map((v) => ({ kind: 'json', contentType: JSON_CT, body: json(v) })) },
    {
      // The other shape: a list where one record is expected, one record where a list is.
      weight: 5,
      arbitrary: fc
        .oneof(rec, fc.array(rec, { maxLength: 3 }), wrongValue)
        .map((v) => ({ kind: 'json-other-shape', contentType: JSON_CT, body: json(v) })),
    },
    {
      weight: 8,
      arbitrary: fc.tuple(payload, fc.double({ min: 0, max: 1, noNaN: true })).map(([v, at]) => {
        const t = JSON.stringify(v) ?? 'null';
        return { kind: 'json-truncated', contentType: JSON_CT, body: text(t.slice(0, Math.floor(t.length * at))) };
      }),
    },
    {
      weight: 6,
      arbitrary: fc
        .tuple(fc.array(rec, { maxLength: 5 }), fc.integer({ min: 0, max: 5 }), fc.boolean())
        .map(([rs, cut, truncate]) => {
          const lines = rs.map((r) => JSON.stringify(r));
          if (truncate && lines.length) lines[cut % lines.length] = lines[cut % lines.length].slice(0, 7);
          return { kind: 'ndjson', contentType: 'application/x-ndjson', body: text(lines.join('\n') + '\n{"') };
        }),
    },
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.integer({ min: 1000, max: 20_000 }), fc.boolean())
        .map(([d, obj]) => ({ kind: 'deep', contentType: JSON_CT, body: text(deepText(d, obj)) })),
    },
    {
      // Lone surrogates and NUL as raw bytes JSON.stringify would not write: invalid UTF-8 in a string.
      weight: 4,
      arbitrary: fc
        .tuple(fc.constantFrom(...(shape.fields.length ? shape.fields : ['x'])), fc.uint8Array({ maxLength: 8 }))
        .map(([f, bytes]) => {
          const head = Buffer.from(`${shape.batch ? '[' : ''}{"${f}":"`);
          const tail = Buffer.from(`"}${shape.batch ? ']' : ''}`);
          const raw = Buffer.concat([head, Buffer.from([0xed, 0xa0, 0x80, 0x00, 0xc0, 0xaf]), bytes, tail]);
          return { kind: 'invalid-utf8', contentType: JSON_CT, body: raw };
        }),
    },
    {
      weight: 6,
      arbitrary: fc
        .tuple(
          fc.constantFrom(
            'text/plain',
            'application/xml',
            'application/x-www-form-urlencoded',
            'multipart/form-data',
            'application/json; charset=utf-16',
            'application/octet-stream',
            'text/csv',
            'image/png',
            'garbage',
          ),
          payload,
        )
        .map(([ct, v]) => ({ kind: 'wrong-content-type', contentType: ct, body: json(v) })),
    },
    { weight: 2, arbitrary: fc.constant({ kind: 'empty', contentType: JSON_CT, body: Buffer.alloc(0) }) },
    { weight: 2, arbitrary: fc.constant({ kind: 'no-content-type', contentType: null, body: text('{}') }) },
    {
      // Over the 10 MB limit, rarely: each costs the server a read.
      weight: 1,
      arbitrary: fc.constant({ kind: 'huge', contentType: JSON_CT, body: text(`["${'x'.repeat(10.5 * 2 ** 20)}"]`) }),
    },
    {
      weight: 2,
      arbitrary: fc.integer({ min: 10_001, max: 12_000 }).map((n) => ({
        kind: 'too-many-records',
        contentType: JSON_CT,
        body: text(`[${Array(n).fill('{}').join(',')}]`),
      })),
    },
  ];
  if (shape.files) {
    const csvCell = fc.oneof(nastyString, fc.constantFrom('"', '"a""', 'a"b', '"unterminated', '\r', '\n'));
    const csv = fc
      .tuple(
        fc.array(fc.array(csvCell, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom(',', ';', '\t', '|'),
      )
      .map(([rows, sep]) => rows.map((r) => r.join(sep)).join('\n'));
    kinds.push(
      {
        weight: 10,
        arbitrary: fc
          .tuple(fc.constantFrom(...(shape.fields.length ? shape.fields : ['sku'])), csv)
          .map(([f, body]) => ({ kind: 'csv', contentType: 'text/csv', body: text(`${f},"quantity\n${body}`) })),
      },
      {
        weight: 10,
        arbitrary: fc
          .tuple(fc.string({ minLength: 1, maxLength: 70 }), csv, fc.boolean(), fc.boolean())
          .map(([boundary, content, declared, closed]) => {
            const b = boundary.replace(/[\r\n]/g, '') || 'b';
            const part = `--${b}\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\n\r\n${content}\r\n`;
            const ct = declared ? `multipart/form-data; boundary=${b}` : 'multipart/form-data; boundary=other';
            return { kind: 'multipart', contentType: ct, body: text(part + (closed ? `--${b}--\r\n` : '')) };
          }),
      },
    );
  }
  return fc.oneof(...kinds);
}

/** The seed of body `index` of a run seeded `seed`: bodies are generated one by one, so one replays alone. */
export function bodySeed(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  return (h ^ (h >>> 13)) | 0;
}

export function sampleOne<T>(arb: fc.Arbitrary<T>, seed: number): T {
  return fc.sample(arb, { seed, numRuns: 1 })[0];
}
