import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { testDb } from '@/lib/testing/db';
import { apiKeys } from '@/db/schema';
import { createApiKey, hashApiKey, revokeApiKey, verifyApiKey } from './api-keys';
import { POST as postMessages } from '@/app/api/v1/messages/route';

const h = testDb();

const post = (key: string | null) =>
  postMessages(
    new Request('http://test/api/v1/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify([
        {
          messageId: 'K-1',
          txType: 'receipt',
          direction: 'wms_to_erp',
          facility: 'DC1',
          status: 'pending',
          createdAt: '2026-11-20T10:00:00Z',
        },
      ]),
    }),
  );

describe('API keys', () => {
  it('a created key authenticates and only its hash is stored', async () => {
    const { key } = await createApiKey(h.db, 'middleware');
    expect(await verifyApiKey(h.db, key)).toMatchObject({ name: 'middleware' });
    const [stored] = await h.db.select().from(apiKeys).where(eq(apiKeys.name, 'middleware'));
    expect(stored.keyHash).toBe(hashApiKey(key));
    expect(stored.keyHash).not.toContain(key);
    expect(JSON.stringify(stored)).not.toContain(key);
    const res = await post(key);
    expect(res.status).toBe(200);
  });

  it('a wrong, missing or revoked key gets 401 JSON', async () => {
    const { key } = await createApiKey(h.db, 'to-revoke');
    expect((await post(key)).status).toBe(200);
    expect(await revokeApiKey(h.db, 'to-revoke')).toBe(true);
    for (const k of [key, 'shk_wrong', null]) {
      const res = await post(k);
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe('unauthorized');
    }
    expect(await verifyApiKey(h.db, key)).toBeNull();
  });

  it('refuses a second active key of the same name', async () => {
    await createApiKey(h.db, 'twice');
    await expect(createApiKey(h.db, 'twice')).rejects.toMatchObject({ code: 'conflict' });
  });
});
