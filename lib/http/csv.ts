import 'server-only';
import Papa from 'papaparse';

/**
 * A streamed CSV download: rows are written as their pages arrive from the database, so a
 * 100,000-row export never sits in memory whole. Quoting by papaparse; a formula-looking cell is
 * prefixed with ' so spreadsheets do not run it.
 */
export function csvResponse<T>(
  filename: string,
  columns: { key: keyof T & string; header: string }[],
  pages: AsyncIterable<T[]>,
): Response {
  const enc = new TextEncoder();
  const safe = (v: unknown) => {
    if (v === null || v === undefined) return '';
    const s = Array.isArray(v) ? v.join(' ') : typeof v === 'object' ? JSON.stringify(v) : String(v);
    return /^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  };
  const iterator = pages[Symbol.asyncIterator]();
  let headerSent = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(enc.encode(Papa.unparse([columns.map((c) => c.header)]) + '\r\n'));
        return;
      }
      const { value, done } = await iterator.next();
      if (done) return controller.close();
      if (value.length)
        controller.enqueue(enc.encode(Papa.unparse(value.map((r) => columns.map((c) => safe(r[c.key])))) + '\r\n'));
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
