import { expect, test } from '@playwright/test';
import { storageStateFor } from './roles';

test.use({ storageState: storageStateFor('admin') });

/** The default levels of failedMessageRate (lib/bootstrap.ts): amber at 1%, red at 3%. */
const byDefault = (rate: number) => (rate >= 0.03 ? 'bad' : rate >= 0.01 ? 'warn' : 'ok');

test('an admin gives one facility its own failure-rate levels, and its tile turns red; removed, the default applies again', async ({
  page,
}) => {
  const res = await page.request.get('/api/v1/kpis?facility=DC1');
  const rate: number = (await res.json()).failedMessageRate;
  expect(rate).toBeGreaterThan(0);
  // Levels below DC1's rate: amber at half of it, red at three quarters (in %, as the form asks).
  const amber = Number((rate * 50).toFixed(3));
  const red = Number((rate * 75).toFixed(3));

  await page.goto('/admin');
  const form = page.getByTestId('threshold-form');
  await form.getByLabel('KPI').selectOption({ label: 'Failed message rate' });
  await form.getByLabel('Facility').selectOption('DC1');
  // What applies now fills in: DC1 has no levels of its own, so the default's.
  await expect(form.getByLabel('Amber at (%)')).toHaveValue('1');
  await expect(form.getByLabel('Red at (%)')).toHaveValue('3');

  // Red below amber when higher is worse: a field error, nothing saved.
  await form.getByLabel('Amber at (%)').fill(String(red));
  await form.getByLabel('Red at (%)').fill(String(amber));
  await form.getByRole('button', { name: 'Save threshold' }).click();
  await expect(form.locator('#threshold-red-error')).toContainText('must be at least amber');
  await expect(form.getByLabel('Red at (%)')).toHaveAttribute('aria-invalid', 'true');
  const rows = page.getByTestId('threshold-row').filter({ hasText: 'Failed message rate' });
  await expect(rows).toHaveCount(1);

  await form.getByLabel('Amber at (%)').fill(String(amber));
  await form.getByLabel('Red at (%)').fill(String(red));
  await form.getByRole('button', { name: 'Save threshold' }).click();
  await expect(form.getByRole('status')).toContainText('Added the threshold of failedMessageRate for DC1.');
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: 'DC1' })).toContainText(`${amber.toFixed(2)}%`);
  await page.screenshot({ path: 'test-results/screens/admin-thresholds.png', fullPage: true });

  try {
    await page.goto('/?facility=DC1');
    await expect(page.getByTestId('tile-failedMessageRate')).toHaveAttribute('data-tone', 'bad');
    // Another facility keeps the default.
    const dc2: number = (await (await page.request.get('/api/v1/kpis?facility=DC2')).json()).failedMessageRate;
    await page.goto('/?facility=DC2');
    await expect(page.getByTestId('tile-failedMessageRate')).toHaveAttribute('data-tone', byDefault(dc2));
  } finally {
    await page.goto('/admin');
    await page.getByRole('button', { name: 'Remove the threshold of Failed message rate for DC1' }).click();
    await expect(rows).toHaveCount(1);
  }
  const now: number = (await (await page.request.get('/api/v1/kpis?facility=DC1')).json()).failedMessageRate;
  await page.goto('/?facility=DC1');
  await expect(page.getByTestId('tile-failedMessageRate')).toHaveAttribute('data-tone', byDefault(now));
});
