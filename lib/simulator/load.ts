/**
 * Writes a simulation into the database through the same ingest code the API uses (batches of
 * `batchSize`), snapshots included.
 */
import type { Db } from '@/db';
import { ingestMessages } from '@/lib/ingest/messages';
import { ingestChanges, ingestCorrections, ingestItems } from '@/lib/ingest/feeds';
import type { SimResult } from '@/lib/simulator/simulate';
import { importSnapshot, type SnapshotEvent } from '@/lib/recon/snapshots';

const toRaw = (xs: unknown[]) => xs.map((value) => ({ value, raw: JSON.stringify(value) }));

export async function loadSimulation(db: Db, sim: SimResult, opts: { batchSize?: number; onProgress?: (done: number, total: number) => void; source?: string } = {}) {
  const size = opts.batchSize ?? 5000;
  const source = opts.source ?? 'simulator';
  await ingestItems(db, toRaw(sim.items), source);
  await ingestChanges(db, toRaw(sim.changes), source);
  for (let i = 0; i < sim.corrections.length; i += size) await ingestCorrections(db, toRaw(sim.corrections.slice(i, i + size)), source);
  const total = sim.messages.length;
  for (let i = 0; i < total; i += size) {
    const res = await ingestMessages(db, toRaw(sim.messages.slice(i, i + size)), source);
    if (res.rejected.length) throw new Error(`simulator produced invalid messages: ${JSON.stringify(res.rejected.slice(0, 3))}`);
    opts.onProgress?.(Math.min(total, i + size), total);
  }
  for (const snap of sim.snapshots) {
    const events = (async function* (): AsyncGenerator<SnapshotEvent> {
      yield { kind: 'header', value: { system: snap.system, facility: snap.facility, takenAt: snap.takenAt } };
      yield { kind: 'rows', values: snap.rows };
    })();
    await importSnapshot({ db }, events, source);
  }
}
