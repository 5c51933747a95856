/**
 * What a message batch changes in the rollups (SPEC 4 kept exact by deltas): the old version of
 * each message counted out, the new one in, per hour and per day, and the delay sketches likewise.
 */
import { sql } from 'drizzle-orm';
import { rows, textArray, type Tx } from '@/db';
import { SKETCH_GRAINS, type SketchGrain } from '@/db/schema';
import { bucketOf, mergeSketch, sketchBucket } from '@/lib/kpi/delay-sketch';
import { emptySums, type RollupSums } from '@/lib/kpi/kpis';
import { HOUR_US, floorTo, microsToIso } from '@/lib/time';
import { FAILING, type Version } from './validate';

/** Sums of one rollup cell; the same shape serves deltas. */
interface Cell extends RollupSums {
  bucket: number;
  facility: string;
  txType: string;
  direction: string;
}

/**
 * Cells by bucket, facility, transaction type and direction, found without building a key string
 * per message (those strings, and the number-to-text of each bucket, were a good part of the
 * ingest's garbage).
 */
class CellIndex<T> {
  readonly list: T[] = [];
  private readonly byBucket = new Map<number, Map<string, Map<string, Map<string, T>>>>();

  get(bucket: number, facility: string, txType: string, direction: string, create: () => T): T {
    let byFacility = this.byBucket.get(bucket);
    if (!byFacility) this.byBucket.set(bucket, (byFacility = new Map()));
    let byTx = byFacility.get(facility);
    if (!byTx) byFacility.set(facility, (byTx = new Map()));
    let byDirection = byTx.get(txType);
    if (!byDirection) byTx.set(txType, (byDirection = new Map()));
    let cell = byDirection.get(direction);
    if (cell === undefined) {
      cell = create();
      byDirection.set(direction, cell);
      this.list.push(cell);
    }
    return cell;
  }
}

export class RollupDelta {
  readonly cells = new CellIndex<Cell>();
  constructor(private readonly unit: number) {}

  /** The cell a message version counts in, created empty on first use. */
  private cell(v: { createdUs: number; facility: string; txType: string; direction: string }): Cell {
    const bucket = floorTo(v.createdUs, this.unit);
    return this.cells.get(bucket, v.facility, v.txType, v.direction, () => ({
      bucket,
      facility: v.facility,
      txType: v.txType,
      direction: v.direction,
      ...emptySums(),
    }));
  }

  add(
    v: Pick<Version, 'createdUs' | 'facility' | 'txType' | 'direction' | 'status' | 'attempts' | 'processedUs'>,
    sign: 1 | -1,
    isDuplicate: boolean,
  ) {
    const c = this.cell(v);
    const failing = FAILING.has(v.status);
    c.messages += sign;
    if (failing) c.failed += sign;
    if (v.status === 'dead_letter') c.deadLetter += sign;
    else if (v.status === 'retrying') c.retrying += sign;
    if (failing || v.attempts > 1) c.firstPassFailed += sign;
    if (isDuplicate) c.duplicates += sign;
    if (v.status === 'delivered' && v.processedUs !== null) {
      c.delivered += sign;
      c.delaySumUs += sign * (v.processedUs - v.createdUs);
    }
  }

  duplicateFlip(v: { createdUs: number; facility: string; txType: string; direction: string }, sign: 1 | -1) {
    this.cell(v).duplicates += sign;
  }
}

const nums = (list: number[]) => `{${list.join(',')}}`;

/** Adds a batch's deltas to the counts rollups. Rows travel as one array per column (unnest). */
export async function applyRollups(tx: Tx, delta: RollupDelta, table: 'hourly' | 'daily') {
  const cells = delta.cells.list
    .filter(
      (c) =>
        c.messages ||
        c.failed ||
        c.deadLetter ||
        c.retrying ||
        c.firstPassFailed ||
        c.delivered ||
        c.delaySumUs ||
        c.duplicates,
    )
    .sort(
      (a, b) =>
        a.bucket - b.bucket || cmp(a.facility, b.facility) || cmp(a.txType, b.txType) || cmp(a.direction, b.direction),
    );
  if (!cells.length) return;
  const t = sql.raw(`message_rollup_${table}`);
  await tx.execute(sql`
    insert into ${t} as t (bucket, facility, tx_type, direction, messages, failed, dead_letter, retrying,
      first_pass_failed, delivered, delay_sum_us, duplicates)
    select * from unnest(${textArray(cells.map((c) => microsToIso(c.bucket)))}::timestamptz[],
      ${textArray(cells.map((c) => c.facility))}::text[],
      ${textArray(cells.map((c) => c.txType))}::text[], ${textArray(cells.map((c) => c.direction))}::text[],
        ${nums(cells.map((c) => c.messages))}::bigint[],
      ${nums(cells.map((c) => c.failed))}::bigint[], ${nums(cells.map((c) => c.deadLetter))}::bigint[],
        ${nums(cells.map((c) => c.retrying))}::bigint[],
      ${nums(cells.map((c) => c.firstPassFailed))}::bigint[], ${nums(cells.map((c) => c.delivered))}::bigint[],
      ${nums(cells.map((c) => c.delaySumUs))}::numeric[], ${nums(cells.map((c) => c.duplicates))}::bigint[])
    on conflict (bucket, facility, tx_type, direction) do update set
      messages = t.messages + excluded.messages,
      failed = t.failed + excluded.failed,
      dead_letter = t.dead_letter + excluded.dead_letter,
      retrying = t.retrying + excluded.retrying,
      first_pass_failed = t.first_pass_failed + excluded.first_pass_failed,
      delivered = t.delivered + excluded.delivered,
      delay_sum_us = t.delay_sum_us + excluded.delay_sum_us,
      duplicates = t.duplicates + excluded.duplicates`);
}

/** One row of `delay_sketches` and a batch's change to it (count per bucket index). */
interface SketchRow {
  grain: SketchGrain;
  txType: string;
  bucket: number;
  facility: string;
  direction: string;
  delta: Map<number, number>;
}

const sketchKey = (grain: string, txType: string, bucket: number, facility: string, direction: string) =>
  `${grain}|${txType}|${bucket}|${facility}|${direction}`;

/**
 * A batch's changes to the delay sketches: kept per hour and cell as messages are walked, then
 * rolled up to days, weeks and facilities when written.
 */
export class SketchDelta {
  private readonly hours = new CellIndex<SketchRow>();

  add(v: Pick<Version, 'createdUs' | 'facility' | 'txType' | 'direction' | 'status' | 'processedUs'>, sign: 1 | -1) {
    if (v.status !== 'delivered' || v.processedUs === null) return;
    const bucket = floorTo(v.createdUs, HOUR_US);
    const row = this.hours.get(bucket, v.facility, v.txType, v.direction, () => ({
      grain: 'hour',
      txType: v.txType,
      bucket,
      facility: v.facility,
      direction: v.direction,
      delta: new Map(),
    }));
    const idx = bucketOf((v.processedUs - v.createdUs) / 1000);
    row.delta.set(idx, (row.delta.get(idx) ?? 0) + sign);
  }

  /** Every row the batch changes: each grain, per cell and per facility ('*'). */
  rows(): SketchRow[] {
    const out = new Map<string, SketchRow>();
    for (const h of this.hours.list) {
      for (const grain of SKETCH_GRAINS) {
        const bucket = sketchBucket(grain, h.bucket);
        for (const [txType, direction] of [
          [h.txType, h.direction],
          ['*', '*'],
        ]) {
          const key = sketchKey(grain, txType, bucket, h.facility, direction);
          let row = out.get(key);
          if (!row) out.set(key, (row = { grain, txType, bucket, facility: h.facility, direction, delta: new Map() }));
          for (const [idx, n] of h.delta) row.delta.set(idx, (row.delta.get(idx) ?? 0) + n);
        }
      }
    }
    return [...out.values()].filter((r) => [...r.delta.values()].some((n) => n !== 0));
  }
}

/**
 * Merges a batch's sketch changes into `delay_sketches`: the touched rows are read, merged here
 * and written back whole (the batch lock keeps other writers out), one row per cell and grain
 * where a row per sketch bucket cost thousands of upserts a batch.
 */
export async function applySketches(tx: Tx, delta: SketchDelta) {
  const list = delta
    .rows()
    .sort(
      (a, b) =>
        cmp(a.grain, b.grain) ||
        cmp(a.txType, b.txType) ||
        a.bucket - b.bucket ||
        cmp(a.facility, b.facility) ||
        cmp(a.direction, b.direction),
    );
  if (!list.length) return;
  const keys = sql`${textArray(list.map((r) => r.grain))}::text[], ${textArray(list.map((r) => r.txType))}::text[],
    ${textArray(list.map((r) => microsToIso(r.bucket)))}::timestamptz[],
      ${textArray(list.map((r) => r.facility))}::text[],
    ${textArray(list.map((r) => r.direction))}::text[]`;
  const found = await rows<{
    grain: string;
    tx_type: string;
    bucket_us: string;
    facility: string;
    direction: string;
    idx: string;
    n: string;
  }>(
    tx,
    sql`select s.grain, s.tx_type, (extract(epoch from s.bucket) * 1000000)::bigint::text as bucket_us, s.facility,
      s.direction,
          array_to_string(s.delay_idx, ',') as idx, array_to_string(s.delay_n, ',') as n
        from delay_sketches s join unnest(${keys}) as k(grain, tx_type, bucket, facility, direction)
          on s.grain = k.grain and s.tx_type = k.tx_type and s.bucket = k.bucket and s.facility = k.facility and
            s.direction = k.direction`,
  );
  const numbers = (text: string) => (text ? text.split(',').map(Number) : []);
  const stored = new Map(
    found.map((f) => [
      sketchKey(f.grain, f.tx_type, Number(f.bucket_us), f.facility, f.direction),
      { idx: numbers(f.idx), n: numbers(f.n) },
    ]),
  );
  const merged = list.map((r) =>
    mergeSketch(
      stored.get(sketchKey(r.grain, r.txType, r.bucket, r.facility, r.direction)) ?? { idx: [], n: [] },
      r.delta,
    ),
  );
  await tx.execute(sql`
    insert into delay_sketches as t (grain, tx_type, bucket, facility, direction, delay_idx, delay_n)
    select k.grain, k.tx_type, k.bucket, k.facility, k.direction, k.delay_idx::integer[], k.delay_n::bigint[]
    from unnest(${keys}, ${textArray(merged.map((m) => nums(m.idx)))}::text[],
      ${textArray(merged.map((m) => nums(m.n)))}::text[])
      as k(grain, tx_type, bucket, facility, direction, delay_idx, delay_n)
    on conflict (grain, tx_type, bucket, facility, direction) do update set delay_idx = excluded.delay_idx, delay_n =
      excluded.delay_n`);
}

/** Rows written in one order by every batch. */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
