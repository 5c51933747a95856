/** Formatting at render time only; queries return numbers and ISO strings. */
export type ValueFormat = 'count' | 'percent' | 'duration' | 'money' | 'minutes';

const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });

export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1000) return `${Math.round(ms)} ms`;
  if (abs < 60_000) return `${(ms / 1000).toFixed(abs < 10_000 ? 1 : 0)} s`;
  if (abs < 3_600_000) return `${(ms / 60_000).toFixed(abs < 600_000 ? 1 : 0)} min`;
  if (abs < 86_400_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / 86_400_000).toFixed(1)} d`;
}

/** A whole count with thousands separators ("12,345"). */
export const formatCount = (v: number) => count.format(v);

export function formatValue(v: number | null | undefined, f: ValueFormat): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  switch (f) {
    case 'percent':
      return `${(v * 100).toFixed(v !== 0 && v < 0.001 ? 3 : v < 0.1 ? 2 : 1)}%`;
    case 'duration':
      return formatDuration(v);
    case 'money':
      return money.format(v);
    case 'minutes':
      return v >= 120 ? `${(v / 60).toFixed(1)} h` : `${count.format(v)} min`;
    default:
      return count.format(v);
  }
}

/** Relative change vs the previous period, or null when there is nothing to compare. */
export function changeRatio(now: number | null, before: number | null): number | null {
  if (now === null || before === null) return null;
  if (before === 0) return now === 0 ? 0 : null;
  return (now - before) / Math.abs(before);
}

/**
 * A change vs the previous period as a tile shows it: an arrow and a percentage ('▲ 17%',
 * '▼ 3.9%', '■ 0.0%'), or a multiple once the value is ten times the previous or more ('▲ 79×'),
 * where a percentage in the thousands is hard to read out in a meeting.
 */
export function formatChange(change: number): string {
  const arrow = change > 0 ? '▲' : change < 0 ? '▼' : '■';
  if (change >= 9) {
    const times = 1 + change;
    return `${arrow} ${times < 100 ? times.toFixed(0) : Math.round(times).toLocaleString('en-US')}×`;
  }
  return `${arrow} ${Math.abs(change * 100).toFixed(Math.abs(change) < 0.1 ? 1 : 0)}%`;
}

export function formatAge(seconds: number): string {
  if (seconds < 3600) return `${Math.max(1, Math.round(seconds / 60))} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
/** Steps a duration axis counts in: whole seconds, minutes, hours and days a reader can add up. */
const DURATION_STEPS = [1, 2, 5, 10, 15, 30]
  .map((n) => n * S)
  .concat(
    [1, 2, 5, 10, 15, 30].map((n) => n * MIN),
    [1, 2, 3, 6, 12].map((n) => n * H),
    [1, 2, 7, 14, 30].map((n) => n * 24 * H),
  );

/**
 * Ticks for a duration axis from 0 to at least `maxMs`: at most `most` steps of a round duration
 * (recharts' own round numbers are round in milliseconds: 55 s, 1.8 min, 2.8 min). Null below a
 * second, where milliseconds are round enough.
 */
export function durationTicks(maxMs: number, most = 4): number[] | null {
  if (!(maxMs >= S)) return null;
  const step = DURATION_STEPS.find((s) => Math.ceil(maxMs / s) <= most) ?? Math.ceil(maxMs / most / (24 * H)) * 24 * H;
  return Array.from({ length: Math.ceil(maxMs / step) + 1 }, (_, i) => i * step);
}

/** An axis tick: as formatValue, without the decimals a round tick does not need ('1 min', '5%'). */
export function formatTick(v: number, f: ValueFormat): string {
  if (f === 'percent') return `${Number((v * 100).toFixed(2))}%`;
  if (f === 'duration' && v === 0) return '0';
  return formatValue(v, f).replace(/\.0(?= |$)/, '');
}

/** A size in bytes as people read it: 980 B, 12.4 KB, 3.1 MB, 1.2 GB (powers of 1024). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}
