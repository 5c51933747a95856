/**
 * Duplicate flags (SPEC 4, `duplicateRate`) kept true as a batch changes delivered messages: the
 * flags of each touched document recomputed, and each flip added to the rollup deltas.
 */
import { sql, type SQL } from 'drizzle-orm';
import { rows, textArray, type Tx } from '@/db';
import { REPEATS_WITHIN_24H } from '@/lib/detect/duplicates';
import { HOUR_US, microsToIso } from '@/lib/time';
import type { RollupDelta } from './rollup-deltas';

/**
 * The flags that flip when the delivered messages of `docs` created at `changedUs` changed. A
 * message's flag depends on the delivered messages of the 24 h before it, so a change created at t
 * flips at most messages created from t to t + 24 h, and those are decided by the messages from
 * t − 24 h on. The log is read over that window only (its months alone, by partition pruning), with
 * an hour to spare each side; flags are written only where the window sees all a message's
 * predecessors. (Exported for the plan test.)
 */
export function duplicateFlips(docs: string[], changedUs: number[]): SQL {
  const lo = Math.min(...changedUs);
  const hi = Math.max(...changedUs);
  const readFrom = microsToIso(lo - 25 * HOUR_US);
  const readTo = microsToIso(hi + 25 * HOUR_US);
  const flipFrom = microsToIso(lo);
  return sql`with g as (
          select m.message_id, m.is_duplicate, m.created_at, m.facility, m.tx_type, m.direction,
            coalesce(m.status = 'delivered'
              and ${REPEATS_WITHIN_24H}, false) as dup
          from unnest(${textArray(docs)}::text[]) as d(doc) cross join lateral (
            -- offset 0 keeps this a lookup per document in its index: flattened into a join, stale
            -- statistics during a heavy load can turn it into a scan of the whole log
            select x.message_id, x.is_duplicate, x.status, x.created_at, x.correlation_key, x.tx_type, x.direction,
              x.facility, x.line_key,
              x.sku, x.lot, x.location, x.uom, x.quantity
            from integration_messages x where x.correlation_key = d.doc
              and x.created_at >= ${readFrom}::timestamptz and x.created_at <= ${readTo}::timestamptz offset 0
          ) m
        )
        select message_id, (extract(epoch from created_at) * 1000000)::bigint::text as created_us, facility, tx_type,
          direction, dup
        from g where is_duplicate <> dup and created_at >= ${flipFrom}::timestamptz`;
}

/**
 * Recomputes `is_duplicate` for the messages of every document whose delivered messages the batch
 * changed (its delivered records, and the delivered versions it replaced; a message that is not
 * delivered changes no flag): a delivered message repeats content when the delivered one of the
 * same content just before it (by createdAt, then messageId) was created at most 24 h earlier.
 * Content is SPEC 4's tuple; numerically equal quantities ("24", "24.000") fall in one partition,
 * as do nulls. Each document is read on its own from the document index; only flips are written,
 * and added to the rollup deltas.
 */
export async function refreshDuplicates(
  tx: Tx,
  docs: string[],
  changedUs: number[],
  hourly: RollupDelta,
  daily: RollupDelta,
) {
  if (!docs.length) return;
  const flips = await rows<{
    message_id: string;
    created_us: string;
    facility: string;
    tx_type: string;
    direction: string;
    dup: boolean;
  }>(tx, duplicateFlips(docs, changedUs));
  if (!flips.length) return;
  // The flips are few: written by key (created_at included, so each is looked up in its month
  // only), never as a join the planner could misjudge.
  await tx.execute(
    sql`update integration_messages set is_duplicate = not is_duplicate where message_id =
      any(${textArray(flips.map((f) => f.message_id))}::text[])
      and created_at = any(${`{${flips.map((f) => microsToIso(Number(f.created_us))).join(',')}}`}::timestamptz[])`,
  );
  for (const f of flips) {
    const v = { createdUs: Number(f.created_us), facility: f.facility, txType: f.tx_type, direction: f.direction };
    hourly.duplicateFlip(v, f.dup ? 1 : -1);
    daily.duplicateFlip(v, f.dup ? 1 : -1);
  }
}
