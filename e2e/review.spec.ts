import { expect, test, type APIRequestContext } from '@playwright/test';
import { storageStateFor } from './roles';

/**
 * The daily review page against the KPI API, for DC3: no other test sends messages to DC3 or acts
 * on its exceptions, so the page and the API see the same data.
 */
const FACILITY = 'DC3';
const DAY_MS = 86_400_000;
const day = new Date(Date.now() - DAY_MS).toISOString().slice(0, 10);
const from = `${day}T00:00:00.000Z`;
const to = new Date(Date.parse(from) + DAY_MS).toISOString();
const num = (s: string) => Number(s.replace(/,/g, ''));

async function kpis(request: APIRequestContext, params: Record<string, string>) {
  const res = await request.get(`/api/v1/kpis?${new URLSearchParams({ facility: FACILITY, ...params })}`);
  expect(res.status()).toBe(200);
  return res.json();
}

test.describe.configure({ mode: 'serial' });

test.describe('daily review', () => {
  test.use({ storageState: storageStateFor('ops') });

  test("shows yesterday's checks with the numbers of the KPI API, and ops signs it off", async ({ page }) => {
    await page.goto(`/review/daily?facility=${FACILITY}`);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Daily review');
    await expect(page.getByLabel('Day (UTC)')).toHaveValue(day);

    // Messages sent per flow that day = the KPI API's messages for that day and transaction type.
    const flows = page.getByTestId('flow');
    await expect(flows.first()).toBeVisible();
    const sent = new Map<string, number>();
    for (const row of await flows.all()) {
      const cells = await row.getByRole('cell').allTextContents();
      sent.set(cells[0], (sent.get(cells[0]) ?? 0) + num(cells[2]));
    }
    expect([...sent.keys()]).toEqual(['receipt', 'shipment', 'adjustment']);
    for (const [txType, n] of sent) expect(n, txType).toBe((await kpis(page.request, { from, to, txType })).messages);
    expect([...sent.values()].some((n) => n > 0)).toBe(true);

    // The day's KPIs, and the open exceptions now.
    const api = await kpis(page.request, { from, to });
    const messagesRow = page.getByTestId('kpi-check').filter({ hasText: 'Messages' });
    expect(num((await messagesRow.getByRole('cell').nth(1).textContent())!)).toBe(api.messages);
    // The band column says where the day's count lies against the band shown beside it.
    const [low, high] = (await messagesRow.getByRole('cell').nth(2).textContent())!.split('–').map(num);
    const where = api.messages < low ? 'below its band' : api.messages > high ? 'above its band' : 'within its band';
    // (A count equal to a rounded bound could lie on either side of it.)
    if (api.messages !== low && api.messages !== high)
      await expect(messagesRow.getByRole('cell').nth(3)).toHaveText(where);
    const totals = await page.getByTestId('open-by-age').locator('td:last-child').allTextContents();
    expect(totals.reduce((a, t) => a + num(t), 0)).toBe(api.openExceptions);

    // Lifecycle checks of the day's flow steps.
    await expect(page.getByRole('heading', { name: /^Lifecycle checks: [\d,]+ steps of the day/ })).toBeVisible();

    // Sign-off: kept with who and when, and the form gives way to it.
    await page.getByLabel('Notes (decisions, owners, follow-ups)').fill('Receipts at DC3 checked; TIMEOUTs go to IT.');
    await page.getByRole('button', { name: 'Sign off this review' }).click();
    const signoff = page.getByTestId('signoff');
    await expect(signoff).toContainText('Signed off by Demo ops');
    await expect(signoff).toContainText('Receipts at DC3 checked; TIMEOUTs go to IT.');
    await expect(page.getByTestId('signoff-form')).toHaveCount(0);
    await page.screenshot({ path: 'test-results/screens/review-daily.png', fullPage: true });

    // Each table exports its rows as CSV; an unknown table is a 400 that says what to send.
    const csv = await page.request.get(`/api/export/review/daily?day=${day}&facility=${FACILITY}&table=flows`);
    expect(csv.status()).toBe(200);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('txType,direction,sent,posted,failed,notYet,avgDelayMs');
    expect(lines.slice(1).reduce((a, l) => a + Number(l.split(',')[2]), 0)).toBe(
      [...sent.values()].reduce((a, n) => a + n, 0),
    );
    // Reversed adjustments (the demo injects counts taken back within the hour).
    await expect(page.getByRole('heading', { name: /^Adjustments reversed: [\d,]+$/ })).toBeVisible();
    const rev = await page.request.get(`/api/export/review/daily?day=${day}&facility=${FACILITY}&table=reversals`);
    const revLines = (await rev.text()).trim().split('\r\n');
    expect(revLines[0]).toBe(
      'correlationKey,facility,sku,location,lot,uom,originalMessageId,originalTxType,originalQuantity,originalAt,reversalMessageId,reversalTxType,reversalQuantity,reversalAt',
    );
    await expect(page.getByTestId('reversal')).toHaveCount(Math.min(10, revLines.length - 1));
    // Ownership conflicts: the changed values come from payloads, which ops may not read (SPEC 7).
    await expect(page.getByRole('heading', { name: /^Ownership conflicts: [\d,]+$/ })).toBeVisible();
    const own = await page.request.get(`/api/export/review/daily?day=${day}&table=ownership`);
    expect((await own.text()).split('\r\n')[0]).toBe(
      'at,facility,sku,field,changedBy,owner,precedence,finding,messageId,otherMessageId,otherAt',
    );
    const bad = await page.request.get(`/api/export/review/daily?day=${day}&table=nope`);
    expect(bad.status()).toBe(400);
    expect((await bad.json()).error.details[0]).toMatch(/^table:/);
  });

  test("an exception's document timeline marks the receipt sent before its purchase order", async ({ page }) => {
    // The demo injects receipts sent before their purchase order (PREREQ_MISSING, delivered on retry).
    const csv = await page.request.get('/api/export/exceptions?state=all&errorCode=PREREQ_MISSING');
    const [header, first] = (await csv.text()).trim().split('\r\n');
    expect(header.split(',')[0]).toBe('id');
    await page.goto(`/exceptions/${first.split(',')[0]}`);
    const row = page
      .getByRole('row')
      .filter({ has: page.getByTestId('lifecycle-finding') })
      .filter({ hasText: 'receipt' });
    await expect(row.first()).toContainText('sent before the step before it');
  });

  test.describe('as IT', () => {
    test.use({ storageState: storageStateFor('it') });

    test('sees the changed values of ownership conflicts, in the export too', async ({ page }) => {
      const own = await page.request.get(`/api/export/review/daily?day=${day}&table=ownership`);
      expect((await own.text()).split('\r\n')[0]).toBe(
        'at,facility,sku,field,changedBy,value,owner,precedence,finding,messageId,otherMessageId,otherAt,otherValue',
      );
    });
  });

  test.describe('as a manager', () => {
    test.use({ storageState: storageStateFor('manager') });

    test('sees who signed the review off, and the previous day still open for sign-off', async ({ page }) => {
      await page.goto(`/review/daily?facility=${FACILITY}&day=${day}`);
      await expect(page.getByTestId('signoff')).toContainText('Signed off by Demo ops');
      await expect(page.getByTestId('signoff-form')).toHaveCount(0);
      await page.getByRole('link', { name: '← Previous day' }).click();
      await expect(page).toHaveURL(new RegExp(`day=${new Date(Date.parse(from) - DAY_MS).toISOString().slice(0, 10)}`));
      await expect(page).toHaveURL(/facility=DC3/);
      await expect(page.getByTestId('signoff-form')).toBeVisible();
    });
  });

  test.describe('weekly and monthly', () => {
    test.use({ storageState: storageStateFor('finance') });

    test("the tabs carry the facility; the month's totals are the KPI API's messages; finance signs the week off", async ({
      page,
    }) => {
      await page.goto(`/review/daily?facility=${FACILITY}`);
      await page.getByTestId('review-tabs').getByRole('link', { name: 'Monthly' }).click();
      await expect(page).toHaveURL(new RegExp(`/review/monthly\\?facility=${FACILITY}`));
      await expect(page.getByRole('heading', { level: 1 })).toContainText('Monthly review');
      // This month so far, against the API over the same days.
      const month = new Date().toISOString().slice(0, 7);
      await page.getByLabel('Month (UTC)').fill(month);
      await page.getByRole('button', { name: 'Show' }).click();
      await expect(page).toHaveURL(new RegExp(`month=${month}`));
      const monthFrom = `${month}-01T00:00:00.000Z`;
      const nextMonth = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1)).toISOString();
      const rows = page.getByTestId('monthly-total');
      await expect(rows.first()).toBeVisible();
      let sent = 0;
      for (const row of await rows.all()) sent += num((await row.getByRole('cell').nth(2).textContent())!);
      expect(sent).toBe((await kpis(page.request, { from: monthFrom, to: nextMonth })).messages);
      await expect(page.getByTestId('monthly-shared').first()).toContainText('status');

      await page.getByTestId('review-tabs').getByRole('link', { name: 'Weekly' }).click();
      await expect(page).toHaveURL(new RegExp(`/review/weekly\\?facility=${FACILITY}`));
      await expect(page.getByTestId('weekly-sku').first()).toBeVisible();
      await expect(page.getByTestId('weekly-cause')).toHaveCount(1);
      await expect(page.getByTestId('weekly-cause').first()).toContainText(FACILITY);
      // The demo's outbound documents name customers: the week's shipment and cancellation failures
      // land on them, and no customer has more than the facility has in all.
      const customers = page.getByTestId('weekly-customer');
      await expect(customers.first()).toBeVisible();
      const facilityTotal = num((await page.getByTestId('weekly-cause').first().locator('td').last().textContent())!);
      const customerTotals = (await customers.locator('td:nth-last-child(2)').allTextContents()).map(num);
      expect(customerTotals.every((n) => n > 0)).toBe(true);
      expect(customerTotals.reduce((a, n) => a + n, 0)).toBeLessThanOrEqual(facilityTotal);
      const byCustomer = await page.request.get(`/api/export/review/weekly?facility=${FACILITY}&table=customers`);
      expect((await byCustomer.text()).split('\r\n')[0]).toBe(
        'customer,ownership,master_data,timing,mapping,exception_handling,unclassified,total',
      );
      await page
        .getByLabel('Notes (decisions, owners, follow-ups)')
        .fill('UOM trouble on the top SKUs: ask IT for the item master sync.');
      await page.getByRole('button', { name: 'Sign off this review' }).click();
      await expect(page.getByTestId('signoff')).toContainText('Signed off by Demo finance');
      await page.screenshot({ path: 'test-results/screens/review-weekly.png', fullPage: true });
      const csv = await page.request.get(`/api/export/review/weekly?facility=${FACILITY}&table=skus`);
      expect(csv.status()).toBe(200);
      expect((await csv.text()).split('\r\n')[0]).toBe('sku,facilities,exceptions,mainCause,differences,kinds,sources');
    });
  });
});
