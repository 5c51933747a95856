/**
 * The alerts part of the bench: a hook, filled once alert evaluation (SPEC 9) is built. It should
 * time one evaluation of every rule over the loaded log (`evalS`).
 */
import type { BenchFigures } from './figures';
import type { BenchConfig } from './options';
import type { BenchRun } from './table';

export async function benchAlerts(_cfg: BenchConfig, _run: BenchRun): Promise<BenchFigures['alerts']> {
  return { evalS: null };
}
