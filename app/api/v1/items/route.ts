import { batchIngestHandler } from '@/lib/http/ingest-route';
import { ingestItems } from '@/lib/ingest/feeds';

export const dynamic = 'force-dynamic';

export const POST = batchIngestHandler(ingestItems);
