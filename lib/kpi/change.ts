/**
 * A tile's change against the previous period. A ratio says "how many times" and reads well when
 * both periods rest on enough data; over a handful of messages it misleads (one slow message among
 * three made a p95 tile read "▲ 69×"). Pure: the tiles and their tests use it.
 */
import { changeRatio, formatChange, formatValue, type ValueFormat } from '@/lib/format';

export type TileChange = { kind: 'ratio'; ratio: number } | { kind: 'absolute'; delta: number };

/** The fewest observations (messages, delivered messages, or the count itself) a ratio may rest on. */
export const MIN_RATIO_BASIS = 30;

/**
 * The rule, the same for every tile: a ratio only when the previous value is above 0 and both
 * periods rest on at least MIN_RATIO_BASIS observations; otherwise the absolute difference in the
 * tile's own unit. Null when either period has no value (no delivered message, no delay).
 */
export function tileChange(
  now: number | null,
  before: number | null,
  basis: { now: number; before: number },
): TileChange | null {
  if (now === null || before === null) return null;
  const ratio =
    before > 0 && basis.now >= MIN_RATIO_BASIS && basis.before >= MIN_RATIO_BASIS ? changeRatio(now, before) : null;
  return ratio === null ? { kind: 'absolute', delta: now - before } : { kind: 'ratio', ratio };
}

/** '▲ 17%', '▲ 12×', or the absolute difference: '▲ +1.2 s', '▼ -3', '▲ +0.4 pp' (a rate's percentage points). */
export function formatTileChange(change: TileChange, format: ValueFormat): string {
  if (change.kind === 'ratio') return formatChange(change.ratio);
  const d = change.delta;
  if (d === 0) return '■ no change';
  const abs = Math.abs(d);
  const amount = format === 'percent' ? `${(abs * 100).toFixed(abs < 0.1 ? 1 : 0)} pp` : formatValue(abs, format);
  return `${d > 0 ? '▲ +' : '▼ -'}${amount}`;
}
