import { expect, test } from '@playwright/test';
import { apiWithKey } from './api-client';
import { storageStateFor } from './roles';

test.use({ storageState: storageStateFor('manager') });

test('wall tiles refresh on their own when messages arrive, and turn stale when the server stops answering', async ({
  page,
  browser,
  playwright,
  baseURL,
}) => {
  // An API key for the "middleware", made by an admin.
  const admin = await browser.newContext({ storageState: storageStateFor('admin') });
  const adminPage = await admin.newPage();
  await adminPage.goto('/admin');
  await adminPage.getByLabel('Key name (e.g. the middleware host)').fill(`tiles-${Date.now()}`);
  await adminPage.getByRole('button', { name: 'Create key' }).click();
  const key = (await adminPage.getByTestId('new-api-key').textContent())!.trim();
  await admin.close();

  await page.clock.install();
  await page.goto('/tiles?facility=WALL');
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
  const value = page.getByTestId('tile-messages').getByTestId('tile-value');
  await expect(value).toHaveText('0');

  const api = await apiWithKey(playwright, baseURL, key);
  const now = Date.now();
  const batch = Array.from({ length: 7 }, (_, i) => ({
    messageId: `WALL-${now}-${i}`,
    txType: 'shipment',
    direction: 'wms_to_erp',
    facility: 'WALL',
    status: i === 0 ? 'failed' : 'delivered',
    createdAt: new Date(now - 60_000).toISOString(),
    processedAt: i === 0 ? null : new Date(now - 55_000).toISOString(),
  }));
  expect((await (await api.post('/api/v1/messages', { data: batch })).json()).accepted).toBe(7);
  await api.dispose();

  await page.clock.fastForward(31_000);
  await expect(value).toHaveText('7');
  expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(42); // no reload
  await page.screenshot({ path: 'test-results/screens/wall-tiles.png', fullPage: true });

  await page.route('**/api/tiles**', (r) => r.abort());
  await page.clock.fastForward(100_000);
  await expect(page.getByTestId('tiles-stale')).toBeVisible();
});
