/**
 * Runs the long jobs (reconciliations, rollup rebuilds) inside the server process: a request queues
 * a job and kicks it; a sweep at start and every 30 s picks up jobs left queued or whose worker died
 * (stale heartbeat), and creates the partitions of the months ahead when a month turns.
 */
import type { Db } from '@/db';
import { ensureAhead } from '@/db/partitions';
import { executeRebuild, findRecoverableRebuilds } from '@/lib/kpi/rebuild';
import { executeRun, findRecoverable } from '@/lib/recon/reconcile';
import { logError } from '@/lib/log';

const g = globalThis as unknown as { __jobsRunning?: Map<string, Promise<boolean>>; __jobsTimer?: NodeJS.Timeout };
const running = (g.__jobsRunning ??= new Map());

/** Starts the work in the background unless this process already works on it. */
function start(key: string, work: () => Promise<boolean>): Promise<boolean> {
  const existing = running.get(key);
  if (existing) return existing;
  const p = work()
    .catch((e) => {
      logError('jobs', { job: JSON.stringify(key) }, e);
      return false;
    })
    .finally(() => running.delete(key));
  running.set(key, p);
  return p;
}

/** Starts (or joins) reconciliation run `id`. */
export const kick = (db: Db, id: number) => start(`reconciliation ${id}`, () => executeRun(db, id));

/** Starts (or joins) rollup rebuild job `id`. */
export const kickRebuild = (db: Db, id: number) => start(`rollup rebuild ${id}`, () => executeRebuild(db, id));

export async function sweep(db: Db) {
  // The coming months' partitions (db/partitions.ts): a catalog look only when a month turns.
  await ensureAhead(db);
  for (const id of await findRecoverable(db)) void kick(db, id);
  for (const id of await findRecoverableRebuilds(db)) void kickRebuild(db, id);
}

export function startSweeper(db: Db) {
  if (g.__jobsTimer) return;
  g.__jobsTimer = setInterval(() => void sweep(db).catch((e) => logError('jobs', { job: 'sweep' }, e)), 30_000);
  g.__jobsTimer.unref?.();
}
