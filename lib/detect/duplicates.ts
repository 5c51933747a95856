/**
 * The duplicate rule of SPEC 4 as SQL, shared by the ingest (which keeps the flags by batch) and
 * the rollup rebuild (which recomputes them for the whole log).
 */
import { sql } from 'drizzle-orm';

/**
 * SPEC 4 for a row `m` of the log read with the rows before it: the delivered message of the same
 * content just before it (by createdAt, then messageId; numerically equal quantities and nulls fall
 * together) was created at most 24 h earlier. Null for the first of its content.
 */
export const REPEATS_WITHIN_24H = sql.raw(`lag(m.created_at) over (
    partition by m.correlation_key, m.tx_type, m.direction, m.facility, m.line_key, m.sku, m.lot, m.location, m.uom,
      m.quantity,
      m.status = 'delivered'
    order by m.created_at, m.message_id collate "C"
  ) >= m.created_at - interval '24 hours'`);
