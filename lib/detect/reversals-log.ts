/**
 * Reversed adjustments (lib/detect/reversals.ts) over the log: the documents with an adjusting message in a window,
 * read whole.
 */
import 'server-only';
import { sql } from 'drizzle-orm';
import { andFacility, inWindow, rows, type Executor } from '@/db';
import { ADJUSTING_TYPES, findReversals, type Adjusting, type Reversal } from '@/lib/detect/reversals';

const TYPES = sql.raw(ADJUSTING_TYPES.map((t) => `'${t}'`).join(', '));

/** The reversals whose reversing message was created in [from, to), oldest first. */
export async function reversalsIn(
  db: Executor,
  w: { from: Date; to: Date; facility: string | null },
): Promise<Reversal[]> {
  const fac = andFacility('m.facility', w.facility);
  const list = await rows<Adjusting>(
    db,
    sql`select x.message_id as "messageId", x.correlation_key as "correlationKey", x.facility, x.tx_type as "txType",
      x.sku, x.location, x.lot, x.uom,
          x.quantity::text as quantity, x.status, (extract(epoch from x.created_at) * 1000)::float8 as "createdMs"
        from (select distinct m.correlation_key from integration_messages m
              where ${inWindow('m.created_at', w)}
                and m.tx_type in (${TYPES}) and m.correlation_key is not null ${fac}) d
          cross join lateral (
            -- offset 0: one lookup per document in its index
            select * from integration_messages x where x.correlation_key = d.correlation_key and x.tx_type in (${TYPES})
              offset 0
          ) x`,
  );
  const from = w.from.getTime();
  const to = w.to.getTime();
  return findReversals(list.map((m) => ({ ...m, createdMs: Number(m.createdMs) })))
    .filter((r) => r.reversal.createdMs >= from && r.reversal.createdMs < to)
    .sort((a, b) => a.reversal.createdMs - b.reversal.createdMs);
}
