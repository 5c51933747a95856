/**
 * The bench's deterministic traffic: the messages of each batch (scripts/bench-traffic.mjs, plain
 * JavaScript so a worker thread can load it without a TypeScript loader), and their request bodies
 * made ahead of the senders.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { batchOf as batchOfTraffic } from '../bench-traffic.mjs';
import type { BenchConfig } from './options';

const TRAFFIC = path.join(__dirname, '..', 'bench-traffic.mjs');

/** Batch b of the run's messages. */
export const batchOf = (cfg: BenchConfig, b: number) => batchOfTraffic(b, cfg.n, cfg.batch, cfg.now);

/**
 * The API senders' request bodies, made by a worker thread a few batches ahead, as a load
 * generator would have them ready: making them (~8 µs a message) is then off each sender's path
 * from one response to its next request. It still runs on this machine's cores, beside the server.
 */
export function bodiesAhead(cfg: BenchConfig, batches: number, ahead: number) {
  const traffic = { n: cfg.n, batch: cfg.batch, now: cfg.now };
  const worker = new Worker(TRAFFIC, { workerData: { traffic } });
  const ready = new Map<number, Uint8Array<ArrayBuffer>>();
  const waiting = new Map<number, { resolve: (body: Uint8Array<ArrayBuffer>) => void; reject: (e: Error) => void }>();
  let asked = 0;
  let failed: Error | null = null;
  worker.on('message', ({ b, body }: { b: number; body: Uint8Array<ArrayBuffer> }) => {
    const w = waiting.get(b);
    if (!w) ready.set(b, body);
    else {
      waiting.delete(b);
      w.resolve(body);
    }
  });
  worker.on('error', (e) => {
    failed = e;
    for (const w of waiting.values()) w.reject(e);
  });
  return {
    /** Batch b's body; asks for the batches after it, up to `ahead`. */
    take(b: number): Promise<Uint8Array<ArrayBuffer>> {
      while (asked < batches && asked <= b + ahead) worker.postMessage(asked++);
      if (failed) return Promise.reject(failed);
      const body = ready.get(b);
      if (body) {
        ready.delete(b);
        return Promise.resolve(body);
      }
      return new Promise((resolve, reject) => waiting.set(b, { resolve, reject }));
    },
    close: () => worker.terminate(),
  };
}
