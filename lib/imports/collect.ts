/**
 * A format's whole output over some files, gathered in memory: for tests and small previews (the
 * runner streams pieces instead).
 */
import type { Db } from '@/db';
import { importOptions } from './run';
import { emptyMapped, type ImportFile, type ImportFormat, type Mapped } from './types';

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

export async function collect(
  format: ImportFormat,
  db: Db,
  options: Record<string, string>,
  files: ImportFile[],
): Promise<Mapped> {
  const run = await format.start({ db, options: importOptions(options), importId: 0, dryRun: true });
  const out = emptyMapped();
  const take = (m: Mapped) => {
    out.records.push(...m.records);
    out.rejected.push(...m.rejected);
    out.warnings.push(...m.warnings);
    out.rows += m.rows;
  };
  for (const f of files) for await (const m of run.file(f)) take(m);
  if (run.finish) for await (const m of run.finish()) take(m);
  return out;
}
