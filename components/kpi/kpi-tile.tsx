import Link from 'next/link';
import { Sparkline } from '@/components/charts/sparkline';
import { formatValue } from '@/lib/format';
import { formatTileChange } from '@/lib/kpi/change';
import type { Tile } from '@/lib/kpi/tiles';

const TONE_BORDER = {
  ok: 'border-l-green-600',
  warn: 'border-l-amber-500',
  bad: 'border-l-red-600',
  neutral: 'border-l-slate-300',
} as const;
const TONE_TEXT = {
  ok: 'text-green-800',
  warn: 'text-amber-800',
  bad: 'text-red-700',
  neutral: 'text-slate-900',
} as const;
const TONE_LABEL = { ok: 'within target', warn: 'amber', bad: 'red', neutral: '' } as const;

export function KpiTile({ tile, large = false }: { tile: Tile; large?: boolean }) {
  const props = {
    title: tile.hint,
    'data-testid': `tile-${tile.key}`,
    'data-tone': tile.tone,
    className: `group block rounded-lg border border-l-4 border-slate-200 bg-white shadow-sm transition ${tile.href ? 'hover:shadow-md' : ''} ${TONE_BORDER[tile.tone]} ${large ? 'p-4 sm:p-6' : 'p-4'}`,
  };
  const body = (
    <>
      <div className="flex items-start justify-between gap-2">
        <p
          className={`${large ? 'text-base sm:text-xl' : 'text-xs'} font-medium uppercase tracking-wide text-slate-500`}
        >
          {tile.label}
        </p>
        {tile.tone !== 'neutral' ? <span className="sr-only">status {TONE_LABEL[tile.tone]}</span> : null}
      </div>
      <p
        className={`mt-1 font-semibold tabular-nums ${TONE_TEXT[tile.tone]} ${large ? 'text-4xl sm:text-6xl' : 'text-2xl'}`}
        data-testid="tile-value"
      >
        {formatValue(tile.value, tile.format)}
      </p>
      <p className={`mt-1 tabular-nums text-slate-500 ${large ? 'text-lg' : 'text-xs'}`}>
        {tile.change === null ? (
          (tile.note ?? 'no earlier period to compare')
        ) : (
          <>
            <span className="text-slate-700" data-testid="tile-change">
              {formatTileChange(tile.change, tile.format)}
            </span>{' '}
            vs previous {tile.previous !== null ? `(${formatValue(tile.previous, tile.format)})` : ''}
          </>
        )}
      </p>
      {tile.spark ? (
        <div className="mt-2">
          <Sparkline values={tile.spark} tone={tile.tone} height={large ? 64 : 32} />
        </div>
      ) : (
        <div className={large ? 'mt-2 h-16' : 'mt-2 h-8'} aria-hidden />
      )}
      <p className="sr-only">{tile.hint}</p>
    </>
  );
  return tile.href ? (
    <Link href={tile.href} {...props}>
      {body}
    </Link>
  ) : (
    <div {...props}>{body}</div>
  );
}
