import { authenticate } from '@/lib/auth/session';
import { csvResponse } from '@/lib/http/csv';
import { handler } from '@/lib/http/route';
import { iterateQuarantine, type QuarantineRow } from '@/lib/messages/queries';
import { readDb } from '@/lib/http/read';
import { otherMethods } from '@/lib/http/methods';

export const dynamic = 'force-dynamic';

/** Every rejected record with its raw text and errors (IT, admin). */
export const GET = handler(async (req) => {
  await authenticate(req, { apiKey: false, session: true, capability: 'payloads.read' });
  const keys: (keyof QuarantineRow & string)[] = [
    'id',
    'feed',
    'receivedAt',
    'source',
    'recordIndex',
    'recordKey',
    'errors',
    'raw',
    'importId',
    'fileName',
  ];
  const importId = Number(new URL(req.url).searchParams.get('import'));
  return csvResponse(
    importId > 0 ? `quarantine-import-${importId}.csv` : 'quarantine.csv',
    keys.map((key) => ({ key, header: key })),
    iterateQuarantine(await readDb(), Number.isSafeInteger(importId) && importId > 0 ? importId : undefined),
  );
});

/** Every other method: a 405 in SPEC 3's error shape, with `Allow` (lib/http/methods.ts). */
export const { OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods({ GET });
