import 'server-only';
import Papa from 'papaparse';

/** One column of an export: its row key, its header, and whether it holds numbers. */
export interface CsvColumn<T> {
  key: keyof T & string;
  header: string;
  /**
   * The column holds numbers, some of them as strings (Postgres `numeric` arrives as text, kept so
   * to lose no digit): a string that is a plain decimal is written as it is, `-5` stays `-5`.
   */
  numeric?: boolean;
}

/**
 * First characters a spreadsheet reads as the start of a formula (OWASP, CSV injection): `=`, `+`,
 * `-`, `@`, tab, CR, and LF (a cell may start a line of its own), and the full-width forms of the
 * four signs that some spreadsheets take for the ASCII ones.
 */
const FORMULA_START = /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;
/** A plain decimal as Postgres writes `numeric` and JavaScript writes a number. */
const DECIMAL = /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A value as its CSV cell. By the value's type and its column, never by guessing from its digits:
 * a number is a number; a string in a numeric column is written as is when it is a plain decimal;
 * every other value is text, and text a spreadsheet would evaluate gets a leading `'` (so "-2+3"
 * from a message field is `'-2+3`). Papa's own `escapeFormulae` is not used: its pattern
 * (`/^[=+\-@\t\r].*$/`) lets a formula with a line break through, and it would prefix the text of
 * a numeric column too.
 */
export function csvCell(value: unknown, numeric = false): string | number | boolean {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'string' && numeric && DECIMAL.test(value)) return value;
  const s = Array.isArray(value)
    ? value.join(' ')
    : value instanceof Date
      ? value.toISOString()
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  return FORMULA_START.test(s) ? `'${s}` : s;
}

/** Rows as CSV lines (with the trailing CRLF), cells by `csvCell`, quoting by papaparse. */
export function csvLines<T>(columns: CsvColumn<T>[], rows: T[]): string {
  return Papa.unparse(rows.map((r) => columns.map((c) => csvCell(r[c.key], c.numeric)))) + '\r\n';
}

/**
 * A streamed CSV download: rows are written as their pages arrive from the database, so a
 * 100,000-row export never sits in memory whole. Quoting by papaparse; a formula-looking text cell
 * is prefixed with ' so spreadsheets do not run it (`csvCell`).
 */
export function csvResponse<T>(filename: string, columns: CsvColumn<T>[], pages: AsyncIterable<T[]>): Response {
  const enc = new TextEncoder();
  const iterator = pages[Symbol.asyncIterator]();
  let headerSent = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(enc.encode(Papa.unparse([columns.map((c) => csvCell(c.header))]) + '\r\n'));
        return;
      }
      const { value, done } = await iterator.next();
      if (done) return controller.close();
      if (value.length) controller.enqueue(enc.encode(csvLines(columns, value)));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'no-store',
    },
  });
}
