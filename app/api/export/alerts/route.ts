import { readDb } from '@/lib/http/read';
import { iterateAlerts, parseAlertFilters, type AlertListRow } from '@/lib/alerts/queries';
import { authenticate } from '@/lib/auth/session';
import { csvResponse } from '@/lib/http/csv';
import { handler } from '@/lib/http/route';
import { flatParams } from '@/lib/http/search-params';
import { otherMethods } from '@/lib/http/methods';

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
  return csvResponse(`alerts-${f.view}-${stamp}.csv`, columns, iterateAlerts(await readDb(), f));
});

/** Every other method: a 405 in SPEC 3's error shape, with `Allow` (lib/http/methods.ts). */
export const { OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods({ GET });
