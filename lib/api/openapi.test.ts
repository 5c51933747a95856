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
      '/api/v1/kpis',
    ]);
    expect(doc.components.schemas.SnapshotRow).toMatchObject({
      required: expect.arrayContaining(['sku', 'uom', 'quantity']),
    });
    expect(JSON.stringify(doc)).not.toContain('"$defs"');
  });
});
