import 'server-only';
import { sql } from 'drizzle-orm';
import { rows, type Executor } from '@/db';

export interface SeriesPoint {
  t: string;
  messages: number;
  failed: number;
  firstPassFailed: number;
  delivered: number;
  delaySumMs: number;
  duplicates: number;
}

/** Buckets of a window from rollups: hours up to 3 days, days beyond (never the raw log). */
export async function kpiSeries(
  db: Executor,
  scope: { from: Date; to: Date; facility?: string | null; txType?: string | null },
  by: 'total' | 'txType' = 'total',
): Promise<{ grain: 'hour' | 'day'; points: (SeriesPoint & { txType: string })[] }> {
  const grain = scope.to.getTime() - scope.from.getTime() > 3 * 86_400_000 ? 'day' : 'hour';
  const table = sql.raw(grain === 'day' ? 'message_rollup_daily' : 'message_rollup_hourly');
  const f = scope.facility ? sql`and facility = ${scope.facility}` : sql``;
  const t = scope.txType ? sql`and tx_type = ${scope.txType}` : sql``;
  const group = by === 'txType' ? sql`tx_type` : sql`'all'`;
  const points = await rows<{ t: string; tx: string; messages: number; failed: number; fpf: number; delivered: number; delay: number; dups: number }>(
    db,
    sql`select to_char(bucket at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as t, ${group} as tx,
          sum(messages)::float8 as messages, sum(failed)::float8 as failed, sum(first_pass_failed)::float8 as fpf,
          sum(delivered)::float8 as delivered, (sum(delay_sum_us) / 1000)::float8 as delay, sum(duplicates)::float8 as dups
        from ${table}
        where bucket >= date_trunc(${grain}, ${scope.from.toISOString()}::timestamptz at time zone 'UTC') at time zone 'UTC'
          and bucket < ${scope.to.toISOString()}::timestamptz ${f} ${t}
        group by 1, 2 order by 1, 2`,
  );
  return {
    grain,
    points: points.map((p) => ({
      t: p.t,
      txType: p.tx,
      messages: Number(p.messages),
      failed: Number(p.failed),
      firstPassFailed: Number(p.fpf),
      delivered: Number(p.delivered),
      delaySumMs: Number(p.delay),
      duplicates: Number(p.dups),
    })),
  };
}

export async function changeAnnotations(db: Executor, scope: { from: Date; to: Date }) {
  return rows<{ changeId: string; at: string; kind: string; summary: string; system: string; reviewed: boolean }>(
    db,
    sql`select change_id as "changeId", to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as at, kind, summary, system,
          integration_reviewed as reviewed
        from change_log where at >= ${scope.from.toISOString()}::timestamptz and at < ${scope.to.toISOString()}::timestamptz order by at`,
  );
}

export async function facilities(db: Executor): Promise<string[]> {
  const r = await rows<{ facility: string }>(db, sql`select distinct facility from message_rollup_daily order by 1`);
  return r.map((x) => x.facility);
}
