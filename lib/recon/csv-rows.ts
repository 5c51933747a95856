/**
 * A snapshot CSV as snapshot events: the first row names the columns, which are mapped to the
 * fields sku, location, lot, uom and quantity (by name, case-insensitive, or by an explicit
 * mapping). Papa Parse does the CSV grammar; bytes are decoded as UTF-8 before it, and a row
 * with bytes that are not UTF-8 is reported as that row's error.
 */
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { AppError } from '@/lib/errors';
import type { SnapshotEvent } from '@/lib/recon/snapshots';

export const SNAPSHOT_FIELDS = ['sku', 'location', 'lot', 'uom', 'quantity'] as const;
export type SnapshotField = (typeof SNAPSHOT_FIELDS)[number];
const REQUIRED: SnapshotField[] = ['sku', 'uom', 'quantity'];

/** Which CSV column feeds each field: explicit names win, else the column named like the field. */
export function resolveColumns(
  headerRow: string[],
  mapping: Partial<Record<SnapshotField, string>>,
): Record<SnapshotField, number> {
  const names = headerRow.map((h) => h.replace(/^\uFEFF/, '').trim());
  const lower = names.map((n) => n.toLowerCase());
  const out = {} as Record<SnapshotField, number>;
  const errors: string[] = [];
  for (const f of SNAPSHOT_FIELDS) {
    const wanted = mapping[f]?.trim();
    const idx = wanted ? names.indexOf(wanted) : lower.indexOf(f);
    if (idx < 0 && (wanted || REQUIRED.includes(f))) {
      errors.push(wanted ? `${f}: the column "${wanted}" is not in the file` : `${f}: no column named "${f}"; map one`);
    }
    out[f] = idx;
  }
  if (errors.length) {
    throw new AppError(
      'validation_failed',
      `The CSV columns do not match a snapshot (found: ${names.join(', ') || 'none'}); nothing was stored.`,
      errors,
    );
  }
  return out;
}

export async function* readSnapshotCsv(
  body: ReadableStream<Uint8Array>,
  header: Record<string, unknown>,
  mapping: Partial<Record<SnapshotField, string>> = {},
): AsyncGenerator<SnapshotEvent> {
  yield { kind: 'header', value: header };
  const text = Readable.fromWeb(
    body.pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>) as never,
  );
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { skipEmptyLines: 'greedy' });
  text.pipe(parser);
  text.on('error', (e) => parser.destroy(e));
  let cols: Record<SnapshotField, number> | null = null;
  let width = 0;
  let line = 0;
  let index = 0;
  let values: unknown[] = [];
  let lines: number[] = [];
  for await (const row of parser as AsyncIterable<string[]>) {
    line++;
    if (!cols) {
      cols = resolveColumns(row, mapping);
      width = row.length;
      continue;
    }
    const raw = row.join(',');
    const errors: string[] = [];
    if (row.length !== width) errors.push(`has ${row.length} fields; the header has ${width}`);
    if (raw.includes('\uFFFD')) errors.push('is not valid UTF-8 text (save the file as UTF-8)');
    if (errors.length) {
      if (values.length) {
        yield { kind: 'rows', values, lines };
        values = [];
        lines = [];
      }
      yield { kind: 'bad', index: index++, line, raw, errors: errors.map((e) => `row ${line} ${e}`) };
      continue;
    }
    const pick = (f: SnapshotField) => (cols![f] >= 0 ? row[cols![f]] : undefined);
    const q = pick('quantity')?.trim();
    values.push({
      sku: pick('sku'),
      location: pick('location'),
      lot: pick('lot'),
      uom: pick('uom'),
      quantity: q === undefined || q === '' ? null : q,
    });
    lines.push(line);
    index++;
    if (values.length >= 5000) {
      yield { kind: 'rows', values, lines };
      values = [];
      lines = [];
    }
  }
  if (!cols)
    throw new AppError(
      'validation_failed',
      'The CSV file is empty; it needs a header row and at least the columns sku, uom and quantity.',
    );
  if (values.length) yield { kind: 'rows', values, lines };
}
