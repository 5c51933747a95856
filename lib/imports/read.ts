/**
 * Reading an import's file as text, as delimited rows with a header, or as JSON. Every reader
 * streams (a 200 MB EDIDS export never sits in memory), except JSON documents, which are parsed
 * whole within MAX_JSON_BYTES.
 */
import Papa from 'papaparse';
import { AppError } from '@/lib/errors';
import type { ImportFile } from './types';

/** A JSON document (not NDJSON) is parsed whole; larger ones are refused with 413 and advice. */
export const MAX_JSON_BYTES = 64 * 1024 * 1024;

/**
 * The file's text as it arrives, decoded as UTF-8 (a BOM dropped). A file whose first bytes hold a
 * NUL or are not UTF-8 is refused as not a text file, before anything is read from it.
 */
export async function* textOf(file: ImportFile): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let first = true;
  for await (const chunk of file.bytes) {
    if (first && chunk.byteLength) {
      first = false;
      const head = chunk.subarray(0, 4096);
      if (head.includes(0) || !decodes(head))
        throw new AppError('bad_request', `${file.name}: this is not a text file (CSV, text or JSON, in UTF-8).`);
    }
    try {
      const text = decoder.decode(chunk, { stream: true });
      if (text) yield text;
    } catch {
      throw new AppError('bad_request', `${file.name}: the file is not valid UTF-8 text (save it as UTF-8).`);
    }
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** Whether bytes decode as UTF-8, allowing a character cut at their end. */
function decodes(bytes: Uint8Array): boolean {
  for (let cut = 0; cut < 4 && cut < bytes.length; cut++) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, bytes.length - cut));
      return true;
    } catch {
      // A multi-byte character may be cut by the chunk's end: try a byte shorter.
    }
  }
  return false;
}

/** Text read whole, up to `limit` characters' worth of bytes (413 beyond). */
export async function wholeText(file: ImportFile, limit = MAX_JSON_BYTES): Promise<string> {
  const parts: string[] = [];
  let length = 0;
  for await (const text of textOf(file)) {
    length += text.length;
    if (length > limit)
      throw new AppError(
        'payload_too_large',
        `${file.name}: a JSON document is read whole, and this one passes ${limit} bytes. Send it as NDJSON (a record per line), or in parts.`,
      );
    parts.push(text);
  }
  return parts.join('').replace(/^\uFEFF/, '');
}

/** A JSON document, or 400 naming the file and what is wrong with it. */
export async function readJson(file: ImportFile): Promise<unknown> {
  const text = await wholeText(file);
  if (!text.trim()) throw new AppError('bad_request', `${file.name}: the file is empty.`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new AppError('invalid_json', `${file.name}: not valid JSON (${(e as Error).message}).`);
  }
}

export interface DelimitedRow {
  /** Data row number: the first row after the header is 1. */
  row: number;
  /** Cells by header name (names as `headerCase` says); cells past the header are dropped. */
  cells: Record<string, string>;
  /** The row's text as read (cells joined by the delimiter). */
  raw: string;
  /** Cell count differs from the header's. */
  width: number;
}

export interface DelimitedHeader {
  delimiter: string;
  names: string[];
}

export const DELIMITERS = ['\t', '|', ';', ','] as const;
const DELIMITER_NAMES: Record<string, string> = { '\t': 'tab', '|': 'pipe', ';': 'semicolon', ',': 'comma' };
export const delimiterName = (d: string) => DELIMITER_NAMES[d] ?? JSON.stringify(d);

/** A line of dashes (SAP list output draws them between header and rows, and around the table). */
const isRule = (line: string) => /^[\s|+\-=_]*$/.test(line) && /[-=_]{3,}/.test(line);

/**
 * The delimiter of a header line: the one of tab, pipe, semicolon and comma it holds most of
 * (ties in that order), outside quotes. Null when it holds none.
 */
export function detectDelimiter(line: string): string | null {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (DELIMITERS as readonly string[]).includes(c)) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let best: string | null = null;
  for (const d of DELIMITERS) if ((counts.get(d) ?? 0) > (best ? counts.get(best)! : 0)) best = d;
  return best;
}

type DelimitedOptions = { delimiter?: string; headerCase?: 'upper' | 'lower' | 'asis' };

/**
 * Delimited text with a header row: the delimiter detected from the header (tab, pipe, semicolon or
 * comma, or `delimiter` when given), rules of dashes skipped, the empty edge cells of `|a|b|` rows
 * dropped, cells trimmed. Yields the header first, then each data row.
 */
export async function* readDelimited(
  file: ImportFile,
  opts: DelimitedOptions = {},
): AsyncGenerator<DelimitedHeader | DelimitedRow> {
  for await (const item of readDelimitedBatches(file, opts)) {
    if (Array.isArray(item)) yield* item;
    else yield item;
  }
}

/**
 * readDelimited's rows a batch at a time (the rows of each piece of text as it arrives): a large
 * export is a million rows, and each step of an async generator costs promises and a turn of the
 * event loop, which rows one by one paid three times over.
 */
export async function* readDelimitedBatches(
  file: ImportFile,
  opts: DelimitedOptions = {},
): AsyncGenerator<DelimitedHeader | DelimitedRow[]> {
  const source = textOf(file);
  // The header decides the delimiter: read until a line that is neither blank nor a rule.
  let buffered = '';
  let headerLine: string | null = null;
  let rest = '';
  // Read by hand: leaving a for-await loop would close the source.
  for (let next = await source.next(); !next.done; next = await source.next()) {
    buffered += next.value;
    let start = 0;
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n', start)) {
      const line = buffered.slice(start, nl).replace(/\r$/, '');
      start = nl + 1;
      if (line.trim() && !isRule(line)) {
        headerLine = line;
        break;
      }
    }
    if (headerLine !== null) {
      rest = buffered.slice(start);
      break;
    }
    buffered = buffered.slice(start);
    if (buffered.length > 1 << 20) break;
  }
  if (headerLine === null && buffered.trim() && !isRule(buffered)) {
    headerLine = buffered.replace(/\r?\n?$/, '');
    rest = '';
  }
  if (headerLine === null || !headerLine.trim()) throw new AppError('bad_request', `${file.name}: the file is empty.`);
  headerLine = headerLine.replace(/^\uFEFF/, '');
  const delimiter = opts.delimiter ?? detectDelimiter(headerLine);
  if (!delimiter)
    throw new AppError(
      'bad_request',
      `${file.name}: the header row has no tab, pipe, semicolon or comma between its field names ("${headerLine.slice(0, 80)}").`,
    );
  const edged = delimiter === '|' && headerLine.trim().startsWith('|');
  const cellsOf = (row: string[]) => {
    let cells = row.map((c) => c.trim());
    if (edged) {
      if (cells[0] === '') cells = cells.slice(1);
      if (cells.length && cells[cells.length - 1] === '') cells = cells.slice(0, -1);
    }
    return cells;
  };
  const headerCells = cellsOf(Papa.parse<string[]>(headerLine, { delimiter }).data[0] ?? []);
  const names = headerCells.map((n) =>
    opts.headerCase === 'upper' ? n.toUpperCase() : opts.headerCase === 'lower' ? n.toLowerCase() : n,
  );
  yield { delimiter, names };

  let row = 0;
  for await (const batch of records(source, rest, delimiter)) {
    const out: DelimitedRow[] = [];
    for (const { cells: split, raw } of batch) {
      if (isRule(raw)) continue;
      const cells = cellsOf(split);
      row++;
      const byName: Record<string, string> = {};
      for (let i = 0; i < names.length && i < cells.length; i++) if (names[i]) byName[names[i]] = cells[i];
      out.push({ row, cells: byName, raw, width: cells.length });
    }
    if (out.length) yield out;
  }
}

/**
 * The records of delimited text, a line at a time: a line without a quote is split on the
 * delimiter as it is (most lines of an export, and every line SAP writes: five times the speed of
 * a CSV parser); a line with a quote, together with the lines its quoted cell runs on to, goes to
 * Papa Parse. Blank lines are skipped.
 */
async function* records(
  source: AsyncGenerator<string>,
  first: string,
  delimiter: string,
): AsyncGenerator<{ cells: string[]; raw: string }[]> {
  let buffered = first;
  let quoted: string[] = [];
  let quotes = 0;
  let out: { cells: string[]; raw: string }[] = [];
  const line = (text: string) => {
    const l = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (!quoted.length && !l.includes('"')) {
      if (l.trim()) out.push({ cells: l.split(delimiter), raw: l });
      return;
    }
    quoted.push(l);
    quotes += l.split('"').length - 1;
    if (quotes % 2) return; // a quoted cell runs on to the next line
    const raw = quoted.join('\n');
    quoted = [];
    quotes = 0;
    const cells = Papa.parse<string[]>(raw, { delimiter, quoteChar: '"' }).data[0] ?? [];
    if (raw.trim()) out.push({ cells, raw });
  };
  for (;;) {
    let start = 0;
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n', start)) {
      line(buffered.slice(start, nl));
      start = nl + 1;
    }
    buffered = buffered.slice(start);
    if (out.length) {
      yield out;
      out = [];
    }
    const next = await source.next();
    if (next.done) break;
    buffered += next.value;
  }
  if (buffered) line(buffered);
  if (quoted.length) {
    // A quote never closed: what is left is one last record, as a CSV parser would read it.
    const raw = quoted.join('\n');
    out.push({ cells: Papa.parse<string[]>(raw, { delimiter, quoteChar: '"' }).data[0] ?? [], raw });
  }
  if (out.length) yield out;
}
