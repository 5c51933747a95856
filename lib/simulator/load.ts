/**
 * Writes a simulation into the database through the same ingest code the API uses (batches of
 * `batchSize`), snapshots included. Loading the same simulation again changes nothing: every
 * feed is idempotent and a snapshot already stored with the same rows is left as it is.
 */
import type { Db } from '@/db';
import { ingestMessages } from '@/lib/ingest/messages';
import { ingestChanges, ingestCorrections, ingestItems } from '@/lib/ingest/feeds';
import type { SimResult } from '@/lib/simulator/simulate';
import { importSnapshot, type SnapshotEvent } from '@/lib/recon/snapshots';

const toRaw = (xs: unknown[]) => xs.map((value) => ({ value, raw: JSON.stringify(value) }));

/** Per feed: records new, updated and unchanged (snapshots: stored and unchanged). */
export interface LoadSummary {
  [feed: string]: { accepted: number; updated: number; unchanged: number };
}

export async function loadSimulation(
  db: Db,
  sim: SimResult,
  opts: { batchSize?: number; onProgress?: (done: number, total: number) => void; source?: string } = {},
): Promise<LoadSummary> {
  const size = opts.batchSize ?? 5000;
  const source = opts.source ?? 'simulator';
  const summary: LoadSummary = {};
  const tally = (feed: string, r: { accepted: number; updated: number; unchanged: number; rejected: unknown[] }) => {
    if (r.rejected.length) {
      throw new Error(`simulator produced invalid ${feed}: ${JSON.stringify(r.rejected.slice(0, 3))}`);
    }
    const t = (summary[feed] ??= { accepted: 0, updated: 0, unchanged: 0 });
    t.accepted += r.accepted;
    t.updated += r.updated;
    t.unchanged += r.unchanged;
  };
  tally('items', await ingestItems(db, toRaw(sim.items), source));
  tally('changes', await ingestChanges(db, toRaw(sim.changes), source));
  for (let i = 0; i < sim.corrections.length; i += size) {
    tally('corrections', await ingestCorrections(db, toRaw(sim.corrections.slice(i, i + size)), source));
  }
  const total = sim.messages.length;
  for (let i = 0; i < total; i += size) {
    tally('messages', await ingestMessages(db, toRaw(sim.messages.slice(i, i + size)), source));
    opts.onProgress?.(Math.min(total, i + size), total);
  }
  for (const snap of sim.snapshots) {
    const events = (async function* (): AsyncGenerator<SnapshotEvent> {
      yield { kind: 'header', value: { system: snap.system, facility: snap.facility, takenAt: snap.takenAt } };
      yield { kind: 'rows', values: snap.rows };
    })();
    const r = await importSnapshot({ db }, events, source);
    tally('snapshots', { accepted: r.unchanged ? 0 : 1, updated: 0, unchanged: r.unchanged ? 1 : 0, rejected: [] });
  }
  return summary;
}
