import { authenticate } from '@/lib/auth/session';
import { handler, json } from '@/lib/http/route';
import { parseKpiScope } from '@/lib/kpi/scope';
import { computeKpis, type Kpis } from '@/lib/kpi/kpis';
import { can } from '@/lib/auth/permissions';
import { readDb } from '@/lib/http/read';
import { otherMethods } from '@/lib/http/methods';

export const dynamic = 'force-dynamic';

export const GET = handler(async (req) => {
  const who = await authenticate(req, { apiKey: true, scope: 'read', session: true, capability: 'overview.read' });
  const scope = parseKpiScope(new URL(req.url).searchParams);
  const kpis: Partial<Kpis> = await computeKpis(await readDb(), scope);
  // Money is for the roles SPEC 7 allows; API keys are machine integrations with full read.
  if (who.kind === 'user' && !can(who.user.role, 'money.read')) delete kpis.mismatchValue;
  return json(kpis);
});

/** Every other method: a 405 in SPEC 3's error shape, with `Allow` (lib/http/methods.ts). */
export const { OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods({ GET });
