import { batchIngestHandler } from '@/lib/ingest/route';
import { ingestChanges } from '@/lib/ingest/feeds';

export const dynamic = 'force-dynamic';

export const POST = batchIngestHandler(ingestChanges);
