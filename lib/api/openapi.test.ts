import { describe, expect, it } from 'vitest';
import { openApiDocument } from './openapi';
import { messageRecord } from '@/lib/api/schemas';

describe('OpenAPI document', () => {
  it('is 3.1 and derives the message schema from the zod schema that validates requests', () => {
    const doc = openApiDocument();
    expect(doc.openapi).toBe('3.1.0');
    const message = doc.components.schemas.Message as {
      properties: Record<string, { enum?: string[] }>;
      required: string[];
    };
    expect(Object.keys(message.properties)).toEqual(Object.keys(messageRecord.shape));
    expect(message.required).toEqual(
      expect.arrayContaining(['messageId', 'txType', 'direction', 'facility', 'status', 'createdAt']),
    );
    expect(message.properties.status.enum).toEqual(['pending', 'retrying', 'delivered', 'failed', 'dead_letter']);
    expect(Object.keys(doc.paths)).toEqual([
      '/api/v1/messages',
      '/api/v1/items',
      '/api/v1/corrections',
      '/api/v1/changes',
      '/api/v1/snapshots',
      '/api/v1/reconciliations',
      '/api/v1/reconciliations/{id}',
      '/api/v1/reconciliations/{id}/differences',
      '/api/v1/kpis',
    ]);
    expect(doc.components.schemas.SnapshotRow).toMatchObject({
      required: expect.arrayContaining(['sku', 'uom', 'quantity']),
    });
    expect(JSON.stringify(doc)).not.toContain('"$defs"');
  });

  it('documents the SPEC 10 snapshot options and SKU matching fields', () => {
    const doc = openApiDocument();
    const schemas = doc.components.schemas as unknown as Record<string, { properties: Record<string, unknown> }>;
    const params = (doc.paths['/api/v1/snapshots'] as { post: { parameters: { name: string }[] } }).post.parameters;
    expect(params.map((p) => p.name)).toEqual(expect.arrayContaining(['default.uom', 'decimal']));
    expect(Object.keys(schemas.SnapshotResult.properties)).toEqual(
      expect.arrayContaining(['warnings', 'warningCount']),
    );
    expect(schemas.ReconciliationRequest.properties.skuMatching).toBeTruthy();
    expect(JSON.stringify(schemas.ReconciliationRequest)).toContain('ignoreLeadingZeros');
    expect(Object.keys(schemas.Reconciliation.properties)).toEqual(
      expect.arrayContaining(['matchedByRule', 'skuMatching']),
    );
    expect(Object.keys(schemas.ReconciliationDifference.properties)).toEqual(
      expect.arrayContaining(['sku', 'erpSku', 'wmsSku']),
    );
  });
});
