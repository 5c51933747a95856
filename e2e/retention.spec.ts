import { expect, test } from '@playwright/test';
import { storageStateFor } from './roles';

test.use({ storageState: storageStateFor('admin') });

test('an admin sets retention per kind by keyboard, sees field errors and the preview, and runs it now', async ({
  page,
}) => {
  await page.goto('/admin');
  await page.getByRole('link', { name: 'Retention' }).click();
  await expect(page).toHaveURL(/\/admin\/retention$/);
  const form = page.getByTestId('retention-form');
  const messages = form.getByLabel('Messages and their payloads (days)');
  const rollups = form.getByLabel('Rollups (KPIs of the past) (days)');
  // Each field names its default (the values themselves may have been changed by other specs).
  await expect(form).toContainText('default: 395 days');

  // Not a number, and rollups shorter than messages: each refused under its own field, nothing saved.
  await messages.fill('a year');
  await rollups.fill('30');
  await rollups.press('Enter');
  await expect(form.locator('#retention-messages-error')).toContainText('whole number of days');
  await expect(messages).toHaveAttribute('aria-invalid', 'true');
  await messages.fill('400');
  await rollups.press('Enter');
  await expect(form.locator('#retention-rollups-error')).toContainText('at least as long as messages (400)');
  await expect(form.getByRole('status')).toContainText('nothing was changed');

  // Blank keeps a kind forever (snapshots here, so the run below leaves the demo's alone).
  await rollups.fill('1825');
  await form.getByLabel('Snapshot rows (days)').fill('');
  await rollups.press('Enter');
  await expect(form.getByRole('status')).toContainText('Retention saved');
  await page.reload();
  await expect(form.getByLabel('Messages and their payloads (days)')).toHaveValue('400');
  await expect(form.getByLabel('Snapshot rows (days)')).toHaveValue('');

  const preview = page.getByTestId('retention-preview');
  await expect(preview.getByTestId('retention-messages')).toContainText('400 days');
  await expect(preview.getByTestId('retention-snapshots')).toContainText('forever');
  // The log is partitioned by month; differences are not yet, and are skipped rather than deleted from.
  await expect(preview.getByTestId('retention-messages')).not.toContainText('not partitioned');
  await expect(preview.getByTestId('retention-differences')).toContainText(
    'reconciliation_differences: not partitioned yet, skipped',
  );

  const run = preview.getByTestId('retention-run').getByRole('button', { name: 'Run now' });
  await run.focus();
  await page.keyboard.press('Enter');
  await expect(preview.getByRole('status')).toContainText('Retention ran in');
  await expect(preview).toContainText('Last run:');
});
