import { expect, test, type Page } from '@playwright/test';
import { storageStateFor } from './roles';

/**
 * A slow card never holds its page. No faking on the client: the e2e server runs with E2E_SLOW_CARD
 * (playwright.config.ts), and a request carrying `x-e2e-slow-card: <card>` makes that one card wait
 * 10 s on the server, inside its own Suspense boundary, before it reads its data
 * (components/ui/card-slot.tsx) — what a slow query would do. The page's header and its other cards,
 * before and after the slow one, must arrive while it still shows its skeleton; then it arrives.
 */
test.use({ storageState: storageStateFor('finance') });

async function openWithSlowCard(page: Page, url: string, card: string) {
  await page.setExtraHTTPHeaders({ 'x-e2e-slow-card': card });
  // Not 'load': the load event comes only once the whole streamed response has ended.
  await page.goto(url, { waitUntil: 'commit' });
  return page.locator(`[data-testid="card-skeleton"][data-card="${card}"]`);
}

test('reconciliation: the header and the other cards show while the differences are still loading', async ({
  page,
}) => {
  const skeleton = await openWithSlowCard(page, '/reconciliation?facility=DC1', 'differences');
  await expect(page.getByRole('heading', { level: 1, name: 'Reconciliation' })).toBeVisible();
  await expect(page.getByTestId('facility-run').first()).toBeVisible();
  await expect(page.getByTestId('by-kind')).toBeVisible();
  await expect(page.getByTestId('snapshot-row').first()).toBeVisible();
  await expect(skeleton).toBeVisible();
  await expect(page.getByTestId('difference-row')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screens/reconciliation-streaming.png', fullPage: true });

  await expect(page.getByTestId('difference-row').first()).toBeVisible({ timeout: 30_000 });
  await expect(skeleton).toHaveCount(0);
});

test('daily review: the KPI checks and the sign-off show while the lifecycle checks are still loading', async ({
  page,
}) => {
  const skeleton = await openWithSlowCard(page, '/review/daily?facility=DC1', 'lifecycle');
  await expect(page.getByRole('heading', { level: 1, name: /^Daily review: / })).toBeVisible();
  await expect(page.getByTestId('kpi-check').first()).toBeVisible();
  await expect(page.getByTestId('review-bar')).toBeVisible();
  await expect(skeleton).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/daily-review-streaming.png', fullPage: true });

  await expect(page.getByRole('heading', { name: /^Lifecycle checks: / })).toBeVisible({ timeout: 30_000 });
  await expect(skeleton).toHaveCount(0);
});
