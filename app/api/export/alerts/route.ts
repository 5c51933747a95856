import { getDb } from '@/db';
import { iterateAlerts, parseAlertFilters, type AlertListRow } from '@/lib/alerts/queries';
import { authenticate } from '@/lib/auth/session';
import { csvResponse } from '@/lib/http/csv';
import { handler } from '@/lib/http/route';
import { flatParams } from '@/lib/http/search-params';

export const dynamic = 'force-dynamic';

const KEYS: (keyof AlertListRow & string)[] = [
  'id',
  'ruleId',
  'ruleName',
  'severity',
  'facility',
  'state',
  'value',
  'op',
  'threshold',
  'resolveThreshold',
  'since',
  'pendingSince',
  'startedAt',
  'resolvedAt',
  'acknowledgedAt',
  'acknowledgedBy',
  'acknowledgeNote',
];
const NUMERIC = new Set(['id', 'value', 'threshold', 'resolveThreshold']);

/** The alerts of /alerts as CSV, with the filters of the page that linked here. */
export const GET = handler(async (req) => {
  await authenticate(req, { apiKey: false, session: true, capability: 'alerts.read' });
  const f = parseAlertFilters(flatParams(new URL(req.url).searchParams));
  const stamp = new Date().toISOString().slice(0, 16).replace(/[:T]/g, '');
  const columns = KEYS.map((key) => ({ key, header: key, numeric: NUMERIC.has(key) }));
  return csvResponse(`alerts-${f.view}-${stamp}.csv`, columns, iterateAlerts(await getDb(), f));
});
