import { batchIngestHandler } from '@/lib/ingest/route';
import { ingestItems } from '@/lib/ingest/feeds';

export const dynamic = 'force-dynamic';

export const POST = batchIngestHandler(ingestItems);
