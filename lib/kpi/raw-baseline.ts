/**
 * The message and exception KPIs computed by plain SQL over the raw tables, as a hand-built Grafana
 * panel would: the benchmark's baseline, and a cross-check of the rollups in tests. Never used by
 * the app.
 */
import { sql } from 'drizzle-orm';
import { rows, type Executor } from '@/db';
import type { KpiScope } from '@/lib/kpi/kpis';

export async function computeKpisFromRaw(db: Executor, scope: KpiScope) {
  const f = scope.facility ? sql`and m.facility = ${scope.facility}` : sql``;
  const t = scope.txType ? sql`and m.tx_type = ${scope.txType}` : sql``;
  const [r] = await rows<{
    messages: number;
    failed: number;
    fpf: number;
    avg: number | null;
    p95: number | null;
    dups: number;
  }>(
    db,
    sql`select count(*)::float8 as messages,
          count(*) filter (where status in ('failed','dead_letter'))::float8 as failed,
          count(*) filter (where status in ('failed','dead_letter') or attempts > 1)::float8 as fpf,
          (avg(extract(epoch from processed_at - created_at) * 1000) filter (where status = 'delivered'))::float8 as
            avg,
          (percentile_cont(0.95) within group (order by extract(epoch from processed_at - created_at)::float8 * 1000)
            filter (where status = 'delivered'))::float8 as p95,
          count(*) filter (where status = 'delivered' and correlation_key is not null and exists (
            select 1 from integration_messages p
            where p.status = 'delivered' and p.tx_type = m.tx_type and p.direction = m.direction and p.facility =
              m.facility
              and p.correlation_key = m.correlation_key and p.line_key is not distinct from m.line_key and p.sku is not
                distinct from m.sku
              and p.lot is not distinct from m.lot and p.location is not distinct from m.location and p.uom is not
                distinct from m.uom
              and p.quantity is not distinct from m.quantity
              and p.created_at >= m.created_at - interval '24 hours'
              and (p.created_at < m.created_at or (p.created_at = m.created_at and p.message_id collate "C" <
                m.message_id collate "C"))))::float8 as dups
        from integration_messages m
        where m.created_at >= ${scope.from.toISOString()}::timestamptz and m.created_at <
          ${scope.to.toISOString()}::timestamptz ${f} ${t}`,
  );
  const [e] = await rows<{ open: number; causes: Record<string, number> | null }>(
    db,
    sql`select (select count(*) from exceptions m where state in ('open','acknowledged') ${f} ${t})::float8 as open,
          (select jsonb_object_agg(root_cause, n) from (
            select root_cause, count(*)::float8 as n from exceptions m
            where m.opened_at >= ${scope.from.toISOString()}::timestamptz and m.opened_at <
              ${scope.to.toISOString()}::timestamptz ${f} ${t}
            group by root_cause) c) as causes`,
  );
  const messages = Number(r.messages);
  return {
    openExceptions: Number(e.open),
    exceptionsByRootCause: e.causes ?? {},
    messages,
    failedMessageRate: messages ? Number(r.failed) / messages : 0,
    firstPassFailureRate: messages ? Number(r.fpf) / messages : 0,
    avgProcessingDelayMs: r.avg === null ? null : Number(r.avg),
    p95ProcessingDelayMs: r.p95 === null ? null : Number(r.p95),
    duplicateCount: Number(r.dups),
  };
}
