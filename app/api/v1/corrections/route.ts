import { batchIngestHandler } from '@/lib/ingest/route';
import { ingestCorrections } from '@/lib/ingest/feeds';

export const dynamic = 'force-dynamic';

export const POST = batchIngestHandler(ingestCorrections);
