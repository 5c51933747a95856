import { expect, test } from '@playwright/test';
import { storageStateFor } from './roles';
import { QueuePage } from './pages/queue-page';

test.use({ storageState: storageStateFor('ops') });

test('daily review: oldest open first, acknowledge, assign, resolve with a root cause, KPI moves', async ({
  page,
  browser,
}) => {
  // DC2's count: the tests beside this one may open exceptions at other facilities meanwhile.
  const openBefore = (await (await page.request.get('/api/v1/kpis?facility=DC2')).json()).openExceptions as number;
  expect(openBefore).toBeGreaterThan(2);

  await page.goto('/exceptions?state=open&sort=age&facility=DC2');
  const queue = new QueuePage(page);
  await expect(queue.rows().first()).toBeVisible();
  // Sorted by age: the first row is the oldest.
  const opened = await page.locator('[data-testid="exception-row"] time').allTextContents();
  expect([...opened].sort()).toEqual(opened);

  const ids = await queue.select(2);
  await queue.apply('Acknowledge');
  await queue.expectResult('Acknowledged 2 exceptions');

  await queue.select(2);
  await queue.apply('Assign', { owner: 'it' });
  await queue.expectResult('Assigned 2 exceptions');

  // Resolving needs a root cause: the server says so per field and changes nothing.
  await queue.select(2);
  const actionRequest = page.waitForRequest((r) => r.method() === 'POST' && !!r.headers()['next-action']);
  await queue.apply('Resolve', { effort: '15', note: 'Fixed the item master and replayed' });
  await expect(page.getByText('A root cause is required to resolve')).toBeVisible();
  const captured = await actionRequest;

  await queue.apply('Resolve', { rootCause: 'master_data', effort: '15', note: 'Fixed the item master and replayed' });
  await queue.expectResult('Resolved 2 exceptions');

  const openAfter = (await (await page.request.get('/api/v1/kpis?facility=DC2')).json()).openExceptions as number;
  expect(openAfter).toBe(openBefore - 2);

  await page.goto(`/exceptions/${ids[0]}`);
  const audit = page.getByTestId('audit-trail');
  await expect(audit).toContainText('acknowledged by ops@demo.synchealth.dev');
  await expect(audit).toContainText('assigned by ops@demo.synchealth.dev');
  await expect(audit).toContainText('resolved by ops@demo.synchealth.dev');
  await expect(audit).toContainText('rootCause: master_data');
  await expect(page.getByTestId('exception-effort')).toHaveText('15 min');
  await page.screenshot({ path: 'test-results/screens/daily-review-detail.png', fullPage: true });

  // The same server action replayed with a finance session is refused on the server.
  const finance = await browser.newContext({ storageState: storageStateFor('finance') });
  const headers = Object.fromEntries(
    Object.entries(await captured.allHeaders()).filter(([k]) => !['cookie', 'content-length', 'host'].includes(k)),
  );
  const replay = await finance.request.post(captured.url(), { headers, data: captured.postDataBuffer() ?? '' });
  expect(replay.status()).toBe(403);
  await finance.close();

  // An exception nobody has logged effort on says so plainly.
  await page.goto('/exceptions?state=open&sort=age&facility=DC1');
  await queue.rows().first().getByRole('link').first().click();
  await expect(page.getByTestId('exception-effort')).toHaveText('—');
});
