'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { KpiTile } from '@/components/kpi/kpi-tile';
import { TILE_REFRESH_MS, tilesQuery, type TilesPayload } from '@/lib/kpi/tiles-query';

/**
 * Wall tiles: refresh every 30 s without reloading, say when, and turn visibly stale when the server stops answering.
 */
export function LiveTiles({ query, initial }: { query: string; initial: TilesPayload }) {
  const { data, isError, dataUpdatedAt } = useQuery({
    ...tilesQuery(query),
    initialData: initial,
    initialDataUpdatedAt: Date.parse(initial.generatedAt),
  });
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 5_000);
    return () => clearInterval(t);
  }, []);
  const age = now - dataUpdatedAt;
  const stale = isError || age > 3 * TILE_REFRESH_MS;
  return (
    <div className={stale ? 'opacity-60 grayscale' : ''}>
      <div className="mb-4 flex items-center justify-between text-lg text-slate-300">
        <span data-testid="tiles-updated" data-updated={data.generatedAt} suppressHydrationWarning>
          Updated {new Date(data.generatedAt).toLocaleTimeString()}
        </span>
        {stale ? (
          <span data-testid="tiles-stale" className="rounded bg-red-700 px-3 py-1 font-semibold text-white">
            Stale: no answer from the server for {Math.round(age / 1000)} s
          </span>
        ) : (
          <span className="text-slate-300">refreshes every {TILE_REFRESH_MS / 1000} s</span>
        )}
      </div>
      <div className="grid grid-cols-1 gap-5 sm:grid-cols-2 lg:grid-cols-3 2xl:grid-cols-4">
        {data.tiles.map((t) => (
          <KpiTile key={t.key} tile={t} large />
        ))}
      </div>
    </div>
  );
}
