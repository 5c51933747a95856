import { expect, test } from '@playwright/test';
import { demoEmail, storageStateFor } from './roles';

// The demo database ships three rules on a disabled example channel (lib/demo/alerts.ts): firing
// per facility (one acknowledged), pending, and one resolved in its history. Acknowledging changes
// that state, so this file's tests run in order.
test.describe.configure({ mode: 'serial' });

test.describe('alerts as ops', () => {
  test.use({ storageState: storageStateFor('ops') });

  test('ops sees firing alerts with the count in the nav, acknowledges one with a note, and opens it', async ({
    page,
  }) => {
    await page.goto('/alerts');
    const rows = page.getByTestId('alert-row');
    await expect(rows.first()).toBeVisible();
    const firing = await rows.count();
    expect(firing).toBeGreaterThan(0);
    await expect(page.getByTestId('nav-firing-count')).toHaveText(String(firing));
    // The demo's acknowledged one says who and why.
    await expect(rows.filter({ hasText: demoEmail('ops') })).toHaveCount(1);

    const open = rows.filter({ has: page.getByTestId('ack-form') }).first();
    const ack = open.getByTestId('ack-form');
    await ack.getByRole('button', { name: /^Acknowledge/ }).click();
    await expect(ack).toContainText('say what is being done');
    await expect(ack.getByRole('textbox')).toHaveAttribute('aria-invalid', 'true');

    await ack.getByRole('textbox').fill('Replaying the stuck receipts');
    await ack.getByRole('button', { name: /^Acknowledge/ }).click();
    await expect(rows.filter({ hasText: 'Replaying the stuck receipts' })).toHaveCount(1);
    await page.screenshot({ path: 'test-results/screens/alerts-firing.png', fullPage: true });

    await rows.filter({ hasText: 'Replaying the stuck receipts' }).getByRole('link').first().click();
    await expect(page).toHaveURL(/\/alerts\/\d+$/);
    await expect(page.getByTestId('acknowledged-by')).toContainText('Replaying the stuck receipts');
    await expect(page.getByTestId('alert-chart')).toBeVisible();
    await expect(page.getByTestId('transition-row').first()).toBeVisible();
    await page.getByRole('link', { name: '24h' }).click();
    await expect(page).toHaveURL(/range=24h/);
    await expect(page.getByTestId('alert-chart')).toBeVisible();
    await page.screenshot({ path: 'test-results/screens/alert-detail.png', fullPage: true });
  });

  test('pending and recent tabs, filters in the URL, and the CSV of the same rows', async ({ page }) => {
    await page.goto('/alerts');
    await page.getByRole('link', { name: /^Pending/ }).click();
    await expect(page).toHaveURL(/view=pending/);
    await expect(page.getByTestId('alert-row')).toHaveCount(1);
    await expect(page.getByTestId('alert-row')).toHaveAttribute('data-state', 'pending');
    await page.getByRole('link', { name: /^Recent/ }).click();
    await expect(page.getByTestId('alert-row').first()).toHaveAttribute('data-state', 'normal');

    await page.goto('/alerts?view=firing&severity=info');
    await expect(page.getByTestId('empty-state')).toContainText('Nothing is firing');

    await page.goto('/alerts?view=all');
    const shown = await page.getByTestId('alert-row').count();
    const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    const csv = await (await page.request.get(href!)).text();
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toContain('ruleName');
    expect(lines).toHaveLength(shown + 1);
  });
});

test.describe('alerts as finance', () => {
  test.use({ storageState: storageStateFor('finance') });

  test('finance reads alerts but has nothing to acknowledge with', async ({ page }) => {
    await page.goto('/alerts');
    await expect(page.getByTestId('alert-row').first()).toBeVisible();
    await expect(page.getByTestId('ack-form')).toHaveCount(0);
    await expect(page.getByText('Your role can read alerts')).toBeVisible();
    expect((await page.goto('/admin/alerts/rules'))?.status()).toBe(403);
  });
});

test.describe('alert administration', () => {
  test.use({ storageState: storageStateFor('admin') });

  test('an admin edits rules with a 7-day preview and refused fields named', async ({ page }) => {
    await page.goto('/admin/alerts/rules');
    const rules = page.getByTestId('rule-row');
    await expect(rules).toHaveCount(3);
    await rules.first().getByRole('link').first().click();
    await expect(page).toHaveURL(/rule=/);
    await expect(page.getByTestId('rule-preview')).toBeVisible();

    await page.goto('/admin/alerts/rules');
    const form = page.getByTestId('rule-form');
    await form.getByLabel('Id').fill('e2e-open');
    await form.getByLabel('Name', { exact: true }).fill('E2E open exceptions');
    await form.getByLabel('Kind').selectOption('open_exceptions');
    await form.getByLabel('Threshold', { exact: true }).fill('lots');
    await form.getByRole('button', { name: 'Save rule' }).click();
    await expect(form.locator('#rule-threshold-error')).toBeVisible();
    await expect(form.getByLabel('Threshold', { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await expect(rules).toHaveCount(3);

    await form.getByLabel('Threshold', { exact: true }).fill('5');
    await form.getByRole('button', { name: 'Preview last 7 days' }).click();
    await expect(page).toHaveURL(/preview=1/);
    await expect(page.getByTestId('rule-preview')).toBeVisible();
    await expect(page.getByTestId('alert-chart')).toBeVisible();
    await page.screenshot({ path: 'test-results/screens/admin-alert-rule-preview.png', fullPage: true });

    await page.getByTestId('rule-form').getByRole('button', { name: 'Save rule' }).click();
    await expect(page.getByTestId('rule-form').getByRole('status')).toContainText(/Rule e2e-open/);
    await expect(rules).toHaveCount(4);
    await rules.filter({ hasText: 'e2e-open' }).getByRole('button', { name: 'Remove rule e2e-open' }).click();
    await expect(rules).toHaveCount(3);
  });

  test('channels hide their secrets and send a test; silences take an end; deliveries list', async ({ page }) => {
    await page.goto('/admin/alerts/channels');
    const row = page.getByTestId('channel-row').filter({ hasText: 'example-webhook' });
    await expect(row).toContainText('disabled');
    await expect(row).toContainText('********');
    await expect(page.locator('body')).not.toContainText('example-secret-change-me');
    await row.getByRole('button', { name: 'Send test through example-webhook' }).click();
    await expect(row.getByRole('status')).toContainText(/Test (sent to|to) example-webhook/);
    await page.screenshot({ path: 'test-results/screens/admin-alert-channels.png', fullPage: true });

    await page.goto('/admin/alerts/silences');
    const form = page.getByTestId('silence-form');
    await form.getByLabel('Comment').fill('E2E maintenance window');
    await form.getByRole('button', { name: 'Add silence' }).click();
    await expect(form.locator('#silence-endsAt-error')).toContainText('end time or a duration');
    await form.getByLabel('or for').fill('2h');
    await form.getByRole('button', { name: 'Add silence' }).click();
    const silence = page.getByTestId('silence-row').filter({ hasText: 'E2E maintenance window' });
    await expect(silence).toContainText('active');
    await page.screenshot({ path: 'test-results/screens/admin-alert-silences.png', fullPage: true });
    await silence.getByRole('button', { name: /^Remove silence/ }).click();
    await expect(silence).toHaveCount(0);

    await page.goto('/admin/alerts/deliveries');
    await expect(page.getByTestId('deliveries-card')).toBeVisible();
    await page.getByLabel('Status').selectOption('failed');
    await page.getByTestId('delivery-filters').getByRole('button', { name: 'Filter' }).click();
    await expect(page).toHaveURL(/status=failed/);
    await page.screenshot({ path: 'test-results/screens/admin-alert-deliveries.png', fullPage: true });
  });
});
