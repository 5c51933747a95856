/**
 * A snapshot CSV as snapshot events: the first row names the columns, which are mapped to the
 * fields sku, location, lot, uom and quantity (by name, case-insensitive, or by an explicit
 * mapping); other columns (dates and the like) are ignored. Quantities are kept as written, a
 * decimal comma read with option `decimal=,`; rows without a UOM take option `default.uom`, else
 * the ERP item master's base UOM of their SKU. Papa Parse does the CSV grammar; bytes are decoded as UTF-8 before it, and a row
 * with bytes that are not UTF-8 is reported as that row's error.
 */
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { AppError } from '@/lib/errors';
import { issuesToStrings, snapshotRow } from '@/lib/api/schemas';
import type { SnapshotEvent } from '@/lib/recon/snapshots';

export const SNAPSHOT_FIELDS = ['sku', 'location', 'lot', 'uom', 'quantity'] as const;
export type SnapshotField = (typeof SNAPSHOT_FIELDS)[number];
/** A file without a UOM column takes option default.uom, else the ERP item master's base UOM of each SKU. */
const REQUIRED: SnapshotField[] = ['sku', 'quantity'];

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

/** How a CSV file is read beyond its columns (SPEC 10, inventory snapshots from files). */
export interface CsvOptions {
  mapping?: Partial<Record<SnapshotField, string>>;
  /** The UOM of rows without one of their own (no UOM column, or an empty cell): option `default.uom`. */
  defaultUom?: string | null;
  /** The decimal separator of quantities: option `decimal` (`1,5` with `,`). */
  decimal?: '.' | ',';
  /** The ERP item master's base UOM of each of these SKUs that has one, for rows still without a UOM. */
  baseUoms?: (skus: string[]) => Promise<Map<string, string>>;
}

interface Pending {
  index: number;
  line: number;
  raw: string;
  value: { sku?: string; location?: string; lot?: string; uom?: string; quantity: string | null };
  /** Why the row cannot be read: a bad line, or field errors found before validation. */
  errors: string[];
}

/** A quantity as written, with a decimal comma read as a point; an error naming the option when it does not fit. */
function readQuantity(q: string, decimal: '.' | ','): { quantity: string; error?: string } {
  if (decimal === ',') {
    if (q.includes('.'))
      return { quantity: q, error: `quantity: "${q}" has a point, but the option decimal=, says commas mark decimals` };
    return { quantity: q.replace(',', '.') };
  }
  if (/^[+-]?\d*,\d+$/.test(q))
    return { quantity: q, error: `quantity: "${q}" has a decimal comma; send the option decimal=, to read it` };
  return { quantity: q };
}

/**
 * Rows of one batch as events, in order: rows without a UOM take the ERP item master's base UOM
 * of their SKU, else are rejected with an error naming the option `default.uom`; a row with errors
 * found here is reported with zod's errors about its other fields as well.
 */
async function* settle(batch: Pending[], opts: CsvOptions): AsyncGenerator<SnapshotEvent> {
  const missing = batch.filter((p) => !p.errors.length && !p.value.uom && p.value.sku?.trim());
  if (missing.length && opts.baseUoms) {
    const found = await opts.baseUoms([...new Set(missing.map((p) => p.value.sku!.trim()))]);
    for (const p of missing) p.value.uom = found.get(p.value.sku!.trim());
  }
  let values: unknown[] = [];
  let lines: number[] = [];
  for (const p of batch) {
    if (!p.errors.length && !p.value.uom && p.value.sku?.trim())
      p.errors.push(
        `uom: the row has no UOM, the option default.uom was not given, and the ERP item master has no item ` +
          `${p.value.sku.trim()} with a base UOM; send default.uom=<UOM> or a UOM column`,
      );
    if (!p.errors.length) {
      values.push(p.value);
      lines.push(p.line);
      continue;
    }
    if (values.length) yield { kind: 'rows', values, lines };
    values = [];
    lines = [];
    // A line that could not be read has no fields to check; else zod words the other fields' errors.
    const fields = new Set(p.errors.map((e) => /^(\w+): /.exec(e)?.[1]));
    const others = fields.has(undefined)
      ? null
      : snapshotRow.safeParse({
          ...p.value,
          uom: fields.has('uom') ? 'UOM' : p.value.uom,
          quantity: fields.has('quantity') ? '0' : p.value.quantity,
        });
    const rest = others && !others.success ? issuesToStrings(others.error, p.value) : [];
    yield { kind: 'bad', index: p.index, line: p.line, raw: p.raw, errors: [...p.errors, ...rest] };
  }
  if (values.length) yield { kind: 'rows', values, lines };
}

export async function* readSnapshotCsv(
  body: ReadableStream<Uint8Array>,
  header: Record<string, unknown>,
  opts: CsvOptions = {},
): AsyncGenerator<SnapshotEvent> {
  yield { kind: 'header', value: header };
  const text = Readable.fromWeb(
    body.pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>) as never,
  );
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { skipEmptyLines: 'greedy' });
  text.pipe(parser);
  text.on('error', (e) => parser.destroy(e));
  const decimal = opts.decimal ?? '.';
  const defaultUom = opts.defaultUom?.trim() || undefined;
  let cols: Record<SnapshotField, number> | null = null;
  let width = 0;
  let line = 0;
  let index = 0;
  let batch: Pending[] = [];
  for await (const row of parser as AsyncIterable<string[]>) {
    line++;
    if (!cols) {
      cols = resolveColumns(row, opts.mapping ?? {});
      width = row.length;
      continue;
    }
    const raw = row.join(',');
    const errors: string[] = [];
    if (row.length !== width) errors.push(`row ${line} has ${row.length} fields; the header has ${width}`);
    if (raw.includes('\uFFFD')) errors.push(`row ${line} is not valid UTF-8 text (save the file as UTF-8)`);
    const pick = (f: SnapshotField) => (cols![f] >= 0 ? row[cols![f]] : undefined);
    const q = pick('quantity')?.trim();
    let quantity: string | null = q === undefined || q === '' ? null : q;
    if (quantity !== null && !errors.length) {
      const read = readQuantity(quantity, decimal);
      quantity = read.quantity;
      if (read.error) errors.push(read.error);
    }
    const uom = pick('uom');
    const value = {
      sku: pick('sku'),
      location: pick('location'),
      lot: pick('lot'),
      uom: uom?.trim() ? uom : defaultUom,
      quantity,
    };
    batch.push({ index: index++, line, raw, value, errors });
    if (batch.length >= 5000) {
      yield* settle(batch, opts);
      batch = [];
    }
  }
  if (!cols)
    throw new AppError(
      'validation_failed',
      'The CSV file is empty; it needs a header row and at least the columns sku and quantity.',
    );
  if (batch.length) yield* settle(batch, opts);
}
