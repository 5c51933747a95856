import { authenticate } from '@/lib/auth/session';
import { csvResponse } from '@/lib/http/csv';
import { flatParams } from '@/lib/http/search-params';
import { handler } from '@/lib/http/route';
import { findingFilters, iterateFindings, type FindingRow } from '@/lib/master-data/queries';
import { readDb } from '@/lib/http/read';
import { otherMethods } from '@/lib/http/methods';

export const dynamic = 'force-dynamic';

/** Master data audit findings as CSV with the page's filters. */
export const GET = handler(async (req) => {
  await authenticate(req, { apiKey: false, session: true, capability: 'masterdata.read' });
  const f = findingFilters.parse(flatParams(new URL(req.url).searchParams));
  const keys: (keyof FindingRow & string)[] = [
    'kind',
    'sku',
    'otherSku',
    'field',
    'erpValue',
    'wmsValue',
    'detectedAt',
  ];
  return csvResponse(
    'master-data-findings.csv',
    keys.map((key) => ({ key, header: key })),
    iterateFindings(await readDb(), f),
  );
});

/** Every other method: a 405 in SPEC 3's error shape, with `Allow` (lib/http/methods.ts). */
export const { OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods({ GET });
