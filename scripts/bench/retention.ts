/**
 * The retention part of the bench: a hook, filled once retention (SPEC 11) is built. It should drop a
 * month of the log as `retention run` does, time it (`dropS`), and count the DELETE statements the
 * run sent (`deleteStatements`, from pg_stat_statements or the statement log: the target is 0).
 */
import type { BenchFigures } from './figures';
import type { BenchConfig } from './options';
import type { BenchRun } from './table';

export async function benchRetention(_cfg: BenchConfig, _run: BenchRun): Promise<BenchFigures['retention']> {
  return { dropS: null, deleteStatements: null };
}
