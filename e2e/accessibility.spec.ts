import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { storageStateFor } from './roles';

const PAGES = ['/', '/review/daily', '/review/weekly', '/review/monthly', '/exceptions', '/exceptions?view=groups', '/exceptions/1', '/messages', '/tiles', '/admin', '/api-docs', '/reconciliation', '/reconciliation?facility=DC1&sku=SKU-10001', '/master-data', '/corrections?range=30d'];

test.describe('accessibility', () => {
  test.use({ storageState: storageStateFor('admin') });
  for (const path of PAGES) {
    test(`${path} has no serious or critical axe violations`, async ({ page }) => {
      await page.goto(path);
      await page.waitForLoadState('load');
      const results = await new AxeBuilder({ page }).analyze();
      const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(serious.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([]);
    });
  }

  test('the login page has no serious or critical axe violations', async ({ browser }) => {
    const page = await (await browser.newContext()).newPage();
    await page.goto('/login');
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  });
});
