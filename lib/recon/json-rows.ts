/**
 * Reads a JSON object of the shape `{ ...header, "rows": [ {...}, ... ] }` from a byte stream without
 * holding it whole: the rows array is cut at top-level commas into pieces of about `pieceBytes`,
 * each parsed by the native JSON.parse (several times faster than a token-by-token streaming
 * parser), and the rest of the object is parsed at the end as the header. Any syntax error is a
 * 400 for the whole body: a JSON document that does not parse has no rows to report one by one.
 */
import { isUtf8 } from 'node:buffer';
import { AppError } from '@/lib/errors';

export type RowsEvent = { kind: 'rows'; values: unknown[] } | { kind: 'header'; value: Record<string, unknown> };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJ = 0x7b;
const CLOSE_OBJ = 0x7d;
const OPEN_ARR = 0x5b;
const CLOSE_ARR = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const MAX_HEADER_BYTES = 64 * 1024;
/** A snapshot's rows are flat records: nesting beyond this is refused before anything parses it. */
export const MAX_ROWS_OBJECT_DEPTH = 64;

function tooDeep(): AppError {
  return new AppError(
    'bad_request',
    `The body nests arrays or objects more than ${MAX_ROWS_OBJECT_DEPTH} levels deep; nothing was stored.`,
    [`nested too deeply (more than ${MAX_ROWS_OBJECT_DEPTH} levels)`],
  );
}

function decode(buf: Buffer): string {
  if (!isUtf8(buf)) throw new AppError('bad_request', 'The body is not valid UTF-8.');
  return buf.toString('utf8');
}

function parsePiece(buf: Buffer): unknown[] {
  const text = decode(buf).trim();
  if (!text) return [];
  try {
    return JSON.parse(`[${text}]`) as unknown[];
  } catch (e) {
    throw new AppError('invalid_json', `The body is not valid JSON inside "rows": ${(e as Error).message}`);
  }
}

export async function* readRowsObject(
  body: AsyncIterable<Uint8Array>,
  opts: { key?: string; pieceBytes?: number } = {},
): AsyncGenerator<RowsEvent> {
  const keyBytes = Buffer.from(JSON.stringify(opts.key ?? 'rows'));
  const pieceBytes = opts.pieceBytes ?? 512 * 1024;
  const head: Buffer[] = [];
  let headBytes = 0;
  let depth = 0;
  let inString = false;
  let escape = false;
  let stringStart = -1;
  let lastKeyIsRows = false; // the last string at depth 1 was the rows key, followed by a colon
  let colonAfterKey = false;
  let inRows = false;
  let seenRows = false;
  let carry: Buffer = Buffer.alloc(0);
  let done = false;

  const pushHead = (b: Buffer) => {
    headBytes += b.length;
    if (headBytes > MAX_HEADER_BYTES)
      throw new AppError('bad_request', `Everything outside "rows" must fit in ${MAX_HEADER_BYTES} bytes.`);
    head.push(b);
  };

  for await (const chunk of body) {
    const buf = carry.length
      ? Buffer.concat([carry, chunk])
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let i = carry.length;
    let from = 0; // start of the bytes not yet handed on (head or current rows piece)
    let lastCut = -1; // in rows: the last top-level comma
    const pieces: Buffer[] = [];
    for (; i < buf.length; i++) {
      const c = buf[i];
      if (done) {
        if (c > 0x20)
          throw new AppError(
            'invalid_json',
            'The body is not valid JSON: unexpected data after the end of the object.',
          );
        continue;
      }
      if (inString) {
        if (escape) escape = false;
        else if (c === BACKSLASH) escape = true;
        else if (c === QUOTE) {
          inString = false;
          if (depth === 1 && !inRows) {
            lastKeyIsRows =
              stringStart >= 0 &&
              i + 1 - stringStart === keyBytes.length &&
              buf.subarray(stringStart, i + 1).equals(keyBytes);
            colonAfterKey = false;
          }
        }
        continue;
      }
      if (c === QUOTE) {
        inString = true;
        stringStart = i;
        continue;
      }
      if (c <= 0x20) continue;
      if (inRows) {
        if (c === OPEN_OBJ || c === OPEN_ARR) {
          if (++depth > MAX_ROWS_OBJECT_DEPTH) throw tooDeep();
        } else if (c === CLOSE_OBJ) depth--;
        else if (c === CLOSE_ARR) {
          depth--;
          if (depth === 1) {
            pieces.push(buf.subarray(from, i));
            inRows = false;
            from = i;
            lastCut = -1;
            continue;
          }
        } else if (c === COMMA && depth === 2) {
          lastCut = i;
          if (lastCut - from >= pieceBytes) {
            pieces.push(buf.subarray(from, lastCut));
            from = lastCut + 1;
          }
        }
        continue;
      }
      if (depth === 0 && c !== OPEN_OBJ)
        throw new AppError(
          'invalid_json',
          'The body must be a JSON object with "system", "facility", "takenAt" and "rows".',
        );
      if (c === COLON && depth === 1 && lastKeyIsRows) colonAfterKey = true;
      else if (c === OPEN_ARR && depth === 1 && lastKeyIsRows && colonAfterKey) {
        if (seenRows) throw new AppError('invalid_json', 'The body has "rows" twice.');
        seenRows = true;
        pushHead(buf.subarray(from, i + 1));
        depth++;
        inRows = true;
        from = i + 1;
        lastKeyIsRows = false;
        continue;
      } else if (c !== COLON) {
        lastKeyIsRows = false;
      }
      if (c === OPEN_OBJ || c === OPEN_ARR) {
        if (++depth > MAX_ROWS_OBJECT_DEPTH) throw tooDeep();
      } else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
        depth--;
        if (depth === 0) done = true;
      }
    }
    if (inRows) {
      carry = Buffer.from(buf.subarray(from));
      if (carry.length > 16 * 1024 * 1024) throw new AppError('bad_request', 'A row of "rows" is larger than 16 MB.');
    } else {
      // Outside rows, a string spanning chunks only matters as a possible "rows" key: keep the
      // open string's bytes with the next chunk so the key comparison sees it whole.
      if (inString && stringStart >= from) {
        pushHead(buf.subarray(from, stringStart));
        carry = Buffer.from(buf.subarray(stringStart));
        stringStart = 0;
      } else {
        pushHead(buf.subarray(from));
        carry = Buffer.alloc(0);
      }
    }
    for (const p of pieces) {
      const values = parsePiece(p);
      if (values.length) yield { kind: 'rows', values };
    }
  }
  if (inRows || !done)
    throw new AppError('invalid_json', 'The body is not valid JSON: it ends before the object is closed.');
  if (carry.length) pushHead(carry);
  let header: unknown;
  try {
    header = JSON.parse(decode(Buffer.concat(head)));
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('invalid_json', `The body is not valid JSON: ${(e as Error).message}`);
  }
  if (!header || typeof header !== 'object' || Array.isArray(header))
    throw new AppError('invalid_json', 'The body must be a JSON object.');
  const value = { ...(header as Record<string, unknown>) };
  delete value[opts.key ?? 'rows'];
  yield { kind: 'header', value };
}
