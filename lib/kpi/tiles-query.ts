import { queryOptions } from '@tanstack/react-query';
import type { Tile } from '@/lib/kpi/tiles';

export const TILE_REFRESH_MS = 30_000;

export interface TilesPayload {
  tiles: Tile[];
  generatedAt: string;
}

/** Shared by the wall screen's client and the route it calls. */
export const tilesQuery = (query: string) =>
  queryOptions({
    queryKey: ['tiles', query],
    queryFn: async (): Promise<TilesPayload> => {
      const res = await fetch(`/api/tiles?${query}`, { cache: 'no-store' });
      if (!res.ok) throw new Error(`tiles: HTTP ${res.status}`);
      return res.json();
    },
    refetchInterval: TILE_REFRESH_MS,
    refetchIntervalInBackground: true,
  });
