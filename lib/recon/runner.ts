/**
 * Runs reconciliations inside the server process: a request queues a run and kicks it; a sweep at
 * start and every 30 s picks up runs left queued or whose worker died (stale heartbeat).
 */
import type { Db } from '@/db';
import { executeRun, findRecoverable } from '@/lib/recon/reconcile';

const g = globalThis as unknown as { __reconRunning?: Map<number, Promise<boolean>>; __reconTimer?: NodeJS.Timeout };
const running = (g.__reconRunning ??= new Map());

/** Starts the run in the background unless this process already works on it. */
export function kick(db: Db, id: number): Promise<boolean> {
  const existing = running.get(id);
  if (existing) return existing;
  const p = executeRun(db, id)
    .catch((e) => {
      console.error('[reconciliation] run', id, e);
      return false;
    })
    .finally(() => running.delete(id));
  running.set(id, p);
  return p;
}

export async function sweep(db: Db) {
  for (const id of await findRecoverable(db)) void kick(db, id);
}

export function startSweeper(db: Db) {
  if (g.__reconTimer) return;
  g.__reconTimer = setInterval(() => void sweep(db).catch((e) => console.error('[reconciliation] sweep', e)), 30_000);
  g.__reconTimer.unref?.();
}
