import { readDb } from '@/lib/http/read';
import { iterateDeliveryAttempts, parseDeliveryFilters, type AttemptExportRow } from '@/lib/alerts/queries';
import { authenticate } from '@/lib/auth/session';
import { csvResponse } from '@/lib/http/csv';
import { handler } from '@/lib/http/route';
import { flatParams } from '@/lib/http/search-params';
import { otherMethods } from '@/lib/http/methods';

export const dynamic = 'force-dynamic';

const KEYS: (keyof AttemptExportRow & string)[] = [
  'id',
  'createdAt',
  'event',
  'alertId',
  'ruleName',
  'facility',
  'channelId',
  'channelType',
  'status',
  'attempts',
  'deliveredAt',
  'attemptAt',
  'ok',
  'statusCode',
  'error',
  'durationMs',
];
const NUMERIC = new Set(['alertId', 'attempts', 'statusCode', 'durationMs']);

/** Every delivery of the admin's deliveries page with every attempt, one line per attempt. */
export const GET = handler(async (req) => {
  await authenticate(req, { apiKey: false, session: true, capability: 'admin' });
  const f = parseDeliveryFilters(flatParams(new URL(req.url).searchParams));
  const stamp = new Date().toISOString().slice(0, 16).replace(/[:T]/g, '');
  const columns = KEYS.map((key) => ({ key, header: key, numeric: NUMERIC.has(key) }));
  return csvResponse(`alert-deliveries-${stamp}.csv`, columns, iterateDeliveryAttempts(await readDb(), f));
});

/** Every other method: a 405 in SPEC 3's error shape, with `Allow` (lib/http/methods.ts). */
export const { OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods({ GET });
