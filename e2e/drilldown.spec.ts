import { expect, test } from '@playwright/test';
import { storageStateFor } from './roles';

test.use({ storageState: storageStateFor('manager') });

test('drill down from a tile to the list behind it, filters carried in the URL', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Time range').selectOption('7d');
  await page.getByLabel('Facility').selectOption('DC1');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/range=7d/);
  await expect(page).toHaveURL(/facility=DC1/);
  const tile = page.getByTestId('tile-openExceptions');
  const shown = Number((await tile.getByTestId('tile-value').textContent())!.replace(/,/g, ''));
  await page.screenshot({ path: 'test-results/screens/overview-dc1-7d.png', fullPage: true });
  await tile.click();
  await expect(page).toHaveURL(/\/exceptions\?.*facility=DC1/);
  await expect(page).toHaveURL(/state=open/);
  await expect(page).toHaveURL(/sort=age/);
  await expect(page.getByLabel('Facility')).toHaveValue('DC1');
  const facilities = await page.locator('[data-testid="exception-row"] td:nth-child(4)').allTextContents();
  expect(facilities.length).toBeGreaterThan(0);
  expect(new Set(facilities)).toEqual(new Set(['DC1']));
  // The count behind the tile is the list's total.
  await expect(page.getByRole('navigation', { name: 'Pagination' })).toContainText(
    `${shown.toLocaleString('en-US')} exception${shown === 1 ? '' : 's'}`,
  );
  await page.screenshot({ path: 'test-results/screens/drilldown-queue.png', fullPage: true });
});
