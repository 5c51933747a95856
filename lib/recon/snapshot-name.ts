/**
 * A snapshot's name (system, facility, takenAt) and content: the hash of its rows, and whether a
 * snapshot stored under the name is the same one sent again (Unchanged) or another (a conflict).
 */
import { createHash } from 'node:crypto';
import { pgErrorCode } from '@/db';
import type { SnapshotRow } from '@/lib/api/schemas';
import { AppError } from '@/lib/errors';

export interface Header {
  system: string;
  facility: string;
  takenAt: string;
  uniquePositions: boolean;
  uniqueSkuKeys: boolean;
}

/** sha256 of the rows in the order sent, each field NUL-terminated (no stored text holds one). ~0.15 s per 1M rows. */
export class ContentHash {
  private hash = createHash('sha256');
  add(rows: SnapshotRow[]) {
    let s = '';
    for (const r of rows) s += `${r.sku}\0${r.location}\0${r.lot}\0${r.uom}\0${r.quantity}\0`;
    this.hash.update(s);
  }
  digest() {
    return this.hash.digest('hex');
  }
}

/** Thrown inside the transaction (rolling it back) when the snapshot sent is the one stored as `id`. */
export class Unchanged extends Error {
  constructor(readonly id: number) {
    super('unchanged');
  }
}

/** The snapshot's name was taken by another transaction between our check and our rename. */
export class Taken extends Error {}

export const conflict = (h: Pick<Header, 'system' | 'facility' | 'takenAt'>, id?: number) =>
  new AppError(
    'conflict',
    `${h.system === 'erp' ? 'An ERP' : 'A WMS'} snapshot of ${h.facility} taken at ${h.takenAt} is already stored` +
      `${id ? ` (snapshot ${id})` : ''} with other rows; nothing was changed. One system, facility and takenAt ` +
      'name one snapshot: send a new takenAt for a new snapshot.',
  );

/** A tagged template that runs a query in the snapshot's transaction, on either client. */
export type Ask = <T>(strings: TemplateStringsArray, ...values: unknown[]) => Promise<T[]>;

/**
 * Before the snapshot `id` takes its name: is the name taken, and by these same rows? The same
 * rows answer Unchanged, other rows a conflict. The hashes decide the usual case; where they
 * differ or one is missing (stored before hashes), the rows are compared as a multiset, so a
 * resend in another order or with `5.0` for `5` is still the same snapshot.
 */
export async function checkName(ask: Ask, h: Header, id: number, count: number, contentHash: string) {
  const [taken] = await ask<{ id: number; hash: string | null; rows: number }>`
    select id::int as id, content_hash as hash, row_count as rows from snapshots
    where system = ${h.system} and facility = ${h.facility} and taken_at = ${h.takenAt}::timestamptz`;
  if (!taken) return;
  if (taken.hash === contentHash) throw new Unchanged(taken.id);
  if (taken.rows === count) {
    // Equal counts: nothing of the stored rows missing from the new ones means the same multiset.
    const [{ same }] = await ask<{ same: boolean }>`
      select not exists (
        select sku, location, lot, uom, quantity from snapshot_rows where snapshot_id = ${taken.id}
        except all
        select sku, location, lot, uom, quantity from snapshot_rows where snapshot_id = ${id}
      ) as same`;
    if (same) throw new Unchanged(taken.id);
  }
  throw conflict(h, taken.id);
}

/** Runs the statement that gives the snapshot its real name; a name taken meanwhile is Taken. */
export async function rename(update: () => Promise<unknown>) {
  try {
    await update();
  } catch (e) {
    if (pgErrorCode(e) !== '23505') throw e;
    throw new Taken();
  }
}
