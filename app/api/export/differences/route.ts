import { can } from '@/lib/auth/permissions';
import { authenticate } from '@/lib/auth/session';
import { csvResponse } from '@/lib/http/csv';
import { flatParams } from '@/lib/http/search-params';
import { handler } from '@/lib/http/route';
import { differenceFilters, iterateDifferences, type DifferenceRow } from '@/lib/recon/queries';
import { readDb } from '@/lib/http/read';
import { otherMethods } from '@/lib/http/methods';

export const dynamic = 'force-dynamic';

/** Postgres numerics, which arrive as text. */
const NUMERIC = new Set<string>(['erpQuantity', 'wmsQuantity', 'delta', 'unitCost', 'value']);

/** Reconciliation differences as CSV with the page's filters; unit cost and value only for roles that may see money. */
export const GET = handler(async (req) => {
  const who = await authenticate(req, { apiKey: false, session: true, capability: 'reconciliation.read' });
  const money = who.kind === 'user' && can(who.user.role, 'money.read');
  const f = differenceFilters.parse(flatParams(new URL(req.url).searchParams));
  const keys: (keyof DifferenceRow & string)[] = [
    'runId',
    'facility',
    'kind',
    'sku',
    'erpSku',
    'wmsSku',
    'location',
    'lot',
    'wmsLocation',
    'wmsLot',
    'erpUoms',
    'wmsUoms',
    'erpQuantity',
    'wmsQuantity',
    'delta',
    'suspectedSource',
  ];
  if (money) keys.push('unitCost', 'value');
  return csvResponse(
    'differences.csv',
    keys.map((key) => ({ key, header: key, numeric: NUMERIC.has(key) })),
    iterateDifferences(await readDb(), f, money),
  );
});

/** Every other method: a 405 in SPEC 3's error shape, with `Allow` (lib/http/methods.ts). */
export const { OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods({ GET });
