import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import Papa from 'papaparse';
import { storageStateFor } from './roles';

test.use({ storageState: storageStateFor('it') });

test('CSV export contains exactly the filtered rows', async ({ page }) => {
  await page.goto('/exceptions?state=all&facility=DC2&txType=shipment');
  const total = Number(
    (await page.getByRole('navigation', { name: 'Pagination' }).textContent())!
      .match(/([\d,]+) exceptions?\b/)![1]
      .replace(/,/g, ''),
  );
  expect(total).toBeGreaterThan(0);
  const download = page.waitForEvent('download');
  await page.getByTestId('export-csv').click();
  const file = await (await download).path();
  const parsed = Papa.parse<Record<string, string>>(fs.readFileSync(file, 'utf8'), {
    header: true,
    skipEmptyLines: true,
  });
  expect(parsed.errors).toEqual([]);
  expect(parsed.meta.fields).toEqual(expect.arrayContaining(['messageId', 'facility', 'txType', 'state', 'openedAt']));
  expect(parsed.data.length).toBe(total);
  for (const row of parsed.data) {
    expect(row.facility).toBe('DC2');
    expect(row.txType).toBe('shipment');
  }
});

test('the message log and the group view export CSV too', async ({ page }) => {
  await page.goto('/messages?range=24h&facility=DC1&status=delivered');
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Export messages CSV' }).click();
  const rows = Papa.parse<Record<string, string>>(fs.readFileSync(await (await download).path(), 'utf8'), {
    header: true,
    skipEmptyLines: true,
  }).data;
  expect(rows.length).toBeGreaterThan(0);
  expect(new Set(rows.map((r) => `${r.facility}/${r.status}`))).toEqual(new Set(['DC1/delivered']));
  const groups = await page.request.get('/api/export/exceptions?view=groups&state=all');
  const parsed = Papa.parse<Record<string, string>>(await groups.text(), { header: true, skipEmptyLines: true });
  expect(parsed.meta.fields).toEqual(expect.arrayContaining(['fingerprint', 'count', 'regressed']));
  expect(parsed.data.length).toBeGreaterThan(0);
});

test.describe('admin tables', () => {
  test.use({ storageState: storageStateFor('admin') });

  test('export CSV from the admin page, without secrets', async ({ page }) => {
    await page.goto('/admin');
    const download = page.waitForEvent('download');
    await page
      .getByRole('region', { name: 'Users and roles' })
      .or(page.locator('section').filter({ hasText: 'Users and roles' }))
      .first()
      .getByRole('link', { name: 'Export CSV' })
      .click();
    const text = fs.readFileSync(await (await download).path(), 'utf8');
    const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
    expect(parsed.meta.fields).toEqual(expect.arrayContaining(['email', 'role', 'disabled']));
    expect(parsed.data.map((r) => r.email)).toContain('finance@demo.synchealth.dev');
    expect(text).not.toMatch(/password|\$2[aby]\$/i);
    for (const table of ['api-keys', 'thresholds', 'root-cause-rules', 'ownership', 'glossary']) {
      const res = await page.request.get(`/api/export/admin/${table}`);
      expect(res.status(), table).toBe(200);
      expect((await res.text()).split('\r\n')[0].length, table).toBeGreaterThan(3);
    }
    expect((await page.request.get('/api/export/admin/nope')).status()).toBe(404);
  });
});
