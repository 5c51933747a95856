/**
 * API key scopes (SPEC 7): what createApiKey grants and refuses, what verifyApiKey returns, and every
 * route handler that takes a key answering each scope as lib/auth/route-policy.ts declares: the
 * handler itself, so a route whose `authenticate` names another scope than the policy fails here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { testDb } from '@/lib/testing/db';
import { apiKeys } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { KEY_SCOPES, ROUTE_POLICY, type KeyScope } from '@/lib/auth/route-policy';
import { createApiKey, hashApiKey, verifyApiKey } from './api-keys';

const h = testDb();

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Every route ROUTE_POLICY opens to a key, with its handler and a sample of its `[params]`. */
const KEYED: Record<string, { load: () => Promise<Handler>; params?: Record<string, string> }> = {
  'POST /api/v1/messages': { load: async () => (await import('@/app/api/v1/messages/route')).POST as Handler },
  'POST /api/v1/items': { load: async () => (await import('@/app/api/v1/items/route')).POST as Handler },
  'POST /api/v1/corrections': { load: async () => (await import('@/app/api/v1/corrections/route')).POST as Handler },
  'POST /api/v1/changes': { load: async () => (await import('@/app/api/v1/changes/route')).POST as Handler },
  'POST /api/v1/snapshots': { load: async () => (await import('@/app/api/v1/snapshots/route')).POST as Handler },
  'POST /api/v1/imports/[format]': {
    load: async () => (await import('@/app/api/v1/imports/[format]/route')).POST as Handler,
    params: { format: 'sap-idoc-status' },
  },
  'POST /api/v1/reconciliations': {
    load: async () => (await import('@/app/api/v1/reconciliations/route')).POST as Handler,
  },
  'GET /api/v1/reconciliations/[id]': {
    load: async () => (await import('@/app/api/v1/reconciliations/[id]/route')).GET as Handler,
    params: { id: '999999' },
  },
  'GET /api/v1/reconciliations/[id]/differences': {
    load: async () => (await import('@/app/api/v1/reconciliations/[id]/differences/route')).GET as Handler,
    params: { id: '999999' },
  },
  'GET /api/v1/kpis': { load: async () => (await import('@/app/api/v1/kpis/route')).GET as Handler },
  'GET /api/v1/alerts': { load: async () => (await import('@/app/api/v1/alerts/route')).GET as Handler },
  'POST /api/v1/alerts/[id]/acknowledge': {
    load: async () => (await import('@/app/api/v1/alerts/[id]/acknowledge/route')).POST as Handler,
    params: { id: '999999' },
  },
  'GET /api/v1/alert-config': { load: async () => (await import('@/app/api/v1/alert-config/route')).GET as Handler },
  'PUT /api/v1/alert-config': { load: async () => (await import('@/app/api/v1/alert-config/route')).PUT as Handler },
};

const keyed = Object.entries(ROUTE_POLICY).flatMap(([route, access]) =>
  'key' in access && access.key ? [{ route, scope: access.key }] : [],
);

/** One key per scope, and one of all three. */
const keys = {} as Record<KeyScope | 'all', string>;
beforeAll(async () => {
  for (const s of KEY_SCOPES) keys[s] = (await createApiKey(h.db, `only-${s}`, [s])).key;
  keys.all = (await createApiKey(h.db, 'all', ['ingest,read', 'admin'])).key;
});

async function call(route: string, key: string) {
  const [method, path] = route.split(' ');
  const { load, params = {} } = KEYED[route];
  const url = `http://test${path.replace(/\[(\w+)\]/g, (_, p: string) => params[p])}${method === 'POST' && path.includes('imports') ? '?dryRun=true' : ''}`;
  const res = await (
    await load()
  )(
    new Request(url, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(method === 'GET' ? {} : { body: '[]' }),
    }),
    { params: Promise.resolve(params) },
  );
  const text = await res.text();
  let code: string | undefined;
  try {
    code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
  } catch {
    /* not JSON */
  }
  return { status: res.status, code, text };
}

describe('createApiKey and verifyApiKey with scopes', () => {
  it('makes an ingest,read key by default and returns the scopes it verifies with', async () => {
    const made = await createApiKey(h.db, 'default');
    expect(made.scopes).toEqual(['ingest', 'read']);
    expect(await verifyApiKey(h.db, made.key)).toMatchObject({ name: 'default', scopes: ['ingest', 'read'] });
  });

  it('takes scopes repeated or as comma lists, once each, in a fixed order', async () => {
    const made = await createApiKey(h.db, 'several', ['admin', 'read,admin', ' ingest ']);
    expect(made.scopes).toEqual(['ingest', 'read', 'admin']);
    expect((await verifyApiKey(h.db, made.key))?.scopes).toEqual(['ingest', 'read', 'admin']);
    expect((await verifyApiKey(h.db, keys.admin))?.scopes).toEqual(['admin']);
  });

  it('refuses an unknown or empty scope with 422 naming the valid ones, and stores nothing', async () => {
    for (const scopes of [['bogus'], ['read', 'write'], [], ['']]) {
      const e = await createApiKey(h.db, 'refused', scopes).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).status).toBe(422);
      expect((e as AppError).code).toBe('validation_failed');
      expect((e as AppError).details).toEqual([
        expect.objectContaining({ field: 'scope', message: expect.stringContaining('ingest, read, admin') }),
      ]);
    }
    expect(await h.db.select().from(apiKeys).where(eq(apiKeys.name, 'refused'))).toEqual([]);
  });

  it('a key stored before scopes existed keeps ingest and read (the column default)', async () => {
    const key = 'shk_from-before-scopes-000000000000';
    await h.db.insert(apiKeys).values({ name: 'old', prefix: key.slice(0, 10), keyHash: hashApiKey(key) });
    expect((await verifyApiKey(h.db, key))?.scopes).toEqual(['ingest', 'read']);
  });
});

describe('every route a key may call answers each scope as ROUTE_POLICY declares', () => {
  it('knows the handler of every route the policy opens to a key', () => {
    expect(keyed.map((k) => k.route).sort()).toEqual(Object.keys(KEYED).sort());
  });

  for (const { route, scope } of keyed) {
    it(`${route} takes a key with ${scope}, refuses the others with 403 insufficient_scope`, async () => {
      for (const s of KEY_SCOPES) {
        const r = await call(route, keys[s]);
        if (s === scope) {
          expect(r.status, `${route} with a ${s} key: ${r.text}`).not.toBe(401);
          expect(r.code, `${route} with a ${s} key`).not.toBe('insufficient_scope');
          expect(r.status).toBeLessThan(500);
        } else {
          expect(r.status, `${route} with a ${s} key: ${r.text}`).toBe(403);
          const body = JSON.parse(r.text) as { error: { code: string; message: string; details: unknown[] } };
          expect(body.error.code).toBe('insufficient_scope');
          expect(body.error.message).toContain(`needs ${scope}`);
          expect(Array.isArray(body.error.details)).toBe(true);
        }
      }
      const all = await call(route, keys.all);
      expect(all.code).not.toBe('insufficient_scope');
      expect(all.status).not.toBe(401);
    });
  }
});
