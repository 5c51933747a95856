import { batchIngestHandler } from '@/lib/ingest/route';
import { ingestCorrections } from '@/lib/ingest/feeds';
import { otherMethods } from '@/lib/http/methods';

export const dynamic = 'force-dynamic';

export const POST = batchIngestHandler(ingestCorrections);

/** Every other method: a 405 in SPEC 3's error shape, with `Allow` (lib/http/methods.ts). */
export const { GET, HEAD, OPTIONS, PUT, PATCH, DELETE } = otherMethods({ POST });
