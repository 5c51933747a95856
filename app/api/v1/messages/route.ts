import { batchIngestHandler } from '@/lib/ingest/route';
import { ingestMessages } from '@/lib/ingest/messages';

export const dynamic = 'force-dynamic';

export const POST = batchIngestHandler(ingestMessages);
