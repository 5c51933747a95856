/**
 * Rows for Postgres's COPY FROM STDIN, in the text and the binary format, and the COPY itself inside
 * a drizzle transaction on the Postgres server (PGlite has no COPY from a stream: callers insert
 * another way there).
 */
import type postgres from 'postgres';
import type { Tx } from './index';

export type CopyValue = string | number | null | undefined;

const COPY_SPECIAL = /[\\\t\n\r]/;

/** A value in COPY text format: NULL as \N; backslash, tab, newline and carriage return escaped. */
export function copyText(v: CopyValue): string {
  if (v === null || v === undefined) return '\\N';
  const s = String(v);
  if (!COPY_SPECIAL.test(s)) return s;
  return s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** One row in COPY text format, its line end included (a plain loop: about 3× faster than map and join). */
export function copyLine(values: readonly CopyValue[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i) line += '\t';
    if (v === null || v === undefined) line += '\\N';
    else if (typeof v === 'number') line += v;
    else line += COPY_SPECIAL.test(v) ? copyText(v) : v;
  }
  return line + '\n';
}

/**
 * COPY rows gathered as bytes. Each row's text is written out as soon as it is built, so no
 * string per row lives on until the COPY: for a 5,000-row batch, half the time of joining the
 * lines and encoding the whole, and none of the garbage collector's copying of them.
 */
export class CopyRows {
  private buf = Buffer.allocUnsafe(64 * 1024);
  private at = 0;
  count = 0;

  add(values: readonly CopyValue[]) {
    const line = copyLine(values);
    // At most 3 bytes of UTF-8 per UTF-16 unit.
    if (this.at + line.length * 3 > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + line.length * 3));
      this.buf.copy(grown, 0, 0, this.at);
      this.buf = grown;
    }
    this.at += this.buf.write(line, this.at);
    this.count++;
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.at);
  }
}

/** Microseconds from the Unix epoch to Postgres's (2000-01-01). */
const PG_EPOCH_US = 946_684_800_000_000;
/** PGCOPY's signature, then no flags and no header extension. */
const BINARY_HEADER = Buffer.from('PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0', 'latin1');

/**
 * COPY rows in Postgres's binary format, written field by field: timestamps travel as the
 * integer microseconds the ingest has already read, not as text for the server to parse again
 * (a third of a plain COPY's server time for the log's rows). Each row starts with `row(n)` and
 * then gives its n fields in the target's column order, with the writer of the column's type.
 */
export class BinaryCopyRows {
  private buf = Buffer.allocUnsafe(256 * 1024);
  private at = 0;
  private ended = false;
  count = 0;

  constructor() {
    this.at = BINARY_HEADER.copy(this.buf, 0);
  }

  // Bytes are set one by one: Buffer's write and writeInt32BE each cost a call into Node that,
  // for fields this short, took twice the time of the whole text format.
  private room(bytes: number) {
    if (this.at + bytes <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + bytes));
    this.buf.copy(grown, 0, 0, this.at);
    this.buf = grown;
  }

  private int32(v: number) {
    const b = this.buf;
    const a = this.at;
    b[a] = v >>> 24;
    b[a + 1] = v >>> 16;
    b[a + 2] = v >>> 8;
    b[a + 3] = v;
    this.at = a + 4;
  }

  private int16(v: number) {
    this.buf[this.at] = v >>> 8;
    this.buf[this.at + 1] = v;
    this.at += 2;
  }

  row(fields: number): this {
    this.room(2);
    this.int16(fields);
    this.count++;
    return this;
  }

  private null(): this {
    this.room(4);
    this.int32(-1);
    return this;
  }

  /** `v` as UTF-8 after its length, `prefix` bytes into the field (jsonb's version byte). */
  private utf8(v: string, prefix: number) {
    const n = v.length;
    // At most 3 bytes of UTF-8 per UTF-16 unit.
    this.room(4 + prefix + n * 3);
    const b = this.buf;
    const from = this.at + 4 + prefix;
    let k = 0;
    if (n <= 64) {
      for (; k < n; k++) {
        const c = v.charCodeAt(k);
        if (c >= 0x80) break;
        b[from + k] = c;
      }
    }
    const bytes = k === n ? n : b.write(v, from);
    this.int32(bytes + prefix);
    this.at = from + bytes;
  }

  /** text (UTF-8), or NULL. */
  text(v: string | null | undefined): this {
    if (v === null || v === undefined) return this.null();
    this.utf8(v, 0);
    return this;
  }

  /** jsonb from JSON text, or NULL (the server parses it as it would the text format). */
  jsonb(v: string | null | undefined): this {
    if (v === null || v === undefined) return this.null();
    this.room(5 + v.length * 3); // all of it now: utf8 then finds the room, and keeps the byte set here
    this.buf[this.at + 4] = 1; // jsonb's binary format version
    this.utf8(v, 1);
    return this;
  }

  int4(v: number | null | undefined): this {
    if (v === null || v === undefined) return this.null();
    this.room(8);
    this.int32(4);
    this.int32(v);
    return this;
  }

  /** int8 from a number that is an exact integer, or NULL. */
  int8(v: number | null | undefined): this {
    if (v === null || v === undefined) return this.null();
    this.room(12);
    this.int32(8);
    const high = Math.floor(v / 4_294_967_296);
    this.int32(high);
    this.int32(v - high * 4_294_967_296);
    return this;
  }

  /** timestamptz from microseconds since the Unix epoch (a number that is an exact integer, or a bigint), or NULL. */
  timestamptz(us: number | bigint | null | undefined): this {
    if (us === null || us === undefined) return this.null();
    this.room(12);
    this.int32(8);
    if (typeof us === 'number' && Number.isSafeInteger(us - PG_EPOCH_US)) {
      const v = us - PG_EPOCH_US;
      const high = Math.floor(v / 4_294_967_296);
      this.int32(high);
      this.int32(v - high * 4_294_967_296);
    } else {
      this.at = this.buf.writeBigInt64BE(BigInt(us) - BigInt(PG_EPOCH_US), this.at);
    }
    return this;
  }

  /**
   * numeric from a plain decimal (an optional sign, digits with an optional point: DECIMAL in
   * lib/ingest/schemas.ts, within numeric's limits), or NULL: the count of base-10,000 digits, the
   * weight of the first, the sign, the count of digits after the point the text had, the digits.
   */
  numeric(v: string | null | undefined): this {
    if (v === null || v === undefined) return this.null();
    let i = 0;
    let negative = false;
    if (v[0] === '+' || v[0] === '-') {
      negative = v[0] === '-';
      i = 1;
    }
    let dot = v.indexOf('.', i);
    if (dot < 0) dot = v.length;
    while (i < dot && v.charCodeAt(i) === 48) i++;
    const whole = dot - i;
    const scale = dot === v.length ? 0 : v.length - dot - 1;
    // Base-10,000 digits on a grid aligned at the point (the whole part padded on the left),
    // written after the header's place; leading and trailing zero digits are left out.
    const lead = (4 - (whole % 4)) % 4;
    const total = Math.ceil((lead + whole + scale) / 4);
    this.room(12 + total * 2);
    const header = this.at;
    this.at += 12;
    let weight = (lead + whole) / 4 - 1;
    let digits = 0;
    let zeros = 0; // zero digits held back: written only if a nonzero one follows
    let group = 0;
    let filled = lead;
    for (let k = i; k < v.length; k++) {
      if (k === dot) continue;
      group = group * 10 + (v.charCodeAt(k) - 48);
      if (++filled < 4 && k < v.length - 1) continue;
      while (filled < 4) {
        group *= 10;
        filled++;
      }
      if (group === 0) {
        if (digits === 0) weight--;
        else zeros++;
      } else {
        for (; zeros > 0; zeros--, digits++) this.int16(0);
        this.int16(group);
        digits++;
      }
      group = 0;
      filled = 0;
    }
    if (digits === 0) {
      weight = 0;
      negative = false;
    }
    const end = this.at;
    this.at = header;
    this.int32(8 + digits * 2);
    this.int16(digits);
    this.int16(weight);
    this.int16(negative ? 0x4000 : 0);
    this.int16(scale);
    this.at = end;
    return this;
  }

  /** The COPY data: header, rows, and the trailer, once. */
  bytes(): Buffer {
    if (!this.ended) {
      this.room(2);
      this.int16(-1);
      this.ended = true;
    }
    return this.buf.subarray(0, this.at);
  }
}

/** The postgres.js transaction behind a drizzle transaction on the Postgres server; null on PGlite. */
function copyClient(tx: Tx): postgres.TransactionSql | null {
  // drizzle's postgres.js transaction keeps postgres.js's own in `session.client`; PGlite's has no savepoint().
  const client = (tx as unknown as { session?: { client?: Partial<postgres.TransactionSql> } }).session?.client;
  const usable = typeof client?.savepoint === 'function' && typeof client.unsafe === 'function';
  return usable ? (client as postgres.TransactionSql) : null;
}

/** Whether copyInto can run in this transaction (Postgres server), so COPY lines are worth building. */
export const canCopy = (tx: Tx) => copyClient(tx) !== null;

/**
 * A promise that rejects when the server refuses a COPY FROM STDIN (bad data, a constraint), to
 * race against the writable's own events: postgres.js 3.4.9 never settles the writable of a COPY
 * the server rejects once data is sent (porsager/postgres#1173), so a writer waiting for 'finish'
 * or 'drain' would wait forever, holding its connection in an aborted transaction. The error
 * reaches only the query's own reject, which this wraps. Call before `writable()`.
 */
export function copyFailure(query: unknown): Promise<never> {
  const watched = query as { reject: (e: unknown) => void };
  const settle = watched.reject;
  const failed = new Promise<never>((_, reject) => {
    watched.reject = (e) => {
      reject(e);
      settle(e);
    };
  });
  failed.catch(() => {});
  return failed;
}

/**
 * COPY `rows` into `target` inside a transaction on the Postgres server, through the
 * transaction's own connection. Returns false on PGlite, without building the rows (the caller
 * inserts another way).
 */
export async function copyInto(tx: Tx, target: string, rows: () => CopyRows | BinaryCopyRows): Promise<boolean> {
  const client = copyClient(tx);
  if (!client) return false;
  const built = rows();
  const data = built.bytes();
  const format = built instanceof BinaryCopyRows ? ' with (format binary)' : '';
  const query = client.unsafe(`copy ${target} from stdin${format}`);
  const failed = copyFailure(query);
  const stream = await query.writable();
  await Promise.race([
    failed,
    new Promise<void>((resolve, reject) => {
      stream.on('error', reject);
      stream.end(data, () => resolve());
    }),
  ]);
  return true;
}
