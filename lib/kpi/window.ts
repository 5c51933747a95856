/**
 * How a KPI window is read (SPEC 4 kept fast at any length): split into the pieces the rollups
 * hold whole (days, weeks, hours) and the partial hours at its edges, which come from the raw log.
 */
import { MONDAY_US, WEEK_US } from '@/lib/kpi/delay-sketch';
import { floorTo } from '@/lib/time';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ceilTo = (ms: number, unit: number) => Math.ceil(ms / unit) * unit;

/**
 * Pieces of [from, to): hourly and daily rollups for whole hours, and the raw log for the partial
 * hours at the edges. An edge that covers more than half of its hour is read the other way round:
 * the whole hour from the rollups, less the raw rows of the part outside the window (`minus`), so
 * no edge reads more than half an hour of raw rows. Sum = raw + hourly + daily − minus.
 */
export function splitWindow(fromMs: number, toMs: number) {
  const raw: [number, number][] = [];
  const minus: [number, number][] = [];
  const hourly: [number, number][] = [];
  const daily: [number, number][] = [];
  const out = { raw, minus, hourly, daily };
  if (fromMs >= toMs) return out;
  let h0 = ceilTo(fromMs, HOUR);
  let h1 = floorTo(toMs, HOUR);
  if (h0 > h1) {
    // Inside one hour: the window, or the hour less what lies outside the window.
    const hs = h1;
    if (HOUR - (toMs - fromMs) < toMs - fromMs) {
      hourly.push([hs, hs + HOUR]);
      if (hs < fromMs) minus.push([hs, fromMs]);
      if (toMs < hs + HOUR) minus.push([toMs, hs + HOUR]);
    } else raw.push([fromMs, toMs]);
    return out;
  }
  if (fromMs < h0) {
    if (fromMs - (h0 - HOUR) < h0 - fromMs) {
      minus.push([h0 - HOUR, fromMs]);
      h0 -= HOUR;
    } else raw.push([fromMs, h0]);
  }
  if (h1 < toMs) {
    if (h1 + HOUR - toMs < toMs - h1) {
      minus.push([toMs, h1 + HOUR]);
      h1 += HOUR;
    } else raw.push([h1, toMs]);
  }
  if (h0 >= h1) return out;
  const d0 = ceilTo(h0, DAY);
  const d1 = floorTo(h1, DAY);
  if (d0 < d1) {
    daily.push([d0, d1]);
    if (h0 < d0) hourly.push([h0, d0]);
    if (d1 < h1) hourly.push([d1, h1]);
  } else {
    hourly.push([h0, h1]);
  }
  return out;
}

/** Weeks start on Monday, UTC, as Postgres's date_trunc('week') and the ingest's sketch weeks. */
const WEEK = WEEK_US / 1000;
const MONDAY = MONDAY_US / 1000;

/** Whole days split into whole weeks (Monday to Monday, UTC) and the days left at either end. */
export function splitDays(days: [number, number][]) {
  const weekly: [number, number][] = [];
  const daily: [number, number][] = [];
  for (const [d0, d1] of days) {
    const w0 = ceilTo(d0 - MONDAY, WEEK) + MONDAY;
    const w1 = floorTo(d1 - MONDAY, WEEK) + MONDAY;
    if (w0 < w1) {
      weekly.push([w0, w1]);
      if (d0 < w0) daily.push([d0, w0]);
      if (w1 < d1) daily.push([w1, d1]);
    } else daily.push([d0, d1]);
  }
  return { weekly, daily };
}
