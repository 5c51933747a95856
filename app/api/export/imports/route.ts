import { authenticate } from '@/lib/auth/session';
import { csvResponse } from '@/lib/http/csv';
import { handler } from '@/lib/http/route';
import { IMPORT_CSV_COLUMNS, iterateImports } from '@/lib/imports/history';
import { readDb } from '@/lib/http/read';
import { otherMethods } from '@/lib/http/methods';

export const dynamic = 'force-dynamic';

/** The import history (IT, admin). */
export const GET = handler(async (req) => {
  await authenticate(req, { apiKey: false, session: true, capability: 'imports.run' });
  return csvResponse('imports.csv', [...IMPORT_CSV_COLUMNS], iterateImports(await readDb()));
});

/** Every other method: a 405 in SPEC 3's error shape, with `Allow` (lib/http/methods.ts). */
export const { OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods({ GET });
