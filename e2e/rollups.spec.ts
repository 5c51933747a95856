import { expect, test } from '@playwright/test';
import { storageStateFor } from './roles';

test.describe('as admin', () => {
  test.use({ storageState: storageStateFor('admin') });

  test('rebuilds the rollups from the raw log with progress, and finds the ones the ingest kept exact', async ({
    page,
  }) => {
    await page.goto('/admin');
    const card = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Rollups' }) });
    await card.getByRole('button', { name: 'Rebuild rollups' }).click();
    // Progress while it runs (or, if it is already done, its outcome), then the outcome and the row.
    await expect(card.getByRole('progressbar').or(card.getByRole('status')).first()).toBeVisible();
    const status = card.getByRole('status');
    await expect(status).toContainText(
      /Rebuild \d+ finished: [\d,]+ days with messages recomputed; 0 rows and 0 duplicate flags fixed\./,
      { timeout: 60_000 },
    );
    await expect(card.getByRole('button', { name: 'Rebuild rollups' })).toBeEnabled();
    const row = card.getByTestId('rebuild-row').first();
    await expect(row).toContainText('succeeded');
    await expect(row).toContainText('admin@');
    await page.screenshot({ path: 'test-results/screens/admin-rollups.png', fullPage: true });

    // The API behind it: the job's state, and the CSV of past rebuilds.
    const id = Number(/Rebuild (\d+) finished/.exec((await status.textContent()) ?? '')![1]);
    const job = await (await page.request.get(`/api/admin/rollup-rebuilds/${id}`)).json();
    expect(job).toMatchObject({
      id,
      status: 'succeeded',
      progress: 1,
      result: { stage: 'done', rowsFixed: 0, duplicateFlagsFixed: 0 },
    });
    expect(job.result.days).toBeGreaterThan(0);
    expect(job.result.daysDone).toBe(job.result.days);
    expect(job.result.daysRebuilt).toBeGreaterThan(0);
    expect((await page.request.get('/api/admin/rollup-rebuilds/999999')).status()).toBe(404);
    expect((await page.request.get('/api/admin/rollup-rebuilds/abc')).status()).toBe(404);
    const csv = await (await page.request.get('/api/export/admin/rollup-rebuilds')).text();
    expect(csv.split('\r\n')[0]).toBe(
      'id,status,requestedBy,createdAt,startedAt,finishedAt,days,daysDone,daysRebuilt,duplicateFlagsFixed,rowsFixed,error',
    );
    expect(csv).toContain(`\r\n${id},succeeded,`);
  });
});
