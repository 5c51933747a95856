/**
 * The lifecycle checks (lib/detect/lifecycle.ts) over the log: every flow step created in a window,
 * with the first creation and the first delivery of its prerequisite in the same document (and for a
 * receipt, its order line's quantities), read through the document index one document at a time.
 */
import 'server-only';
import { sql } from 'drizzle-orm';
import { andFacility, inWindow, isoText, rows, type Executor } from '@/db';
import { stepSlas as stepSlasTable } from '@/db/schema';
import { FLOW_STEPS, PREREQUISITE, lifecycleFindings, type LifecycleKind } from '@/lib/detect/lifecycle';

export interface LifecycleFinding {
  messageId: string;
  correlationKey: string;
  facility: string;
  txType: string;
  status: string;
  createdAt: string;
  kinds: LifecycleKind[];
}

const PREREQUISITE_OF = sql.raw(
  `case m.tx_type ${Object.entries(PREREQUISITE)
    .map(([s, p]) => `when '${s}' then '${p}'`)
    .join(' ')} end`,
);
const STEPS = sql.raw(FLOW_STEPS.map((s) => `'${s}'`).join(', '));

/** The SLA of each step the admin set one for (Admin → Step SLAs); the others have STEP_SLA_MS. */
export async function stepSlas(db: Executor): Promise<Record<string, number>> {
  const list = await db.select().from(stepSlasTable);
  return Object.fromEntries(list.map((r) => [r.txType, r.slaMs]));
}

/** The flow steps created in [from, to) that break their document's lifecycle, oldest first. */
export async function lifecycleFindingsIn(
  db: Executor,
  w: { from: Date; to: Date; facility: string | null },
  now = new Date(),
): Promise<LifecycleFinding[]> {
  const fac = andFacility('m.facility', w.facility);
  const slas = await stepSlas(db);
  const steps = await rows<
    Omit<LifecycleFinding, 'kinds'> & {
      createdMs: number;
      processedMs: number | null;
      firstCreatedMs: number | null;
      firstDeliveredMs: number | null;
      orders: number;
      ordered: string | null;
      units: number;
      received: string | null;
      laterReceipts: number;
    }
  >(
    db,
    sql`select m.message_id as "messageId", m.correlation_key as "correlationKey", m.facility, m.tx_type as "txType",
      m.status,
          ${isoText('m.created_at')} as "createdAt",
          (extract(epoch from m.created_at) * 1000)::float8 as "createdMs", (extract(epoch from m.processed_at) *
            1000)::float8 as "processedMs",
          p.first_created_ms as "firstCreatedMs", p.first_delivered_ms as "firstDeliveredMs",
          p.orders, p.ordered::text as ordered, p.units, p.received::text as received, p.later_receipts as
            "laterReceipts"
        from integration_messages m
          cross join lateral (
            select (extract(epoch from min(x.created_at) filter (where x.tx_type = ${PREREQUISITE_OF})) * 1000)::float8
              as first_created_ms,
              (extract(epoch from min(x.processed_at) filter (where x.tx_type = ${PREREQUISITE_OF} and x.status =
                'delivered')) * 1000)::float8 as first_delivered_ms,
              -- a receipt's order line: what was ordered, in how many units, what was received, and later receipts of the line
              count(*) filter (where x.tx_type = 'purchase_order' and x.line)::int as orders,
              sum(x.quantity) filter (where x.tx_type = 'purchase_order' and x.line) as ordered,
              (count(distinct x.uom) filter (where x.line) + coalesce(bool_or(x.uom is null) filter (where x.line), false)::int)::int as units,
              coalesce(sum(x.quantity) filter (where x.tx_type = 'receipt' and x.status = 'delivered' and x.line), 0) as received,
              count(*) filter (where x.tx_type = 'receipt' and x.line and (x.created_at > m.created_at
                or (x.created_at = m.created_at and x.message_id collate "C" > m.message_id collate "C")))::int as later_receipts
            -- offset 0: one lookup per document in its index, never a join the planner could turn into a scan
            from (select x.created_at, x.processed_at, x.status, x.tx_type, x.quantity, x.uom, x.message_id,
                    m.tx_type = 'receipt' and x.tx_type in ('purchase_order', 'receipt') and x.line_key is not distinct from m.line_key as line
                  from integration_messages x
                  where ${PREREQUISITE_OF} is not null and x.correlation_key = m.correlation_key
                    and x.tx_type in (${PREREQUISITE_OF}, case when m.tx_type = 'receipt' then 'receipt' end) offset 0) x
          ) p
        where ${inWindow('m.created_at', w)}
          and m.correlation_key is not null and m.tx_type in (${STEPS}) ${fac}
        order by m.created_at, m.message_id`,
  );
  const nowMs = now.getTime();
  const num = (v: number | string | null) => (v === null ? null : Number(v));
  const out: LifecycleFinding[] = [];
  for (const s of steps) {
    const prerequisite =
      s.txType in PREREQUISITE
        ? { firstCreatedMs: num(s.firstCreatedMs), firstDeliveredMs: num(s.firstDeliveredMs) }
        : null;
    const quantity =
      s.txType === 'receipt'
        ? {
            ordered: Number(s.orders) > 0 && Number(s.units) === 1 ? Number(s.ordered) : null,
            received: Number(s.received),
            latest: Number(s.laterReceipts) === 0,
          }
        : null;
    const kinds = lifecycleFindings(
      { txType: s.txType, createdMs: Number(s.createdMs), status: s.status, processedMs: num(s.processedMs) },
      prerequisite,
      nowMs,
      slas,
      quantity,
    );
    if (kinds.length)
      out.push({
        messageId: s.messageId,
        correlationKey: s.correlationKey,
        facility: s.facility,
        txType: s.txType,
        status: s.status,
        createdAt: s.createdAt,
        kinds,
      });
  }
  return out;
}
