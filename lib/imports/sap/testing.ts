/**
 * Running the sap-idoc-status format over files and collecting what it yields, without the ingest:
 * for its tests (the runner, lib/imports/run.ts, is what feeds the ingest).
 */
import type { Db } from '@/db';
import { collect, type Collected } from '../collect';
import { sapIdocStatus } from '../sap-idoc-status';
import type { ImportFile } from '../types';

export { memoryFile as fileOf } from '../collect';

/**
 * One import of `files` through the format (stored unless `dryRun`), what it yielded gathered. The
 * options are handed over unchecked, so that the format's own refusals are what a test sees.
 */
export function collectSap(
  db: Db,
  files: ImportFile[],
  o: { options?: Record<string, string>; dryRun?: boolean; importId: number },
): Promise<Collected> {
  const all = o.options ?? {};
  const options = { timezone: all.timezone ?? 'UTC', facility: all.facility ?? null, all };
  return collect(sapIdocStatus, db, options, files, { importId: o.importId, dryRun: o.dryRun ?? false });
}
