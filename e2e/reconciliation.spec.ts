import { expect, test, type Page } from '@playwright/test';
import { storageStateFor } from './roles';

const FACILITY = `RC${Date.now() % 100000}`;

async function uploadCsv(page: Page, system: 'ERP' | 'WMS', name: string, csv: string | Buffer) {
  await page
    .locator('#up-file')
    .setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.isBuffer(csv) ? csv : Buffer.from(csv) });
  await expect(page.getByTestId('upload-preview')).toBeVisible();
  await page.locator('#up-system').selectOption(system === 'ERP' ? 'erp' : 'wms');
  await page.locator('#up-facility').fill(FACILITY);
  await page.getByRole('button', { name: 'Upload snapshot' }).click();
  return page.getByTestId('upload-result');
}

test.describe('as finance', () => {
  test.use({ storageState: storageStateFor('finance') });

  test('uploads both snapshots, reconciles with progress and sees each kind of difference', async ({ page }) => {
    await page.goto('/reconciliation');
    // The ERP file uses the field names; the WMS file its own, mapped by the preview.
    const erp =
      'sku,location,lot,uom,quantity\nSKU-10000,A-1,L1,EA,24\nSKU-10001,A-1,,EA,24\nSKU-10002,A-1,,EA,10\nSKU-10003,A-1,L1,EA,6\n';
    await expect(await uploadCsv(page, 'ERP', 'erp.csv', erp)).toContainText('Stored ERP snapshot');
    const wms =
      'Item No,Bin,Batch,Unit,Qty\nSKU-10000,A-1,L1,CASE,2\nSKU-10001,A-1,,CASE,24\nSKU-10002,A-1,,EA,7\nSKU-10003,A-1,L2,EA,6\n';
    await page.locator('#up-file').setInputFiles({ name: 'wms.csv', mimeType: 'text/csv', buffer: Buffer.from(wms) });
    await expect(page.locator('#up-col-sku')).toHaveValue('Item No');
    await expect(page.locator('#up-col-quantity')).toHaveValue('Qty');
    await expect(page.getByTestId('upload-preview')).toContainText('SKU-10000');
    await expect(await uploadCsv(page, 'WMS', 'wms.csv', wms)).toContainText('Stored WMS snapshot');

    await page.goto(`/reconciliation?facility=${FACILITY}`);
    const row = page.getByTestId('facility-run').filter({ hasText: FACILITY });
    await expect(row).toContainText('never run');
    await row.getByRole('button', { name: `Reconcile ${FACILITY} now` }).click();
    await expect(row.getByRole('status')).toContainText('finished: 3 differences');
    await expect(row).toContainText('succeeded');
    await page.screenshot({ path: 'test-results/screens/reconciliation-run.png', fullPage: true });
    const kinds = await page.getByTestId('difference-row').locator('td:nth-child(2)').allTextContents();
    expect(kinds.sort()).toEqual(['Lot', 'Quantity', 'Unit of measure']);
    // Money is shown to finance: 264 EA of SKU-10001 (24 CASE read against 24 EA).
    await expect(page.getByRole('columnheader', { name: 'Value' })).toBeVisible();
  });

  test('a malformed CSV is reported row by row and nothing of it is stored', async ({ page }) => {
    await page.goto(`/reconciliation?facility=${FACILITY}`);
    const before = await page.getByTestId('snapshot-row').count();
    const bad = Buffer.concat([
      Buffer.from('sku,location,lot,uom,quantity\nSKU-1,A,,EA,abc\nSKU-2,A,EA,1\nSKU-'),
      Buffer.from([0xff]),
      Buffer.from('3,A,,EA,1\nSKU-4,A,,EA,2\n'),
    ]);
    const result = await uploadCsv(page, 'ERP', 'bad.csv', bad);
    await expect(result).toContainText('3 of 4 rows are invalid; nothing of this snapshot was stored');
    await expect(result).toContainText('line 2: quantity: must be a decimal number');
    await expect(result).toContainText('line 3: row 3 has 4 fields; the header has 5');
    await expect(result).toContainText('not valid UTF-8');
    const download = page.waitForEvent('download');
    await result.getByRole('link', { name: 'Download the errors as CSV' }).click();
    const file = await (await download).path();
    const text = (await import('node:fs')).readFileSync(file, 'utf8');
    expect(text.split('\n')[0].trim()).toBe('row,errors');
    expect(text).toContain('quantity: must be a decimal number');
    await page.screenshot({ path: 'test-results/screens/reconciliation-bad-csv.png', fullPage: true });
    await page.reload();
    await expect(page.getByTestId('snapshot-row')).toHaveCount(before);
  });

  test('drills from the value at risk to the SKU and the messages that touched it', async ({ page }) => {
    await page.goto('/?facility=DC1');
    await page.getByTestId('tile-mismatchValue').click();
    await expect(page).toHaveURL(/\/reconciliation\?facility=DC1&sort=value/);
    const first = page.getByTestId('difference-row').first();
    const sku = (await first.locator('td:nth-child(3)').textContent())!.trim();
    await first.getByRole('link', { name: sku }).click();
    await expect(page).toHaveURL(new RegExp(`sku=${sku}`));
    await expect(page.getByRole('heading', { name: `Messages that touched ${sku} at DC1` })).toBeVisible();
    await expect(page.getByTestId('sku-message-row').first()).toBeVisible();
    await page.screenshot({ path: 'test-results/screens/reconciliation-drill.png', fullPage: true });
  });
});

test.describe('money is hidden from ops', () => {
  test.use({ storageState: storageStateFor('ops') });

  test('on the page, in the export and in the KPI API', async ({ page }) => {
    await page.goto('/reconciliation?facility=DC1');
    await expect(page.getByTestId('difference-row').first()).toBeVisible();
    await expect(page.getByRole('columnheader', { name: 'Value' })).toHaveCount(0);
    await expect(page.getByRole('columnheader', { name: 'Unit cost' })).toHaveCount(0);
    await expect(page.getByTestId('by-kind')).not.toContainText('$');
    const csv = await (await page.request.get('/api/export/differences?facility=DC1')).text();
    const header = csv.split('\r\n')[0].split(',');
    expect(header).toContain('delta');
    expect(header).not.toContain('unitCost');
    expect(header).not.toContain('value');
    const kpis = await (await page.request.get('/api/v1/kpis?facility=DC1')).json();
    expect(kpis.mismatches).toBeGreaterThan(0);
    expect(kpis).not.toHaveProperty('mismatchValue');
    await page.goto('/?facility=DC1');
    await expect(page.getByTestId('tile-mismatches')).toBeVisible();
    await expect(page.getByTestId('tile-mismatchValue')).toHaveCount(0);
  });

  test('while finance gets them', async ({ browser }) => {
    const ctx = await browser.newContext({ storageState: storageStateFor('finance') });
    const csv = await (await ctx.request.get('/api/export/differences?facility=DC1')).text();
    expect(csv.split('\r\n')[0].split(',')).toEqual(expect.arrayContaining(['unitCost', 'value']));
    const kpis = await (await ctx.request.get('/api/v1/kpis?facility=DC1')).json();
    expect(kpis.mismatchValue).toBeGreaterThan(0);
    await ctx.close();
  });
});

test.describe('master data and corrections', () => {
  test.use({ storageState: storageStateFor('ops') });

  test('the audit lists the demo item faults and exports them', async ({ page }) => {
    await page.goto('/master-data');
    await page
      .getByTestId('finding-counts')
      .getByRole('link', { name: /Lot control differs/ })
      .click();
    await expect(page).toHaveURL(/kind=lot_control/);
    await expect(page.getByTestId('finding-row').first()).toContainText('lotControlled');
    const csv = await (await page.request.get('/api/export/findings?kind=lot_control')).text();
    expect(csv.split('\r\n').filter(Boolean).length).toBe((await page.getByTestId('finding-row').count()) + 1);
    await page.screenshot({ path: 'test-results/screens/master-data.png', fullPage: true });
  });

  test('corrections show the trend and the pairs keyed in both systems', async ({ page }) => {
    await page.goto('/corrections?range=30d');
    await expect(page.getByTestId('correction-row').first()).toBeVisible();
    await expect(page.getByTestId('duplicate-pair').first()).toBeVisible();
    const heading = await page.getByRole('heading', { name: /Keyed in both systems/ }).textContent();
    const pairs = Number(/: ([\d,]+) pairs/.exec(heading!)![1].replace(/,/g, ''));
    // The same window as the page (its scope bar prints it) gives the same number through the API.
    const [, from, to] = /(\d{4}-\d\d-\d\d \d\d:\d\d) → (\d{4}-\d\d-\d\d \d\d:\d\d) UTC/.exec(
      (await page.getByTestId('scope-bar').textContent())!,
    )!;
    const iso = (s: string) => `${s.replace(' ', 'T')}:00Z`;
    const kpis = await (await page.request.get(`/api/v1/kpis?from=${iso(from)}&to=${iso(to)}`)).json();
    expect(kpis.duplicateManualCorrections).toBe(pairs);
    expect(kpis.duplicateManualCorrections).toBeGreaterThan(0);
    await page.screenshot({ path: 'test-results/screens/corrections.png', fullPage: true });
  });
});
