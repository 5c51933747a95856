/**
 * The alert routes of SPEC 9 through their handlers with API keys: the configuration put and read
 * back (secrets masked), alerts by state, acknowledge (admin key) with its 404, 409 and 422.
 * Sessions per role: e2e/authz-matrix.spec.ts, from lib/auth/route-policy.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { send } from '@/lib/testing/send';
import { testMessage } from '@/lib/testing/records';
import { testDb } from '@/lib/testing/db';
import { createApiKey } from '@/lib/auth/api-keys';
import { evaluateAlerts } from '@/lib/alerts/evaluate';

const h = testDb();
type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
const keys = { read: '', admin: '' };
beforeAll(async () => {
  keys.read = (await createApiKey(h.db, 'reader', ['read'])).key;
  keys.admin = (await createApiKey(h.db, 'ops-bot', ['admin'])).key;
});

async function call(
  load: () => Promise<unknown>,
  method: string,
  url: string,
  key: string,
  body?: unknown,
  params: Record<string, string> = {},
) {
  const res = await ((await load()) as Handler)(
    new Request(`http://test${url}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    }),
    { params: Promise.resolve(params) },
  );
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown> & { error?: { details: unknown[] } },
  };
}
const config = async () => (await import('@/app/api/v1/alert-config/route')) as unknown as Record<string, Handler>;
const list = async () => (await import('@/app/api/v1/alerts/route')).GET;
const ack = async () => (await import('@/app/api/v1/alerts/[id]/acknowledge/route')).POST;

const file = {
  channels: [{ id: 'hook', type: 'webhook', url: 'http://127.0.0.1:9/h', secret: 'topsecret' }],
  rules: [{ id: 'open', name: 'Open exceptions', kind: 'open_exceptions', threshold: 0, channels: ['hook'] }],
};

describe('/api/v1/alert-config and /api/v1/alerts', () => {
  it('puts a file (admin key), reads it back masked, lists and acknowledges alerts', async () => {
    const put = await call(async () => (await config()).PUT, 'PUT', '/api/v1/alert-config', keys.admin, file);
    expect(put).toEqual({ status: 200, body: { created: ['channel:hook', 'rule:open'], updated: [], unchanged: [] } });
    const bad = await call(async () => (await config()).PUT, 'PUT', '/api/v1/alert-config', keys.admin, {
      rules: [{ ...file.rules[0] }, { ...file.rules[0], id: 'x', threshold: 'high' }],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error?.details).toEqual(['rules[1].threshold: expected a number']);
    expect((await call(async () => (await config()).PUT, 'PUT', '/api/v1/alert-config', keys.admin, '{')).status).toBe(
      400,
    );

    const got = await call(async () => (await config()).GET, 'GET', '/api/v1/alert-config', keys.admin);
    expect(got.body.channels).toEqual([
      { id: 'hook', type: 'webhook', enabled: true, url: 'http://127.0.0.1:9/h', secret: '********' },
    ]);
    const secret = await call(
      async () => (await config()).GET,
      'GET',
      '/api/v1/alert-config?withSecrets=true',
      keys.admin,
    );
    expect((secret.body.channels as { secret: string }[])[0].secret).toBe('topsecret');

    await send(h.db, [testMessage('X1', new Date(Date.now() - 60_000).toISOString(), { status: 'failed' })]);
    await evaluateAlerts(h.db);
    const firing = await call(list, 'GET', '/api/v1/alerts?state=firing', keys.read);
    expect(firing.status).toBe(200);
    const [alert] = firing.body.alerts as { id: number; state: string; value: number; ruleId: string }[];
    expect(alert).toMatchObject({ ruleId: 'open', state: 'firing', value: 1, acknowledgedBy: null });
    expect((await call(list, 'GET', '/api/v1/alerts?state=normal', keys.read)).body).toEqual({ alerts: [] });
    expect((await call(list, 'GET', '/api/v1/alerts', keys.read)).body.alerts).toHaveLength(1);
    const badState = await call(list, 'GET', '/api/v1/alerts?state=burning', keys.read);
    expect(badState.status).toBe(400);
    expect(badState.body.error?.details).toEqual(['state: expected one of normal, pending, firing']);

    const id = String(alert.id);
    const badNote = await call(ack, 'POST', `/api/v1/alerts/${id}/acknowledge`, keys.admin, { note: 5 }, { id });
    expect(badNote.status).toBe(422);
    expect(badNote.body.error?.details).toEqual(['note: expected a string']);
    const ok = await call(ack, 'POST', `/api/v1/alerts/${id}/acknowledge`, keys.admin, { note: 'looking' }, { id });
    expect(ok.status).toBe(200);
    expect(ok.body.alert).toMatchObject({ id: alert.id, state: 'firing', acknowledgedBy: 'key ops-bot' });
    expect((await call(ack, 'POST', `/api/v1/alerts/${id}/acknowledge`, keys.admin, { note: '' }, { id })).status).toBe(
      409,
    );
    expect(
      (await call(ack, 'POST', '/api/v1/alerts/424242/acknowledge', keys.admin, {}, { id: '424242' })).status,
    ).toBe(404);
    expect((await call(ack, 'POST', '/api/v1/alerts/abc/acknowledge', keys.admin, {}, { id: 'abc' })).status).toBe(404);
    // A read key may not acknowledge, nor read the configuration.
    expect((await call(ack, 'POST', `/api/v1/alerts/${id}/acknowledge`, keys.read, {}, { id })).status).toBe(403);
    expect((await call(async () => (await config()).GET, 'GET', '/api/v1/alert-config', keys.read)).status).toBe(403);
  });
});

describe('the OpenAPI document', () => {
  it('has the alert routes, their schemas from the zod schemas', async () => {
    const { openApiDocument } = await import('@/lib/api/openapi');
    const { alertsOpenApi } = await import('@/lib/alerts/openapi');
    const doc = openApiDocument('/', alertsOpenApi());
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/alerts', '/api/v1/alerts/{id}/acknowledge', '/api/v1/alert-config']),
    );
    const cfg = (doc.components.schemas as Record<string, unknown>).AlertConfig as {
      properties: Record<string, unknown>;
    };
    expect(Object.keys(cfg.properties)).toEqual(['channels', 'rules', 'silences']);
    expect(JSON.stringify(cfg)).toContain('escalateAfter');
  });
});
