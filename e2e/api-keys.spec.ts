import { expect, test } from '@playwright/test';
import { apiWithKey, cliApiKey } from './api-client';
import { storageStateFor } from './roles';

test.use({ storageState: storageStateFor('admin') });

test('an admin creates an API key that ingests and reads KPIs, then revokes it', async ({
  page,
  playwright,
  baseURL,
}) => {
  await page.goto('/admin');
  const name = `e2e-key-${Date.now()}`;
  await page.getByLabel('Key name (e.g. the middleware host)').fill(name);
  await page.getByRole('button', { name: 'Create key' }).click();
  const key = (await page.getByTestId('new-api-key').textContent())!.trim();
  expect(key).toMatch(/^shk_/);

  const api = await apiWithKey(playwright, baseURL, key);
  const now = new Date();
  const res = await api.post('/api/v1/messages', {
    data: [
      {
        messageId: `E2E-${name}`,
        txType: 'receipt',
        direction: 'wms_to_erp',
        facility: 'E2E',
        status: 'delivered',
        createdAt: now.toISOString(),
        processedAt: now.toISOString(),
      },
      { messageId: `E2E-${name}-bad`, txType: 'receipt' },
    ],
  });
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body.accepted).toBe(1);
  expect(body.rejected[0].errors).toContain('direction: is required');
  const kpis = await (await api.get('/api/v1/kpis?facility=E2E')).json();
  expect(kpis.messages).toBeGreaterThanOrEqual(1);

  await page.reload();
  await page.getByTestId('api-key-row').filter({ hasText: name }).getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByTestId('api-key-row').filter({ hasText: name })).toContainText('revoked');
  const after = await api.get('/api/v1/kpis');
  expect(after.status()).toBe(401);
  await api.dispose();
});

test('npm run cli creates a key while the server holds the embedded database', async ({ playwright, baseURL }) => {
  const key = cliApiKey(`cli-${Date.now()}`);
  expect(key).toMatch(/^shk_/);
  const api = await apiWithKey(playwright, baseURL, key);
  expect((await api.get('/api/v1/kpis')).status()).toBe(200);
  await api.dispose();
});

test('an admin makes a read-only key with the scope checkboxes; it reads KPIs and may not ingest', async ({
  page,
  playwright,
  baseURL,
}) => {
  await page.goto('/admin');
  const name = `e2e-read-${Date.now()}`;
  const form = page.getByTestId('key-form');
  const scopes = form.getByRole('group', { name: 'Scopes' });
  // The default is SPEC 7's: ingest and read ticked, admin not.
  await expect(scopes.getByRole('checkbox', { name: 'ingest' })).toBeChecked();
  await expect(scopes.getByRole('checkbox', { name: 'read' })).toBeChecked();
  await expect(scopes.getByRole('checkbox', { name: 'admin' })).not.toBeChecked();
  await form.getByLabel('Key name (e.g. the middleware host)').fill(name);
  // By keyboard: focus the box and toggle it with the space bar.
  await scopes.getByRole('checkbox', { name: 'ingest' }).focus();
  await page.keyboard.press('Space');
  await expect(scopes.getByRole('checkbox', { name: 'ingest' })).not.toBeChecked();
  await form.getByRole('button', { name: 'Create key' }).click();
  await expect(form.getByRole('status')).toContainText('with scopes read');
  const key = (await page.getByTestId('new-api-key').textContent())!.trim();

  const api = await apiWithKey(playwright, baseURL, key);
  expect((await api.get('/api/v1/kpis')).status()).toBe(200);
  const refused = await api.post('/api/v1/messages', { data: [] });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.code).toBe('insufficient_scope');
  await api.dispose();

  await page.reload();
  await expect(page.getByTestId('api-key-row').filter({ hasText: name })).toContainText('read');
  await expect(page.getByTestId('api-key-row').filter({ hasText: name })).not.toContainText('ingest');
});
