import { authenticate } from '@/lib/auth/session';
import { csvResponse } from '@/lib/http/csv';
import { flatParams } from '@/lib/http/search-params';
import { handler } from '@/lib/http/route';
import { findingFilters, iterateFindings, type FindingRow } from '@/lib/master-data/queries';
import { readDb } from '@/lib/http/read';

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
