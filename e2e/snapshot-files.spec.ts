/**
 * Snapshot files of SPEC 10 in the browser: an admin sets a facility's SKU matching rules on the
 * admin page; finance uploads the pair of files (no UOM column) with a default UOM,
 * reconciles them and sees three quantity differences, each showing both SKUs where they differ;
 * a file with a negative quantity and a repeated position is stored with its warnings listed.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { storageStateFor } from './roles';

const FACILITY = `SF${Date.now() % 100000}`;
const fixture = (name: string) => readFileSync(`lib/recon/fixtures/${name}`);

async function choose(page: Page, name: string, csv: Buffer) {
  await page.locator('#up-file').setInputFiles({ name, mimeType: 'text/csv', buffer: csv });
  await expect(page.getByTestId('upload-preview')).toBeVisible();
}

async function upload(page: Page, system: 'erp' | 'wms', facility = FACILITY) {
  await page.locator('#up-system').selectOption(system);
  await page.locator('#up-facility').fill(facility);
  await page.locator('#up-default-uom').fill('EA');
  await page.getByRole('button', { name: 'Upload snapshot' }).click();
  return page.getByTestId('upload-result');
}

test.describe.configure({ mode: 'serial' });

test.describe('an admin', () => {
  test.use({ storageState: storageStateFor('admin') });

  test("sets the facility's SKU matching rules", async ({ page }) => {
    await page.goto('/admin');
    const form = page.getByTestId('sku-matching-form');
    await form.locator('#sku-matching-facility').fill(FACILITY);
    await form.locator('#sku-matching-ignoreCase').selectOption('true');
    await form.locator('#sku-matching-ignoreSeparators').selectOption('true');
    await form.locator('#sku-matching-ignoreLeadingZeros').selectOption('false');
    await form.getByRole('button', { name: 'Save rules' }).click();
    await expect(form.getByRole('status')).toContainText(
      `Set the SKU matching of ${FACILITY}: ignore case, separators.`,
    );
    await expect(page.getByTestId('sku-matching-row').filter({ hasText: FACILITY })).toBeVisible();
  });
});

test.describe('finance', () => {
  test.use({ storageState: storageStateFor('finance') });

  test('uploads files without a UOM column and reconciles them to three quantity differences', async ({ page }) => {
    await page.goto('/reconciliation');
    await choose(page, 'erp-onhand.csv', fixture('erp-onhand.csv'));
    // The ERP names its columns its own way: Item, Location and Batch are guessed, the quantity is mapped.
    await expect(page.locator('#up-col-sku')).toHaveValue('Item');
    await expect(page.locator('#up-col-uom')).toHaveValue('');
    await page.locator('#up-col-quantity').selectOption('Qty On Hand');
    await expect(page.getByTestId('upload-preview')).toContainText('70.0');
    await expect(await upload(page, 'erp')).toContainText('Stored ERP snapshot');
    await choose(page, 'wms-onhand.csv', fixture('wms-onhand.csv'));
    await expect(await upload(page, 'wms')).toContainText('Stored WMS snapshot');

    await page.goto(`/reconciliation?facility=${FACILITY}`);
    const row = page.getByTestId('facility-run').filter({ hasText: FACILITY });
    await row.getByRole('button', { name: `Reconcile ${FACILITY} now` }).click();
    await expect(row.getByRole('status')).toContainText('finished: 3 differences');
    await expect(row.getByTestId('run-sku-matching')).toContainText(
      'SKUs: ignore case, separators; 2 matched only by a rule',
    );
    const diffs = page.getByTestId('difference-row');
    await expect(diffs).toHaveCount(3);
    expect((await diffs.locator('td:nth-child(2)').allTextContents()).map((t) => t.trim())).toEqual([
      'Quantity',
      'Quantity',
      'Quantity',
    ]);
    await expect(diffs.filter({ hasText: 'SKU005' }).getByTestId('difference-skus')).toHaveText(
      'ERP: SKU005 · WMS: SKU-005',
    );
    await expect(diffs.filter({ hasText: 'SKU-008' }).getByTestId('difference-skus')).toHaveText(
      'ERP: SKU-008 · WMS: sku-008',
    );
    await expect(diffs.filter({ hasText: 'SKU-002' }).getByTestId('difference-skus')).toHaveCount(0);
    await page.screenshot({ path: 'test-results/screens/reconciliation-sku-matching.png', fullPage: true });
    const csv = await (await page.request.get(`/api/export/differences?facility=${FACILITY}`)).text();
    const [header, ...lines] = csv.trim().split('\r\n');
    expect(header.split(',')).toEqual(expect.arrayContaining(['sku', 'erpSku', 'wmsSku']));
    expect(lines.some((l) => l.includes('SKU005,SKU005,SKU-005'))).toBe(true);
  });

  test('sees the warnings of a file with a negative quantity and a repeated position', async ({ page }) => {
    await page.goto('/reconciliation');
    await choose(page, 'warn.csv', Buffer.from('sku,location,quantity\nW-1,A,5\nW-2,A,-3\nW-1,A,"2,5"\n'));
    await page.locator('#up-decimal').selectOption(',');
    const result = await upload(page, 'wms', `${FACILITY}W`);
    await expect(result).toContainText('Stored WMS snapshot');
    const warnings = result.getByTestId('upload-warnings');
    await expect(warnings).toContainText('2 warnings');
    await expect(warnings).toContainText('row 3: quantity -3 is negative; kept as sent');
    await expect(warnings).toContainText('row 4: repeats the sku W-1, location A and lot (none) of row 2');
  });
});
