/**
 * A format's whole output over some files, gathered in memory: for tests and small previews (the
 * runner streams pieces instead).
 */
import type { Db } from '@/db';
import { importOptions } from './run';
import { emptyMapped, type ImportFile, type ImportFormat, type ImportOptions, type Mapped } from './types';

const isBuilt = (o: Record<string, string> | ImportOptions): o is ImportOptions => typeof o.all === 'object';

/** An in-memory file, in chunks of `chunk` bytes (small chunks test the readers' seams). */
export function memoryFile(name: string, content: string | Uint8Array, chunk = 64 * 1024): ImportFile {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return {
    name,
    bytes: (async function* () {
      for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
    })(),
  };
}

/** What a format yielded over some files, gathered, and how many pieces it came in. */
export interface Collected extends Mapped {
  pieces: number;
}

/**
 * One run of `format` over `files`, what it yields gathered (a dry run unless told otherwise).
 * `options` as given (checked as the runner checks them), or already built (not checked again).
 */
export async function collect(
  format: ImportFormat,
  db: Db,
  options: Record<string, string> | ImportOptions,
  files: ImportFile[],
  o: { importId?: number; dryRun?: boolean } = {},
): Promise<Collected> {
  const run = await format.start({
    db,
    options: isBuilt(options) ? options : importOptions(options),
    importId: o.importId ?? 0,
    dryRun: o.dryRun ?? true,
  });
  const out: Collected = { ...emptyMapped(), pieces: 0 };
  const take = (m: Mapped) => {
    out.records.push(...m.records);
    out.rejected.push(...m.rejected);
    out.warnings.push(...m.warnings);
    out.rows += m.rows;
    out.pieces++;
  };
  for (const f of files) for await (const m of run.file(f)) take(m);
  if (run.finish) for await (const m of run.finish()) take(m);
  return out;
}
