/** The imports' history (SPEC 10): who or which key, format, options, files, what each did, how long it took. */
import { sql } from 'drizzle-orm';
import { isoText, rows, type Executor } from '@/db';
import { keyset, paged, type Page } from '@/db/paging';

export interface ImportRun {
  id: number;
  format: string;
  via: string;
  source: string | null;
  options: Record<string, string>;
  files: { name: string; size: number }[];
  fileNames: string;
  bytes: number;
  status: 'running' | 'succeeded' | 'failed';
  rows: number;
  accepted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  warningCount: number;
  warnings: { file?: string; row: number; message: string }[];
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
}

const columns = sql`id::float8 as id, format, via, source, options, files,
  coalesce((select string_agg(f->>'name', ', ') from jsonb_array_elements(files) f), '') as "fileNames",
  bytes::float8 as bytes, status, rows, accepted, updated, unchanged, rejected, warning_count as "warningCount",
  warnings, error, ${isoText('started_at')} as "startedAt", ${isoText('finished_at')} as "finishedAt",
  duration_ms as "durationMs"`;

/** A page of imports, newest first. */
export function listImports(db: Executor, page: number): Promise<Page<ImportRun>> {
  return paged<ImportRun>(db, sql`from import_runs`, columns, sql`started_at desc, id desc`, page);
}

export async function getImport(db: Executor, id: number): Promise<ImportRun | null> {
  const [run] = await rows<ImportRun>(db, sql`select ${columns} from import_runs where id = ${id}`);
  return run ?? null;
}

/** Every import, newest first, a batch at a time (the history's CSV). */
export function iterateImports(db: Executor): AsyncGenerator<ImportRun[]> {
  return keyset<ImportRun, number>(
    db,
    (after) => sql`select ${columns} from import_runs ${after === null ? sql`` : sql`where id < ${after}`}
      order by id desc`,
    (last) => Number(last.id),
  );
}

/** The history's CSV columns: what the table shows, the options as `name=value` pairs. */
export const IMPORT_CSV_COLUMNS = [
  { key: 'id', header: 'id' },
  { key: 'startedAt', header: 'startedAt' },
  { key: 'finishedAt', header: 'finishedAt' },
  { key: 'durationMs', header: 'durationMs' },
  { key: 'status', header: 'status' },
  { key: 'format', header: 'format' },
  { key: 'via', header: 'via' },
  { key: 'source', header: 'source' },
  { key: 'fileNames', header: 'files' },
  { key: 'bytes', header: 'bytes' },
  { key: 'rows', header: 'rows' },
  { key: 'accepted', header: 'accepted' },
  { key: 'updated', header: 'updated' },
  { key: 'unchanged', header: 'unchanged' },
  { key: 'rejected', header: 'rejected' },
  { key: 'warningCount', header: 'warnings' },
  { key: 'options', header: 'options' },
  { key: 'error', header: 'error' },
] as const satisfies readonly { key: keyof ImportRun; header: string }[];
