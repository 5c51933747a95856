import { cache, Suspense } from 'react';
import { KpiTile } from '@/components/kpi/kpi-tile';
import { Skeleton } from '@/components/ui/skeleton';
import type { Role } from '@/db/schema';
import type { PageScope } from '@/lib/filters';
import { loadTiles, TILE_DEFS } from '@/lib/kpi/tiles';
import { can } from '@/lib/auth/permissions';
import { readDb } from '@/lib/http/read';

// One KPI computation per request, shared by every tile.
const tilesFor = cache(async (scopeKey: string, scope: PageScope, role: Role) => {
  void scopeKey;
  return loadTiles(await readDb(), scope, role);
});

async function OneTile({ k, scope, role }: { k: string; scope: PageScope; role: Role }) {
  const { tiles } = await tilesFor(JSON.stringify(scope), scope, role);
  const tile = tiles.find((t) => t.key === k);
  return tile ? <KpiTile tile={tile} /> : null;
}

export function TileSkeleton() {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <Skeleton className="h-3 w-24" />
      <Skeleton className="mt-3 h-7 w-20" />
      <Skeleton className="mt-2 h-3 w-32" />
      <Skeleton className="mt-3 h-8 w-full" />
    </div>
  );
}

/** Every tile streams behind its own skeleton. */
export function TileGrid({ scope, role }: { scope: PageScope; role: Role }) {
  const defs = TILE_DEFS.filter((d) => !d.money || can(role, 'money.read'));
  return (
    <div className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6" data-testid="tile-grid">
      {defs.map((d) => (
        <Suspense key={d.key} fallback={<TileSkeleton />}>
          <OneTile k={d.key} scope={scope} role={role} />
        </Suspense>
      ))}
    </div>
  );
}
