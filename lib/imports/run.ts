/**
 * One import (SPEC 10): a format reads the files, and its records go through the one ingest path
 * (lib/ingest: validation, versioning, exceptions, rollups, quarantine) batch by batch, so a file of
 * any size streams through. Rows the format could not map are quarantined with the import's id, file
 * and row. The import's history row is written first and kept up to date, so the page shows a
 * running import's progress.
 */
import { sql } from 'drizzle-orm';
import { rows, textArray, type Db } from '@/db';
import { IMPORT_FORMATS, IMPORT_VIA, type ImportFormatName } from '@/db/schema';
import type { Rejected } from '@/lib/api/schemas';
import { AppError } from '@/lib/errors';
import { ingestMessages } from '@/lib/ingest/messages';
import { quarantineRecords } from '@/lib/ingest/quarantine';
import { validateMessages } from '@/lib/ingest/validate';
import { NOT_STORABLE, storableText } from '@/lib/validation';
import { FORMATS } from './formats';
import { isZone } from './zoned-time';
import type { ImportFile, ImportOptions, Mapped, MappedRecord, RowPlace } from './types';

/** Records sent to the ingest at a time (the JSON API's batch limit). */
const BATCH = 10_000;
/**
 * Records per batch when two batches go through the ingest at once (concurrentIngest): the batch of
 * two API senders in the bench, and fewer records alive at a time (a server importing 200 MB stays
 * within 500 MB).
 */
const CONCURRENT_BATCH = 5_000;
/** Warnings kept in the history and returned; `warningCount` counts them all. */
const MAX_WARNINGS = 1000;
/** Mapped records a dry run returns for the preview. */
const PREVIEW = 50;

export interface ImportRequest {
  format: string;
  files: AsyncIterable<ImportFile> | Iterable<ImportFile>;
  /** Query parameters or `--name value` options, as given. */
  options: Record<string, string>;
  dryRun?: boolean;
  /** An unsaved mapping profile to preview with (format `profile`, dry runs only). */
  profile?: unknown;
  /** Who: an API key's name or a person's email. */
  source: string | null;
  via: (typeof IMPORT_VIA)[number];
}

export interface ImportedRejection extends Rejected, RowPlace {}

export interface ImportResult {
  format: ImportFormatName;
  /** Null for a dry run, which stores nothing. */
  importId: number | null;
  dryRun: boolean;
  files: { name: string; size: number }[];
  rows: number;
  accepted: number;
  updated: number;
  unchanged: number;
  rejected: ImportedRejection[];
  warnings: { file: string; row: number; message: string }[];
  warningCount: number;
  /** A dry run's first mapped records, each with the errors validation would give it. */
  preview?: { file: string; row: number; record: Record<string, unknown>; errors: string[] }[];
}

/** The format named in a route or command, or 404 listing the formats there are. */
export function formatNamed(name: string): ImportFormatName {
  if ((IMPORT_FORMATS as readonly string[]).includes(name)) return name as ImportFormatName;
  throw new AppError('not_found', `There is no import format "${name}"; the formats are ${IMPORT_FORMATS.join(', ')}.`);
}

/** The options every format shares, checked: `timezone` an IANA zone, `facility` storable text. */
export function importOptions(all: Record<string, string>): ImportOptions {
  const errors: string[] = [];
  for (const [k, v] of Object.entries(all))
    if (!storableText(k) || !storableText(v)) errors.push(`${k}: ${NOT_STORABLE}`);
  const timezone = all.timezone?.trim() || 'UTC';
  if (!isZone(timezone)) errors.push(`timezone: "${timezone}" is not an IANA time zone (such as Europe/Berlin or UTC)`);
  if (errors.length)
    throw new AppError('bad_request', `The import's options are not usable: ${errors.join('; ')}.`, errors);
  return { timezone, facility: all.facility?.trim() || null, all };
}

export async function runImport(db: Db, req: ImportRequest): Promise<ImportResult> {
  const format = formatNamed(req.format);
  const options = importOptions(req.options);
  const dryRun = !!req.dryRun;
  if (req.profile !== undefined && (!dryRun || format !== 'profile'))
    throw new AppError('bad_request', 'An unsaved mapping profile can only preview a profile import; save it first.');
  const started = Date.now();
  const result: ImportResult = {
    format,
    importId: null,
    dryRun,
    files: [],
    rows: 0,
    accepted: 0,
    updated: 0,
    unchanged: 0,
    rejected: [],
    warnings: [],
    warningCount: 0,
    ...(dryRun ? { preview: [] } : {}),
  };
  if (!dryRun) {
    const [run] = await rows<{ id: number }>(
      db,
      sql`
        insert into import_runs (format, via, source, options)
        values (${format}, ${req.via}, ${req.source}, ${JSON.stringify(req.options)}::jsonb) returning id`,
    );
    result.importId = Number(run.id);
  }
  const importId = result.importId ?? 0;
  let pending: MappedRecord[] = [];
  let recomputes = false;
  let concurrent = (): boolean => false;
  /** Batches in the ingest: one at a time, or two when the format allows (concurrentIngest). */
  const running: Promise<void>[] = [];

  const flush = async () => {
    const batch = pending;
    pending = [];
    if (!batch.length) return;
    if (dryRun) return preview(batch, result);
    const sent = ingest(batch);
    sent.catch(() => {}); // awaited below (or by settle() when another batch failed first)
    running.push(sent);
    while (running.length >= (concurrent() ? 2 : 1)) await running.shift();
  };
  const settle = async () => {
    while (running.length) await running.shift();
  };

  const ingest = async (batch: MappedRecord[]) => {
    const place = (i: number) => ({ file: batch[i].file, row: batch[i].row });
    const out = await ingestMessages(
      db,
      batch.map((r) => ({ value: r.value, raw: r.raw })),
      req.source,
      { importId, place, recomputed: recomputes },
    );
    result.accepted += out.accepted;
    result.updated += out.updated;
    result.unchanged += out.unchanged;
    const refused = new Set<number>();
    for (const r of out.rejected) {
      refused.add(r.index);
      result.rejected.push({ ...r, ...place(r.index), index: batch[r.index].row });
    }
    const ids = batch.filter((_, i) => !refused.has(i)).map((r) => String(r.value.messageId));
    await db.execute(sql`
      insert into import_messages (import_id, message_id)
      select ${importId}::bigint, unnest(${textArray(ids)}::text[]) on conflict do nothing`);
    await progress(db, importId, result);
  };

  const take = async (m: Mapped) => {
    result.rows += m.rows;
    for (const w of m.warnings) {
      if (result.warnings.length < MAX_WARNINGS) result.warnings.push({ file: w.file, row: w.row, message: w.message });
      result.warningCount++;
    }
    if (m.rejected.length) {
      for (const r of m.rejected)
        result.rejected.push({ index: r.row, file: r.file, row: r.row, messageId: r.key ?? null, errors: r.errors });
      if (!dryRun) {
        const list = m.rejected.map((r, i) => ({ index: i, key: r.key ?? null, raw: r.raw, errors: r.errors }));
        await quarantineRecords(db, 'messages', req.source, list, { importId, place: (i) => m.rejected[i] });
      }
    }
    for (const r of m.records) {
      pending.push(r);
      if (pending.length >= (concurrent() ? CONCURRENT_BATCH : BATCH)) await flush();
    }
  };

  try {
    const run = await FORMATS[format].start({ db, options, importId, dryRun, profile: req.profile });
    recomputes = !!run.recomputes;
    concurrent = () => !!run.concurrentIngest;
    for await (const file of req.files) {
      const size = { name: file.name, size: 0 };
      result.files.push(size);
      const counted: ImportFile = { name: file.name, bytes: countBytes(file.bytes, size) };
      for await (const m of run.file(counted)) await take(m);
    }
    if (!result.files.length) throw new AppError('bad_request', 'No file was sent; send the file as the body.');
    if (run.finish) for await (const m of run.finish()) await take(m);
    await flush();
    await settle();
    if (!dryRun) await finishRun(db, importId, result, started, null);
    return result;
  } catch (e) {
    await Promise.allSettled(running);
    if (!dryRun) await finishRun(db, importId, result, started, e).catch(() => {});
    throw e;
  }
}

async function* countBytes(bytes: AsyncIterable<Uint8Array>, into: { size: number }) {
  for await (const chunk of bytes) {
    into.size += chunk.byteLength;
    yield chunk;
  }
}

function preview(batch: MappedRecord[], result: ImportResult) {
  const { rejected } = validateMessages(batch.map((r) => ({ value: r.value, raw: r.raw })));
  const errors = new Map(rejected.map((r) => [r.index, r.errors]));
  batch.forEach((r, i) => {
    const e = errors.get(i);
    if (e)
      result.rejected.push({
        index: r.row,
        file: r.file,
        row: r.row,
        messageId: r.value.messageId as string,
        errors: e,
      });
    else result.accepted++;
    if (result.preview!.length < PREVIEW)
      result.preview!.push({ file: r.file, row: r.row, record: r.value, errors: e ?? [] });
  });
}

/** The counts an import's history row keeps, as they stand. */
const counts = (r: ImportResult) =>
  sql`rows = ${r.rows}, accepted = ${r.accepted}, updated = ${r.updated}, unchanged = ${r.unchanged},
    rejected = ${r.rejected.length}`;

async function progress(db: Db, id: number, r: ImportResult) {
  await db.execute(sql`update import_runs set ${counts(r)} where id = ${id}`);
}

async function finishRun(db: Db, id: number, r: ImportResult, started: number, error: unknown) {
  const message = error === null ? null : error instanceof AppError ? error.message : 'The server failed.';
  const files = JSON.stringify(r.files);
  await db.execute(sql`
    update import_runs set status = ${error === null ? 'succeeded' : 'failed'}, files = ${files}::jsonb,
      bytes = ${r.files.reduce((s, f) => s + f.size, 0)}, ${counts(r)},
      warnings = ${JSON.stringify(r.warnings)}::jsonb, warning_count = ${r.warningCount}, error = ${message},
      finished_at = now(), duration_ms = ${Date.now() - started}
    where id = ${id}`);
}
