import { batchIngestHandler } from '@/lib/ingest/route';
import { ingestMessages } from '@/lib/ingest/messages';
import { otherMethods } from '@/lib/http/methods';

export const dynamic = 'force-dynamic';

export const POST = batchIngestHandler(ingestMessages);

/** Every other method: a 405 in SPEC 3's error shape, with `Allow` (lib/http/methods.ts). */
export const { GET, HEAD, OPTIONS, PUT, PATCH, DELETE } = otherMethods({ POST });
