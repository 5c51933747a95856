/**
 * The shape every import format (SPEC 10) has: it reads files and yields SPEC 3.1 records with the
 * row each came from, rows it could not map (kept in the quarantine with their raw text) and
 * warnings. The runner (lib/imports/run.ts) feeds the records to the one ingest path.
 */
import type { Db } from '@/db';
import type { ImportFormatName } from '@/db/schema';

export type { ImportFormatName };

/** One file of an import, read once as a stream. */
export interface ImportFile {
  name: string;
  /** The file's bytes, as they arrive. */
  bytes: AsyncIterable<Uint8Array>;
}

/** The options of one import: query parameters, or `--name value` on the CLI. */
export interface ImportOptions {
  /** IANA zone for timestamps written without one (default `UTC`). */
  timezone: string;
  /** The default facility. */
  facility: string | null;
  /** Every option as given, by name (`map.WMMBXY`, `partner.WMS01`, `direction`, …). */
  all: Record<string, string>;
}

/** Options sharing a prefix, without it: `prefixed(o, 'map.')` of `map.WMMBXY=adjustment` is `{ WMMBXY: 'adjustment' }`. */
export function prefixed(options: ImportOptions, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.all)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}

/** Where a row came from: its file and its data row number there (the first row after a header is 1). */
export interface RowPlace {
  file: string;
  row: number;
}

/** A record mapped from a row, as SPEC 3.1 writes it, with the row's raw text. */
export interface MappedRecord extends RowPlace {
  value: Record<string, unknown>;
  raw: string;
}

/** A row that could not be mapped: kept in the quarantine with its raw text and the reasons. */
export interface RowRejection extends RowPlace {
  raw: string;
  errors: string[];
  /** The message id the row would have had, when known. */
  key?: string | null;
}

export interface RowWarning extends RowPlace {
  message: string;
}

/** What a format yields as it reads: a piece of records, rejections and warnings. */
export interface Mapped {
  records: MappedRecord[];
  rejected: RowRejection[];
  warnings: RowWarning[];
  /** Data rows read for this piece (the response's `rows` is their sum). */
  rows: number;
}

export interface ImportContext {
  db: Db;
  options: ImportOptions;
  importId: number;
  /** Map and validate only: nothing may be stored (the page's preview). */
  dryRun: boolean;
  /** A mapping profile not saved yet (the page's live preview of a profile being written); dry runs only. */
  profile?: unknown;
}

/** One run of a format over the files of one request. */
export interface FormatRun {
  /** Reads one file, in order of arrival; files are told apart by their content. */
  file(file: ImportFile): AsyncIterable<Mapped>;
  /**
   * Whether each record is recomputed from everything known (SAP: an IDoc from all its status rows),
   * so that a record with the stored `updatedAt` but other content (a late status row adding an
   * attempt) replaces the stored version instead of counting as unchanged.
   */
  recomputes?: boolean;
  /**
   * Whether two batches of records may go through the ingest at once, as two API senders' do: true
   * when no message id comes in two records of the run (so the order of batches decides nothing)
   * and the database takes concurrent transactions (the Postgres server; read after the files).
   */
  readonly concurrentIngest?: boolean;
  /** After the last file: whatever needed every file first (SAP computes its IDocs here). */
  finish?(): AsyncIterable<Mapped>;
}

export interface ImportFormat {
  name: ImportFormatName;
  /**
   * Checks the options (a missing required one is an AppError 'bad_request' naming it) and starts a
   * run. Called before any file is read.
   */
  start(ctx: ImportContext): Promise<FormatRun> | FormatRun;
}

export const emptyMapped = (): Mapped => ({ records: [], rejected: [], warnings: [], rows: 0 });
