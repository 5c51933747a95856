/**
 * Running the sap-idoc-status format over files and collecting what it yields, without the ingest:
 * for its tests (the runner, lib/imports/run.ts, is what feeds the ingest).
 */
import type { Db } from '@/db';
import { sapIdocStatus } from '../sap-idoc-status';
import type { ImportFile, Mapped } from '../types';

/** A file whose bytes arrive in chunks of `chunk` bytes (a small chunk cuts rows and characters). */
export function fileOf(name: string, text: string, chunk = 64 * 1024): ImportFile {
  const bytes = Buffer.from(text);
  return {
    name,
    bytes: (async function* () {
      for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
    })(),
  };
}

export interface Collected extends Mapped {
  /** How many pieces the format yielded. */
  pieces: number;
}

/** One import of `files` through the format, what it yielded gathered. */
export async function collectSap(
  db: Db,
  files: ImportFile[],
  o: { options?: Record<string, string>; dryRun?: boolean; importId: number },
): Promise<Collected> {
  const all = o.options ?? {};
  const run = await sapIdocStatus.start({
    db,
    importId: o.importId,
    dryRun: o.dryRun ?? false,
    options: { timezone: all.timezone ?? 'UTC', facility: all.facility ?? null, all },
  });
  const out: Collected = { records: [], rejected: [], warnings: [], rows: 0, pieces: 0 };
  const add = (m: Mapped) => {
    out.records.push(...m.records);
    out.rejected.push(...m.rejected);
    out.warnings.push(...m.warnings);
    out.rows += m.rows;
    out.pieces++;
  };
  for (const f of files) for await (const m of run.file(f)) add(m);
  if (run.finish) for await (const m of run.finish()) add(m);
  return out;
}
