import { authenticate } from '@/lib/auth/session';
import { scopeFromParams } from '@/lib/filters';
import { csvResponse } from '@/lib/http/csv';
import { flatParams } from '@/lib/http/search-params';
import { handler } from '@/lib/http/route';
import { correctionFilters, iterateCorrections, type CorrectionRow } from '@/lib/corrections/queries';
import { readDb } from '@/lib/http/read';
import { otherMethods } from '@/lib/http/methods';

export const dynamic = 'force-dynamic';

/** Manual corrections of the window as CSV with the page's filters. */
export const GET = handler(async (req) => {
  await authenticate(req, { apiKey: false, session: true, capability: 'corrections.read' });
  const params = flatParams(new URL(req.url).searchParams);
  const f = correctionFilters.parse(params);
  const keys: (keyof CorrectionRow & string)[] = [
    'correctionId',
    'system',
    'facility',
    'sku',
    'location',
    'lot',
    'quantityDelta',
    'uom',
    'reasonCode',
    'userName',
    'at',
    'effortMinutes',
  ];
  return csvResponse(
    'corrections.csv',
    keys.map((key) => ({ key, header: key, numeric: key === 'quantityDelta' })),
    iterateCorrections(await readDb(), f, scopeFromParams(params)),
  );
});

/** Every other method: a 405 in SPEC 3's error shape, with `Allow` (lib/http/methods.ts). */
export const { OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods({ GET });
