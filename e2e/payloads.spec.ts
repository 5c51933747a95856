import { expect, test } from '@playwright/test';
import { storageStateFor } from './roles';

async function anException(page: import('@playwright/test').Page) {
  await page.goto('/exceptions?state=all&sort=newest&q=LOC_UNKNOWN');
  const link = page.getByTestId('exception-row').first().getByRole('link');
  const messageId = (await link.textContent())!.trim();
  await link.click();
  return messageId;
}

test.describe('finance', () => {
  test.use({ storageState: storageStateFor('finance') });
  test('cannot see payloads or raw errors, on the page or through the API', async ({ page }) => {
    const messageId = await anException(page);
    await expect(page.getByTestId('payload')).toHaveCount(0);
    await expect(page.getByText('Payloads are shown to IT and admins.')).toBeVisible();
    await expect(page.getByTestId('error-text')).toContainText('<v>');
    const res = await page.request.get(`/api/v1/messages/${encodeURIComponent(messageId)}`);
    expect(res.status()).toBe(403);
    expect(await res.text()).not.toContain('payload');
  });
});

test.describe('it', () => {
  test.use({ storageState: storageStateFor('it') });
  test('sees the payload and the raw error', async ({ page }) => {
    const messageId = await anException(page);
    await expect(page.getByTestId('status-history')).toContainText('current');
    await page.getByTestId('payload').locator('summary').click();
    await expect(page.getByTestId('payload')).toContainText('"source"');
    await expect(page.getByTestId('error-text')).not.toContainText('<v>');
    const res = await page.request.get(`/api/v1/messages/${encodeURIComponent(messageId)}`);
    expect(res.status()).toBe(200);
    expect((await res.json()).payload).toBeTruthy();
  });
});
