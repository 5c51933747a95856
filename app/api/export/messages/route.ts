import { authenticate } from '@/lib/auth/session';
import { scopeFromParams } from '@/lib/filters';
import { csvResponse } from '@/lib/http/csv';
import { flatParams } from '@/lib/http/search-params';
import { handler } from '@/lib/http/route';
import { iterateMessages, messageFilters, type MessageRow } from '@/lib/messages/queries';
import { readDb } from '@/lib/http/read';
import { otherMethods } from '@/lib/http/methods';

export const dynamic = 'force-dynamic';

/** The message log as CSV with the page's filters (IT, admin). */
export const GET = handler(async (req) => {
  await authenticate(req, { apiKey: false, session: true, capability: 'payloads.read' });
  const params = flatParams(new URL(req.url).searchParams);
  const f = messageFilters.parse(params);
  const keys: (keyof MessageRow & string)[] = [
    'messageId',
    'txType',
    'direction',
    'facility',
    'correlationKey',
    'sku',
    'quantity',
    'uom',
    'status',
    'attempts',
    'errorCode',
    'createdAt',
    'processedAt',
    'isDuplicate',
  ];
  return csvResponse(
    'messages.csv',
    keys.map((key) => ({ key, header: key, numeric: key === 'quantity' })),
    iterateMessages(await readDb(), f, scopeFromParams(params)),
  );
});

/** Every other method: a 405 in SPEC 3's error shape, with `Allow` (lib/http/methods.ts). */
export const { OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods({ GET });
