import 'server-only';
import { sql } from 'drizzle-orm';
import { inWindow, rows, type Executor } from '@/db';
import { percentileFromSketch } from '@/lib/kpi/delay-sketch';
import { duplicateCorrectionPairs } from '@/lib/corrections/queries';
import { bucketStarts, grainMs, seriesGrain, type SeriesGrain } from '@/lib/time';

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
type Scope = { from: Date; to: Date; facility?: string | null; txType?: string | null };

export async function kpiSeries(
  db: Executor,
  scope: Scope,
  by: 'total' | 'txType' = 'total',
): Promise<{ grain: SeriesGrain; points: (SeriesPoint & { txType: string })[] }> {
  const grain = seriesGrain(scope);
  const table = sql.raw(grain === 'day' ? 'message_rollup_daily' : 'message_rollup_hourly');
  const f = scope.facility ? sql`and facility = ${scope.facility}` : sql``;
  const t = scope.txType ? sql`and tx_type = ${scope.txType}` : sql``;
  const group = by === 'txType' ? sql`tx_type` : sql`'all'`;
  const points = await rows<{
    t: string;
    tx: string;
    messages: number;
    failed: number;
    fpf: number;
    delivered: number;
    delay: number;
    dups: number;
  }>(
    db,
    sql`select to_char(bucket at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as t, ${group} as tx,
          sum(messages)::float8 as messages, sum(failed)::float8 as failed, sum(first_pass_failed)::float8 as fpf,
          sum(delivered)::float8 as delivered, (sum(delay_sum_us) / 1000)::float8 as delay, sum(duplicates)::float8 as
            dups
        from ${table}
        where bucket >= date_trunc(${grain}, ${scope.from.toISOString()}::timestamptz at time zone 'UTC') at time zone
          'UTC'
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

/** A series' bucket start as kpiSeries writes it ("…T10:00:00Z"). */
const bucketText = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** Every bucket of the window, as kpiSeries writes them. */
export function windowBuckets(scope: { from: Date; to: Date }, grain: SeriesGrain): string[] {
  return bucketStarts(scope, grain).map(bucketText);
}

/**
 * p95 processing delay per bucket (the same buckets as kpiSeries), from the hour and day delay
 * sketches: null where nothing was delivered.
 */
export async function p95Series(db: Executor, scope: Scope): Promise<Map<string, number | null>> {
  const grain = seriesGrain(scope);
  const f = scope.facility ? sql`and facility = ${scope.facility}` : sql``;
  // The stored sketches whole (270 rows over 90 days at ten million messages), merged here: ~32 ms
  // for that window, where unnesting and grouping their ~68k buckets in SQL and reading the ~23k
  // grouped rows took ~85 ms (~120 ms with the bucket formatted per unnested row).
  const found = await rows<{ t: string; idx: string; n: string }>(
    db,
    sql`select to_char(bucket at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as t, array_to_string(delay_idx, ',') as
      idx, array_to_string(delay_n, ',') as n
        from delay_sketches
        where grain = ${grain} and tx_type = ${scope.txType ?? '*'} ${f}
          and bucket >= date_trunc(${grain}, ${scope.from.toISOString()}::timestamptz at time zone 'UTC') at time zone
            'UTC'
          and bucket < ${scope.to.toISOString()}::timestamptz`,
  );
  const byT = new Map<string, Map<number, number>>();
  for (const r of found) {
    const merged = byT.get(r.t) ?? new Map<number, number>();
    byT.set(r.t, merged);
    if (!r.idx) continue;
    const idx = r.idx.split(',');
    const n = r.n.split(',');
    for (let i = 0; i < idx.length; i++) merged.set(Number(idx[i]), (merged.get(Number(idx[i])) ?? 0) + Number(n[i]));
  }
  return new Map([...byT].map(([t, merged]) => [t, percentileFromSketch(merged, 0.95)]));
}

/**
 * Manual corrections per bucket of the window (every bucket, zero when empty), the pairs keyed in
 * both systems counted in the bucket of the later of the two, and the effort minutes of corrections
 * and of exceptions resolved in the bucket: each sums to its KPI over the window.
 */
export async function correctionSeries(
  db: Executor,
  scope: Scope,
): Promise<{ t: string; corrections: number; pairs: number; effortMinutes: number }[]> {
  const grain = seriesGrain(scope);
  const f = scope.facility ? sql`and facility = ${scope.facility}` : sql``;
  const ex = sql.join([f, scope.txType ? sql`and tx_type = ${scope.txType}` : sql``], sql` `);
  const bucketOf = (column: string) =>
    sql`to_char(date_trunc(${grain}, ${sql.raw(column)} at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
  const [counted, pairs] = await Promise.all([
    rows<{ t: string; n: number; minutes: number }>(
      db,
      sql`select t, sum(n)::int as n, sum(minutes)::float8 as minutes from (
            select ${bucketOf('at')} as t, 1 as n, coalesce(effort_minutes, 0) as minutes
            from manual_corrections where ${inWindow('at', scope)} ${f}
            union all
            select ${bucketOf('resolved_at')}, 0, effort_minutes from exceptions
            where state = 'resolved' and effort_minutes is not null
              and ${inWindow('resolved_at', scope)} ${ex}
          ) s group by t`,
    ),
    duplicateCorrectionPairs(db, { from: scope.from, to: scope.to, facility: scope.facility ?? null }),
  ]);
  const unit = grainMs(grain);
  const pairsAt = new Map<string, number>();
  for (const p of pairs) {
    const later = Math.max(Date.parse(p.erp.at), Date.parse(p.wms.at));
    const t = bucketText(Math.floor(later / unit) * unit);
    pairsAt.set(t, (pairsAt.get(t) ?? 0) + 1);
  }
  const byT = new Map(counted.map((c) => [c.t, c]));
  return windowBuckets(scope, grain).map((t) => ({
    t,
    corrections: Number(byT.get(t)?.n ?? 0),
    pairs: pairsAt.get(t) ?? 0,
    effortMinutes: Number(byT.get(t)?.minutes ?? 0),
  }));
}

export async function changeAnnotations(db: Executor, scope: { from: Date; to: Date }) {
  return rows<{ changeId: string; at: string; kind: string; summary: string; system: string; reviewed: boolean }>(
    db,
    sql`select change_id as "changeId", to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as at, kind,
      summary, system,
          integration_reviewed as reviewed
        from change_log where ${inWindow('at', scope)} order by at`,
  );
}

export async function facilities(db: Executor): Promise<string[]> {
  const r = await rows<{ facility: string }>(db, sql`select distinct facility from message_rollup_daily order by 1`);
  return r.map((x) => x.facility);
}
