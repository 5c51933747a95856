/**
 * The OpenAPI 3.1 document of the v1 API, generated from the zod schemas that validate requests.
 */
import { z } from 'zod';
import {
  changeRecord,
  correctionRecord,
  errorBody,
  ingestResult,
  itemRecord,
  messageRecord,
  MAX_RECORDS,
  snapshotBody,
  snapshotRow,
} from '@/lib/api/schemas';
import {
  reconciliationDifference,
  reconciliationRequest,
  reconciliationStatus,
  snapshotCsvOptions,
  snapshotResult,
} from '@/lib/api/recon-schemas';
import { TX_TYPES } from '@/db/schema';

/** A component schema: the JSON Schema zod generates, without its document wrapper. */
function schemaOf(s: z.ZodType, name: string) {
  const {
    $schema: _s,
    $defs,
    ...rest
  } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown> & {
    $defs?: Record<string, unknown>;
  };
  return $defs?.[name] ?? rest;
}

const errors = {
  '400': {
    description: 'The body or a parameter is malformed.',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  },
  '401': {
    description: 'Missing, wrong or revoked API key.',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  },
  '403': {
    description:
      "The API key lacks this operation's scope: error code `insufficient_scope`. Feeds (POST) need `ingest`, reads (GET) need `read`.",
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  },
  '413': {
    description: `More than ${MAX_RECORDS} records or 10 MB.`,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  },
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
          'application/json': {
            schema: { type: 'array', maxItems: MAX_RECORDS, items: { $ref: `#/components/schemas/${ref}` } },
          },
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

/** Paths and schemas documented beside the feeds (the alert routes of SPEC 9, from lib/alerts). */
export interface OpenApiExtra {
  paths: Record<string, unknown>;
  schemas: Record<string, unknown>;
}

export function openApiDocument(serverUrl = '/', extra: OpenApiExtra = { paths: {}, schemas: {} }) {
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
        'a delay mean or percentile over no delivered message is `null`; the p95 is exact up to 20,000 delivered messages in the window and comes from a 0.95%-accurate log-bucket sketch above that; ' +
        "text Postgres cannot store (a NUL character, or half a UTF-16 surrogate pair such as a lone \\ud800 escape) in any text field or the payload of any feed makes that record (or snapshot row) rejected with its reason, never a 5xx; in the quarantine a rejected record's key and a NUL sent as a raw byte read U+FFFD; " +
        'timestamps are stored to the microsecond, a finer fraction rounded to the nearest (ties to even) as Postgres rounds it, and `updatedAt` is compared as stored; ' +
        'a quantity may have at most 131,072 digits before the decimal point and 16,383 after it (Postgres numeric), and past that the record is rejected; ' +
        'a payload may nest arrays and objects at most 1,000 levels deep, and past that the record is rejected; a record nested so deep (thousands of levels) that it cannot be written out again to be kept makes the whole request a 400, with nothing stored; ' +
        'hourly and daily rollups use UTC; KPI window bounds are read to the microsecond, as timestamps are stored; an NDJSON line that is not JSON is a rejected record, a JSON body that is not JSON is a 400; ' +
        'corrections keep the first record of a `correctionId` (later ones, in the same batch or another, count as unchanged), items and changes take the last one sent; ' +
        'a snapshot is stored whole or not at all (any invalid row rejects it with 422, every rejected row listed and kept in the quarantine); ' +
        'reconciliation: positions both systems count in the same unit with the same quantity agree whatever the unit; a UOM the ERP item master does not know makes a `uom` difference where the sides disagree (its quantity is compared as counted); ' +
        'a SKU without an ERP item compares as counted, and differing units then make a `uom` difference; an unjoined position with quantity 0 is no difference; ' +
        "a difference's suspected source is the txType of the latest message of its SKU and facility created before the WMS snapshot, by createdAt and then messageId; " +
        "a difference's value uses the current ERP unit cost; `mismatchValue` is left out of /api/v1/kpis for signed-in roles without money (ops, IT); " +
        'a message that changes fields of a data object reports them in its payload, as `{ "field": "inventory.location", "value": … }` or `{ "changes": [{ "field", "value" }] }` (the names of the ownership matrix), made by the system that sent it: ' +
        'the ownership check flags a change by the system that does not own the field, and a shared field the two systems changed to different values within 24 hours; ' +
        'lifecycle checks follow each document (`correlationKey`) through its flow (purchase_order → receipt → putaway; order_release → pick → shipment; lines by `lineKey`).',
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An API key from `npm run cli -- api-key create <name> [--scope ingest,read,admin]` or the admin page. ' +
            'A key holds scopes: `ingest` (POST feeds and imports), `read` (GET KPIs, reconciliations and alerts), `admin` (alert configuration and acknowledge, settings); ' +
            'a new key has `ingest` and `read`. A key used outside its scopes gets 403 `insufficient_scope`.',
        },
      },
      schemas: {
        Message: schemaOf(messageRecord, 'Message'),
        Item: schemaOf(itemRecord, 'Item'),
        Correction: schemaOf(correctionRecord, 'Correction'),
        Change: schemaOf(changeRecord, 'Change'),
        IngestResult: schemaOf(ingestResult, 'IngestResult'),
        Snapshot: schemaOf(snapshotBody, 'Snapshot'),
        SnapshotRow: schemaOf(snapshotRow, 'SnapshotRow'),
        SnapshotResult: schemaOf(snapshotResult, 'SnapshotResult'),
        ReconciliationRequest: schemaOf(reconciliationRequest, 'ReconciliationRequest'),
        Reconciliation: schemaOf(reconciliationStatus, 'Reconciliation'),
        ReconciliationDifference: schemaOf(reconciliationDifference, 'ReconciliationDifference'),
        Error: schemaOf(errorBody, 'Error'),
        ...extra.schemas,
      },
    },
    paths: {
      '/api/v1/messages': batch(
        'Ingest integration messages',
        'Message',
        'Idempotent and order-independent: a record replaces the stored one only when its `updatedAt` is later. One transaction per batch.',
      ),
      '/api/v1/items': batch('Upsert item master records', 'Item', 'Keyed by system and sku.'),
      '/api/v1/corrections': batch('Ingest manual corrections', 'Correction', 'Idempotent on correctionId.'),
      '/api/v1/changes': batch('Ingest change-log entries', 'Change', 'Drawn as annotations on every trend chart.'),
      '/api/v1/snapshots': {
        post: {
          summary: 'Store an on-hand snapshot (up to 1,000,000 rows, streamed)',
          description:
            'JSON `{ system, facility, takenAt, rows }` (header fields before or after the rows), or `text/csv` with `system`, `facility` and `takenAt` in the query, a header row, and optional column mapping `col.sku=Item%20No` (also col.location, col.lot, col.uom, col.quantity). ' +
            'One snapshot per system, facility and takenAt: the same one sent again changes nothing (200 `unchanged`). ' +
            'A CSV file may lack a UOM column (`default.uom`, else the ERP base UOM of each SKU); other columns, dates ' +
            'included, are ignored. Quantities are kept as written, negative ones too; negative quantities and ' +
            'repeated positions (summed by reconciliation) are listed in `warnings`.',
          security: [{ apiKey: [] }],
          parameters: [
            { name: 'system', in: 'query', schema: { type: 'string', enum: ['erp', 'wms'] }, description: 'CSV only.' },
            { name: 'facility', in: 'query', schema: { type: 'string' }, description: 'CSV only.' },
            { name: 'takenAt', in: 'query', schema: { type: 'string', format: 'date-time' }, description: 'CSV only.' },
            ...Object.entries(
              (schemaOf(snapshotCsvOptions, 'x') as { properties: Record<string, { description?: string }> })
                .properties,
            ).map(([name, schema]) => ({
              name,
              in: 'query',
              schema,
              description: `CSV only. ${schema.description ?? ''}`,
            })),
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/Snapshot' } },
              'text/csv': { schema: { type: 'string' } },
            },
          },
          responses: {
            '200': {
              description:
                'Already stored with the same rows (in any order): `unchanged: true`, the stored id, nothing written.',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/SnapshotResult' } } },
            },
            '201': {
              description: 'Stored.',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/SnapshotResult' } } },
            },
            '409': {
              description:
                'A snapshot of this system, facility and takenAt is stored with other rows; nothing was changed.',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
            },
            '422': {
              description:
                'Invalid header or rows: nothing stored; `details` lists `{ index, line?, errors }` per row (first 1,000), `rejectedCount` counts them all, `quarantine` names where they are kept.',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
            },
            ...errors,
          },
        },
      },
      '/api/v1/reconciliations': {
        post: {
          summary: 'Start a reconciliation of a facility',
          description:
            'Compares the latest ERP and WMS snapshots of the facility as a background job; one at a time per facility (409 with `runId` of the active one). ' +
            "SKUs are compared under the facility's SKU matching rules (set by an admin), which `skuMatching` overrides for this run; the rules used are kept on the run.",
          security: [{ apiKey: [] }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ReconciliationRequest' } } },
          },
          responses: {
            '202': {
              description: '`{ id, status: "queued" }`',
              content: { 'application/json': { schema: { type: 'object' } } },
            },
            '409': {
              description: 'Already running for this facility.',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
            },
            '422': {
              description: 'No ERP or no WMS snapshot of the facility yet.',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
            },
            '400': errors['400'],
            '401': errors['401'],
            '403': errors['403'],
          },
        },
      },
      '/api/v1/reconciliations/{id}': {
        get: {
          summary: 'State and progress of a reconciliation',
          security: [{ apiKey: [] }],
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
          responses: {
            '200': {
              description: 'counts: differences by kind once succeeded.',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Reconciliation' } } },
            },
            '404': {
              description: 'No such run.',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
            },
            '401': errors['401'],
            '403': errors['403'],
          },
        },
      },
      '/api/v1/reconciliations/{id}/differences': {
        get: {
          summary: "A run's differences, 1,000 a page",
          description: "Each with both sides' SKUs as written (`erpSku`, `wmsSku`); ordered by id.",
          security: [{ apiKey: [] }],
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'integer' } },
            { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } },
          ],
          responses: {
            '200': {
              description: '`{ differences, page, pages, total }`',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      differences: { type: 'array', items: { $ref: '#/components/schemas/ReconciliationDifference' } },
                      page: { type: 'integer' },
                      pages: { type: 'integer' },
                      total: { type: 'integer' },
                    },
                  },
                },
              },
            },
            '404': {
              description: 'No such run.',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
            },
            '401': errors['401'],
            '403': errors['403'],
          },
        },
      },
      '/api/v1/kpis': {
        get: {
          summary: 'KPIs of SPEC section 4 for a window',
          security: [{ apiKey: [] }],
          parameters: [
            {
              name: 'from',
              in: 'query',
              schema: { type: 'string', format: 'date-time' },
              description:
                'Start (inclusive); default to − 24 h. Both ends lie between 1900-01-01T00:00:00Z and 9999-01-01T00:00:00Z (a window is read in whole days and weeks, and Postgres reads no later year); outside, a 400 names the field.',
            },
            {
              name: 'to',
              in: 'query',
              schema: { type: 'string', format: 'date-time' },
              description: 'End (exclusive); default now.',
            },
            { name: 'facility', in: 'query', schema: { type: 'string' } },
            { name: 'txType', in: 'query', schema: { type: 'string', enum: [...TX_TYPES] } },
          ],
          responses: {
            '200': {
              description: 'Rates as fractions 0–1, durations in ms, timestamps ISO 8601 UTC.',
              content: { 'application/json': { schema: { type: 'object' } } },
            },
            '400': errors['400'],
            '401': errors['401'],
            '403': errors['403'],
          },
        },
      },
      ...extra.paths,
    },
  };
}
