import { getDb } from '@/db';
import { authenticate } from '@/lib/auth/session';
import { handler, json } from '@/lib/http/route';
import { parseKpiScope } from '@/lib/kpi/scope';
import { computeKpis } from '@/lib/kpi/kpis';

export const dynamic = 'force-dynamic';

export const GET = handler(async (req) => {
  await authenticate(req, { apiKey: true, session: true, capability: 'overview.read' });
  const scope = parseKpiScope(new URL(req.url).searchParams);
  return json(await computeKpis(await getDb(), scope));
});
