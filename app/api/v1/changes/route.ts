import { batchIngestHandler } from '@/lib/http/ingest-route';
import { ingestChanges } from '@/lib/ingest/feeds';

export const dynamic = 'force-dynamic';

export const POST = batchIngestHandler(ingestChanges);
