import Link from 'next/link';
import { QueryProvider } from '@/components/providers/query-provider';
import { LiveTiles } from '@/components/tiles/live-tiles';
import { requireCapability } from '@/lib/auth/session';
import { scopeFromParams, scopeQuery } from '@/lib/filters';
import { flatParams, type RawParams } from '@/lib/http/search-params';
import { loadTiles } from '@/lib/kpi/tiles';
import { readDb } from '@/lib/http/read';

export const metadata = { title: 'Wall tiles' };

/** Full screen for a wall: large type, no navigation, refreshing itself. */
export default async function TilesPage({ searchParams }: { searchParams: Promise<RawParams> }) {
  const user = await requireCapability('overview.read');
  const scope = scopeFromParams(flatParams(await searchParams));
  const { tiles } = await loadTiles(await readDb(), scope, user.role);
  const query = scopeQuery(scope);
  return (
    <main className="min-h-screen bg-slate-950 p-8 text-white">
      <header className="mb-6 flex items-baseline justify-between">
        <h1 className="text-3xl font-bold tracking-tight">
          Sync Health{' '}
          <span className="font-normal text-slate-300">
            · {scope.facility ?? 'all facilities'} ·{' '}
            {scope.range === 'custom' ? 'custom window' : `last ${scope.range}`}
          </span>
        </h1>
        <Link href={`/?${query}`} className="text-sm text-slate-300 underline">
          exit wall mode
        </Link>
      </header>
      <QueryProvider>
        <LiveTiles query={query} initial={{ tiles, generatedAt: new Date().toISOString() }} />
      </QueryProvider>
    </main>
  );
}
