/**
 * The OpenAPI 3.1 document of the v1 API, generated from the zod schemas that validate requests.
 */
import { z } from 'zod';
import { changeRecord, correctionRecord, errorBody, ingestResult, itemRecord, messageRecord, MAX_RECORDS } from '@/lib/ingest/schemas';
import { TX_TYPES } from '@/db/schema';

/** A component schema: the JSON Schema zod generates, without its document wrapper. */
function schemaOf(s: z.ZodType, name: string) {
  const { $schema: _s, $defs, ...rest } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown> & {
    $defs?: Record<string, unknown>;
  };
  return $defs?.[name] ?? rest;
}

const errors = {
  '400': { description: 'The body or a parameter is malformed.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  '401': { description: 'Missing, wrong or revoked API key.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  '413': { description: `More than ${MAX_RECORDS} records or 10 MB.`, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
};

function batch(summary: string, ref: string, description: string) {
  return {
    post: {
      summary,
      description,
      security: [{ apiKey: [] }],
      requestBody: {
        required: true,
        content: {
          'application/json': { schema: { type: 'array', maxItems: MAX_RECORDS, items: { $ref: `#/components/schemas/${ref}` } } },
          'application/x-ndjson': { schema: { $ref: `#/components/schemas/${ref}` } },
        },
      },
      responses: {
        '200': {
          description: 'Per-record outcome. Rejected records are kept in the quarantine with their raw text.',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/IngestResult' } } },
        },
        ...errors,
      },
    },
  };
}

export function openApiDocument(serverUrl = '/') {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Sync Health API',
      version: '1.0.0',
      description:
        'Feeds of the ERP–WMS integration log, inventory, master data, manual corrections and change log, and the KPIs computed from them. ' +
        'Errors are `{ error: { code, message, details } }` with a 4xx status. Choices where the specification is silent: ' +
        'a record without `updatedAt` takes `processedAt ?? createdAt`; records with the same `messageId` in one batch apply in order, as if sent one by one; ' +
        'for duplicates, absent fields compare equal to absent fields and quantities compare numerically; ' +
        'a delay mean or percentile over no delivered message is `null`; the p95 is exact up to 20,000 delivered messages in the window and comes from a 0.5%-accurate log-bucket sketch above that; ' +
        'hourly and daily rollups use UTC; an NDJSON line that is not JSON is a rejected record, a JSON body that is not JSON is a 400; ' +
        'corrections keep the first record of a `correctionId`, items and changes take the latest.',
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key from `npm run cli -- api-key create <name>` or the admin page.' } },
      schemas: {
        Message: schemaOf(messageRecord, 'Message'),
        Item: schemaOf(itemRecord, 'Item'),
        Correction: schemaOf(correctionRecord, 'Correction'),
        Change: schemaOf(changeRecord, 'Change'),
        IngestResult: schemaOf(ingestResult, 'IngestResult'),
        Error: schemaOf(errorBody, 'Error'),
      },
    },
    paths: {
      '/api/v1/messages': batch('Ingest integration messages', 'Message', 'Idempotent and order-independent: a record replaces the stored one only when its `updatedAt` is later. One transaction per batch.'),
      '/api/v1/items': batch('Upsert item master records', 'Item', 'Keyed by system and sku.'),
      '/api/v1/corrections': batch('Ingest manual corrections', 'Correction', 'Idempotent on correctionId.'),
      '/api/v1/changes': batch('Ingest change-log entries', 'Change', 'Drawn as annotations on every trend chart.'),
      '/api/v1/kpis': {
        get: {
          summary: 'KPIs of SPEC section 4 for a window',
          security: [{ apiKey: [] }],
          parameters: [
            { name: 'from', in: 'query', schema: { type: 'string', format: 'date-time' }, description: 'Start (inclusive); default to − 24 h.' },
            { name: 'to', in: 'query', schema: { type: 'string', format: 'date-time' }, description: 'End (exclusive); default now.' },
            { name: 'facility', in: 'query', schema: { type: 'string' } },
            { name: 'txType', in: 'query', schema: { type: 'string', enum: [...TX_TYPES] } },
          ],
          responses: {
            '200': { description: 'Rates as fractions 0–1, durations in ms, timestamps ISO 8601 UTC.', content: { 'application/json': { schema: { type: 'object' } } } },
            '400': errors['400'],
            '401': errors['401'],
          },
        },
      },
    },
  };
}
