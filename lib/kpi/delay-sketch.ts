import type { SketchGrain } from '@/db/schema';
import { DAY_US, HOUR_US, floorTo } from '@/lib/time';

/**
 * A log-bucket sketch of processing delays (as DDSketch does): bucket i holds values in
 * (γ^(i-1), γ^i] with γ = (1+α)/(1−α), and its representative value 2γ^i/(γ+1) is within α of
 * every value in it. Counts per bucket add across hours and days, so any window's percentile
 * comes from merged rollups. SPEC allows 1%; α = 0.95% leaves room for float rounding (migration
 * 0005 rebuilt the sketches when it was widened from 0.5%: half the buckets to write and to merge).
 */
export const SKETCH_ALPHA = 0.0095;
export const SKETCH_GAMMA = (1 + SKETCH_ALPHA) / (1 - SKETCH_ALPHA);
const LN_GAMMA = Math.log(SKETCH_GAMMA);
/** Offsets keep sub-millisecond delays (down to 1e-20 ms) on positive indexes. */
const OFFSET = 10_000;
export const ZERO_BUCKET = 0;

/** Bucket index of a delay in ms: 0 for zero, positive for positive delays, negative for negative ones. */
export function bucketOf(ms: number): number {
  if (ms === 0) return ZERO_BUCKET;
  const i = Math.ceil(Math.log(Math.abs(ms)) / LN_GAMMA) + OFFSET;
  return ms > 0 ? i : -i;
}

/** The SQL twin of bucketOf, for raw rows at window edges (`ms` is a double precision expression). */
export const BUCKET_SQL = (ms: string) =>
  `(case when ${ms} = 0 then 0 else sign(${ms})::int * (ceil(ln(abs(${ms})) / ${LN_GAMMA}) + ${OFFSET})::int end)`;

export function representative(bucket: number): number {
  if (bucket === ZERO_BUCKET) return 0;
  const i = Math.abs(bucket) - OFFSET;
  const v = (2 * Math.pow(SKETCH_GAMMA, i)) / (SKETCH_GAMMA + 1);
  return bucket > 0 ? v : -v;
}

/**
 * Continuous percentile (as percentile_cont) from bucket counts: the values at ranks
 * floor(p(n−1)) and ceil(p(n−1)) estimated by their buckets' representatives, then interpolated.
 */
export function percentileFromSketch(buckets: Iterable<[number, number]>, p: number): number | null {
  const sorted = [...buckets].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  const pos = p * (total - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const valueAt = (rank: number) => {
    let seen = 0;
    for (const [b, n] of sorted) {
      seen += n;
      if (rank < seen) return representative(b);
    }
    return representative(sorted[sorted.length - 1][0]);
  };
  const a = valueAt(lo);
  const b = hi === lo ? a : valueAt(hi);
  return a + (b - a) * (pos - lo);
}

/** Exact percentile_cont over plain values (tests and small windows). */
export function percentileCont(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const pos = p * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/**
 * A stored sketch (ascending bucket indexes and their counts, as a delay_sketches row keeps them) plus a
 * batch's changes per bucket; buckets whose count falls to zero are dropped.
 */
export function mergeSketch(
  stored: { idx: readonly number[]; n: readonly number[] },
  delta: ReadonlyMap<number, number>,
): { idx: number[]; n: number[] } {
  // Both sides walked in ascending bucket order: no map of the stored buckets (a week row holds
  // hundreds) is built for each row a batch touches.
  const changed = [...delta.keys()].sort((a, b) => a - b);
  const out = { idx: [] as number[], n: [] as number[] };
  const put = (b: number, v: number) => {
    if (v === 0) return;
    out.idx.push(b);
    out.n.push(v);
  };
  let i = 0;
  let j = 0;
  while (i < stored.idx.length || j < changed.length) {
    const s = i < stored.idx.length ? stored.idx[i] : Infinity;
    const c = j < changed.length ? changed[j] : Infinity;
    if (s < c) put(s, stored.n[i++]);
    else if (c < s) put(c, delta.get(changed[j++])!);
    else put(s, stored.n[i++] + delta.get(changed[j++])!);
  }
  return out;
}

export const WEEK_US = 7 * DAY_US;
/** 1970-01-05, the first Monday after the epoch: weeks start on Monday, UTC (Postgres's date_trunc('week')). */
export const MONDAY_US = 4 * DAY_US;

/** The start of the hour, day or week (Monday, UTC) holding `us` (µs since the epoch). */
export function sketchBucket(grain: SketchGrain, us: number): number {
  if (grain === 'hour') return floorTo(us, HOUR_US);
  if (grain === 'day') return floorTo(us, DAY_US);
  return floorTo(us - MONDAY_US, WEEK_US) + MONDAY_US;
}
