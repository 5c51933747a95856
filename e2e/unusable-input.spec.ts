import { expect, test } from '@playwright/test';
import { storageStateFor } from './roles';
import { fromThisSite } from './same-origin';

test.use({ storageState: storageStateFor('admin') });
test.use(fromThisSite);

/**
 * A NUL character (%00) in an address, or in text sent to an admin list, is something Postgres
 * refuses in any text: before these checks a page, an export and an admin list answered 500.
 * Now: a 400 that names the parameter (pages in plain text, routes in JSON), or a 422 by field.
 */
test('a NUL in a page address, an export filter or an API path is a 400 naming the part', async ({ page }) => {
  const tiles = await page.request.get('/tiles?range=24h&facility=%00');
  expect(tiles.status()).toBe(400);
  expect(await tiles.text()).toContain('facility: holds a NUL character (%00)');

  const exported = await page.request.get('/api/export/messages?tab=log&q=a%00');
  expect(exported.status()).toBe(400);
  expect(await exported.json()).toEqual({
    error: {
      code: 'bad_request',
      message: expect.stringContaining('NUL character'),
      details: ['q: holds a NUL character (%00)'],
    },
  });

  const message = await page.request.get('/api/v1/messages/M%00-1');
  expect(message.status()).toBe(400);
  expect((await message.json()).error.details).toEqual(['path: holds a NUL character (%00)']);

  // The same addresses without the NUL are served.
  expect((await page.request.get('/tiles?range=24h&facility=DC1')).status()).toBe(200);
  expect((await page.request.get('/api/export/messages?tab=log&q=a')).status()).toBe(200);
});

test('a malformed percent-escape in a path is a 400 naming it, JSON on every route (the v1 API too), plain text on pages', async ({
  page,
}) => {
  // Next's router failed to decode these before any handler ran, and answered a plain-text 500.
  for (const segment of ['%ZZ', '%C0%AF', '%ED%A0%80']) {
    const detail = `path: holds a malformed percent-escape (${segment})`;
    for (const [method, path] of [
      ['PATCH', `/api/admin/users/${segment}`],
      ['GET', `/api/v1/messages/${segment}`],
      ['POST', `/api/v1/imports/${segment}`],
      ['GET', `/api/v1/reconciliations/${segment}`],
      ['DELETE', `/api/admin/${segment}`],
    ] as const) {
      const res = await page.request.fetch(path, { method, data: method === 'GET' ? undefined : {} });
      expect(res.status(), `${method} ${path}`).toBe(400);
      expect(await res.json(), `${method} ${path}`).toEqual({
        error: { code: 'bad_request', message: expect.stringContaining('malformed percent-escape'), details: [detail] },
      });
    }
    for (const path of [`/exceptions/${segment}`, `/review/${segment}`]) {
      const res = await page.request.get(path);
      expect(res.status(), path).toBe(400);
      expect(await res.text(), path).toContain(detail);
    }
  }
  // A well-formed escape still reaches its route.
  expect((await page.request.get('/exceptions/%31')).status()).not.toBe(400);
});

test('an admin list refuses text with a NUL by field, and keeps what it had', async ({ page }) => {
  const put = await page.request.put('/api/admin/glossary', { data: { errorCode: 'NUL_TEST', meaning: 'a\u0000b' } });
  expect(put.status()).toBe(422);
  expect((await put.json()).error.details).toEqual([
    'meaning: must not contain NUL (\\u0000) characters or half of a UTF-16 surrogate pair',
  ]);
  const rule = await page.request.post('/api/admin/root-cause-rules', {
    data: { priority: 7, errorCodePattern: '^NUL_TEST', category: 'timing', description: '\u0000' },
  });
  expect(rule.status()).toBe(422);
  const list = (await (await page.request.get('/api/admin/glossary')).json()) as { glossary?: { errorCode: string }[] };
  expect(JSON.stringify(list)).not.toContain('NUL_TEST');
  const rules = await (await page.request.get('/api/admin/root-cause-rules')).json();
  expect(JSON.stringify(rules)).not.toContain('^NUL_TEST');
});

test('a custom window past the years a page can show falls back to the last 24 hours and says why; the KPI API refuses it by field', async ({
  page,
}) => {
  await page.goto('/corrections?range=custom&from=2026-01-01T00:00&to=9999-12-31T23:59');
  await expect(page.getByTestId('scope-notice')).toHaveText(
    'The custom window was not used (dates must lie between 1900 and 9999); showing the last 24 hours.',
  );
  await expect(page.getByLabel('Time range')).toHaveValue('24h');
  // Thousands of years of days were a 40 s, 160 MB page, and the tiles' data a 500.
  const tiles = await page.request.get('/api/tiles?range=custom&from=0001-01-01T00:00:00Z&to=9999-12-31T23:59:59Z');
  expect(tiles.status()).toBe(200);
  await page.goto('/?range=custom&from=2020-01-01T00:00&to=2026-01-01T00:00');
  await expect(page.getByTestId('scope-notice')).toContainText('a custom window spans at most 3 years');
  const kpis = await page.request.get('/api/v1/kpis?from=2026-01-01T00:00:00Z&to=9999-12-31T23:59:59Z');
  expect(kpis.status()).toBe(400);
  expect((await kpis.json()).error.details).toEqual([
    'to: must lie between 1900-01-01T00:00:00.000Z and 9999-01-01T00:00:00.000Z',
  ]);
});

test('an address naming no record or no page says so, with ways on; a review period that is not one says which it showed', async ({
  page,
}) => {
  await page.goto('/exceptions/abc');
  await expect(page.getByTestId('not-found')).toContainText('This address names no page or record');
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible(); // inside the app's header
  await page.goto('/exceptions/99999999999');
  await expect(page.getByTestId('not-found')).toBeVisible();
  const missing = await page.goto('/no-such-page');
  expect(missing?.status()).toBe(404);
  await expect(page.getByTestId('not-found')).toBeVisible();
  await page.getByRole('link', { name: 'Exception queue' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Exception queue');

  await page.goto('/review/monthly?month=2026-13');
  await expect(page.getByTestId('review-notice')).toHaveText(
    'The month in the address was not used (month "2026-13" is not a month, YYYY-MM); showing the last whole month.',
  );
  await page.goto('/review/monthly');
  await expect(page.getByTestId('review-notice')).toHaveCount(0);
});
