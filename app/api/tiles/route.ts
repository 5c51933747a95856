import { authenticate } from '@/lib/auth/session';
import { scopeFromParams } from '@/lib/filters';
import { handler, json } from '@/lib/http/route';
import { flatParams } from '@/lib/http/search-params';
import { loadTiles } from '@/lib/kpi/tiles';
import { readDb } from '@/lib/http/read';
import { otherMethods } from '@/lib/http/methods';

export const dynamic = 'force-dynamic';

/** The wall screen's refresh: the same loader as the overview, for the signed-in role. */
export const GET = handler(async (req) => {
  const who = await authenticate(req, { apiKey: false, session: true, capability: 'overview.read' });
  if (who.kind !== 'user') throw new Error('unreachable');
  const scope = scopeFromParams(flatParams(new URL(req.url).searchParams));
  const { tiles } = await loadTiles(await readDb(), scope, who.user.role);
  return json({ tiles, generatedAt: new Date().toISOString() });
});

/** Every other method: a 405 in SPEC 3's error shape, with `Allow` (lib/http/methods.ts). */
export const { OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods({ GET });
