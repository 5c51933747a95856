import { expect, test, type APIRequestContext } from '@playwright/test';
import { apiWithKey, cliApiKey } from './api-client';
import { storageStateFor } from './roles';

/**
 * Cross-site request forgery (issue 27, hole 4): a page on another site makes a signed-in admin's
 * browser send a change with the session cookie. Every cookie-authenticated POST, PUT, PATCH and
 * DELETE must come from this site (Origin, else Sec-Fetch-Site, else Referer) with a body of a type
 * the route reads (lib/auth/csrf.ts); a request with an API key is no such request.
 */
const EVIL = 'https://evil.example';

test.describe('signed-in changes from another site', () => {
  let admin: APIRequestContext;
  let own: string;
  test.beforeAll(async ({ playwright, baseURL }) => {
    admin = await playwright.request.newContext({ baseURL, storageState: storageStateFor('admin') });
    own = new URL(baseURL!).origin;
  });
  test.afterAll(async () => admin.dispose());

  const glossary = async () =>
    JSON.stringify(await (await admin.get('/api/admin/glossary', { headers: { origin: EVIL } })).json());

  test('a text/plain POST with the session cookie from another origin is refused, and changes nothing', async () => {
    const res = await admin.put('/api/admin/glossary', {
      headers: { origin: EVIL, 'content-type': 'text/plain' },
      data: JSON.stringify({ errorCode: 'CSRF_PLAIN', meaning: 'forged' }),
    });
    expect(res.status()).toBe(403);
    expect(await res.json()).toEqual({
      error: {
        code: 'cross_origin',
        message: expect.stringContaining('API key'),
        details: [`The request came from another origin (${EVIL}).`],
      },
    });
    expect(await glossary()).not.toContain('CSRF_PLAIN');
  });

  test('JSON from another origin, a null origin, another site, or a request saying nothing: refused on every kind of route', async () => {
    const json = { 'content-type': 'application/json' };
    const users = async () => (await admin.get('/api/export/admin/users')).text();
    const usersBefore = await users();
    const attempts: [string, () => Promise<{ status(): number; json(): Promise<unknown> }>][] = [
      [
        'PUT glossary',
        () =>
          admin.put('/api/admin/glossary', {
            headers: { ...json, origin: EVIL },
            data: { errorCode: 'CSRF_JSON', meaning: 'x' },
          }),
      ],
      [
        'PUT glossary, Origin null',
        () =>
          admin.put('/api/admin/glossary', {
            headers: { ...json, origin: 'null' },
            data: { errorCode: 'CSRF_JSON', meaning: 'x' },
          }),
      ],
      [
        'PUT glossary, same-site',
        () =>
          admin.put('/api/admin/glossary', {
            headers: { ...json, 'sec-fetch-site': 'same-site' },
            data: { errorCode: 'CSRF_JSON', meaning: 'x' },
          }),
      ],
      [
        'PUT glossary, no Origin',
        () => admin.put('/api/admin/glossary', { headers: json, data: { errorCode: 'CSRF_JSON', meaning: 'x' } }),
      ],
      [
        'PATCH user',
        () => admin.patch('/api/admin/users/1', { headers: { ...json, origin: EVIL }, data: { disabled: true } }),
      ],
      ['DELETE glossary', () => admin.delete('/api/admin/glossary?errorCode=TIMEOUT', { headers: { origin: EVIL } })],
      ['POST rollup rebuild', () => admin.post('/api/admin/rollup-rebuilds', { headers: { origin: EVIL } })],
      [
        'POST profile',
        () => admin.post('/api/imports/profiles', { headers: { ...json, origin: EVIL }, data: { name: 'csrf' } }),
      ],
      ['DELETE profile', () => admin.delete('/api/imports/profiles?name=csrf', { headers: { origin: EVIL } })],
      [
        'POST profile preview',
        () =>
          admin.post('/api/imports/profiles/preview', {
            headers: { ...json, origin: EVIL },
            data: { profile: {}, sample: '' },
          }),
      ],
      [
        'POST reconciliation',
        () => admin.post('/api/v1/reconciliations', { headers: { ...json, origin: EVIL }, data: { facility: 'DC1' } }),
      ],
      [
        'POST snapshot',
        () =>
          admin.post('/api/v1/snapshots?system=erp&facility=DC1&takenAt=2026-01-01T00:00:00Z', {
            headers: { 'content-type': 'text/csv', origin: EVIL },
            data: 'sku,location,lot,uom,quantity\nA,L,,EA,1\n',
          }),
      ],
      [
        'POST import (multipart)',
        () =>
          admin.post('/api/v1/imports/oca-queue-job?direction=erp_to_wms', {
            headers: { origin: EVIL },
            multipart: { file: { name: 'jobs.json', mimeType: 'application/json', buffer: Buffer.from('[]') } },
          }),
      ],
    ];
    for (const [what, send] of attempts) {
      const res = await send();
      expect(res.status(), what).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code, what).toBe('cross_origin');
    }
    expect(await glossary()).not.toContain('CSRF_JSON');
    expect(await glossary()).toContain('"TIMEOUT"');
    expect(await users()).toBe(usersBefore);
  });

  test('from this site: JSON is accepted, another body type is a 415, and a change without a body passes', async () => {
    const put = await admin.put('/api/admin/glossary', {
      headers: { origin: own, 'content-type': 'application/json' },
      data: { errorCode: 'CSRF_OK', meaning: 'sent from this site' },
    });
    expect(put.status()).toBe(201);
    const plain = await admin.put('/api/admin/glossary', {
      headers: { origin: own, 'content-type': 'text/plain' },
      data: JSON.stringify({ errorCode: 'CSRF_OK2', meaning: 'x' }),
    });
    expect(plain.status()).toBe(415);
    expect((await plain.json()).error).toMatchObject({
      code: 'unsupported_media_type',
      details: ['content-type: text/plain'],
    });
    // Without Origin, the browser's Sec-Fetch-Site (or a Referer of this site) says where it came from.
    const viaFetchSite = await admin.delete('/api/admin/glossary?errorCode=CSRF_OK', {
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    expect(viaFetchSite.status()).toBe(200);
    expect(await glossary()).not.toContain('CSRF_OK');
  });

  test('an API key is no ambient credential: a key sent from anywhere is served', async ({ playwright, baseURL }) => {
    const api = await apiWithKey(playwright, baseURL, cliApiKey('e2e-csrf'));
    const res = await api.post('/api/v1/reconciliations', {
      headers: { origin: EVIL, 'content-type': 'application/json' },
      data: { facility: 'DC1' },
    });
    expect(res.status()).toBe(202);
    await api.dispose();
  });
});

test("the browser's own forms and fetches still work, and a forged server action saves nothing", async ({
  browser,
  playwright,
  baseURL,
}) => {
  const context = await browser.newContext({ storageState: storageStateFor('admin') });
  const page = await context.newPage();
  // The glossary form's server action is held back and sent again from "another site".
  let held: { headers: Record<string, string>; body: Buffer } | undefined;
  await page.route('**/admin', async (route) => {
    const req = route.request();
    if (req.method() !== 'POST' || !req.headers()['next-action'] || held) return route.continue();
    held = { headers: req.headers(), body: req.postDataBuffer()! };
    return route.abort();
  });
  await page.goto('/admin');
  const form = page.getByTestId('glossary-form');
  await form.getByLabel('Error code').fill('CSRF_ACTION');
  await form.getByLabel('Meaning').fill('Written by e2e/csrf.spec.ts.');
  await form.getByRole('button', { name: 'Save entry' }).click();
  await expect.poll(() => held).toBeDefined();
  const request = await playwright.request.newContext({ baseURL, storageState: storageStateFor('admin') });
  const codes = async () => JSON.stringify(await (await request.get('/api/admin/glossary')).json());
  const names = ['next-action', 'next-router-state-tree', 'content-type', 'accept'];
  const headers = Object.fromEntries(names.map((h) => [h, held!.headers[h]]).filter(([, v]) => v));
  const forged = await request.post('/admin', {
    headers: { ...headers, origin: EVIL },
    data: held!.body,
    maxRedirects: 0,
  });
  expect(forged.status()).toBe(403);
  expect(await codes()).not.toContain('CSRF_ACTION');
  // The same action from this site saves.
  const own = await request.post('/admin', {
    headers: { ...headers, origin: new URL(baseURL!).origin },
    data: held!.body,
  });
  expect(own.status()).toBe(200);
  expect(await codes()).toContain('CSRF_ACTION');
  await request.delete('/api/admin/glossary?errorCode=CSRF_ACTION', { headers: { origin: new URL(baseURL!).origin } });
  await request.dispose();
  await context.close();
});
