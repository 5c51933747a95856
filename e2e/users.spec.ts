import { expect, test, type Page } from '@playwright/test';
import { LoginPage } from './pages/login-page';
import { storageStateFor } from './roles';

test.use({ storageState: storageStateFor('admin') });

const PASSWORD = 'a-long-e2e-password';

async function usersCard(page: Page) {
  await page.goto('/admin');
  return page.locator('form').filter({ has: page.getByRole('button', { name: 'Add user' }) });
}

test('an admin adds a person, changes their role and switches the account off; their open session follows at its next click, and stays void when the account is switched on again', async ({
  page,
  browser,
}) => {
  const email = `e2e-person-${Date.now()}@example.com`;
  const form = await usersCard(page);
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Role').selectOption('it');
  await form.getByLabel('Initial password').fill('short');
  await form.getByRole('button', { name: 'Add user' }).click();
  // Refused: the error is on the field, and what was typed is still there to correct.
  await expect(form.locator('#user-password-error')).toContainText('At least 8 characters');
  await expect(form.getByLabel('Email')).toHaveValue(email);
  await expect(form.getByLabel('Role')).toHaveValue('it');
  await form.getByLabel('Initial password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Add user' }).click();
  await expect(form.getByRole('status')).toContainText(`Added ${email} as it.`);
  await expect(form.getByLabel('Email')).toHaveValue('');

  // The person signs in, in a browser of their own, and reads the message log (IT may).
  const theirs = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const them = await theirs.newPage();
  const login = new LoginPage(them);
  await login.goto('/messages');
  await login.signIn(email, PASSWORD);
  await expect(them).toHaveURL(/\/messages/);
  await expect(them.getByRole('heading', { level: 1 })).toHaveText('Message log');

  // Made ops: the same session is refused the log at its next request (SPEC 7: payloads are IT's).
  const row = page.getByTestId('user-row').filter({ hasText: email });
  await row.getByLabel(`Role of ${email}`).selectOption('ops');
  await row.getByRole('button', { name: 'Change role' }).click();
  await expect(row.getByRole('status')).toContainText(`${email} is now ops.`);
  const refused = await them.goto('/messages');
  expect(refused?.status()).toBe(403);
  await expect(them.getByTestId('forbidden')).toBeVisible();
  expect((await them.request.get('/api/export/messages')).status()).toBe(403);
  await expect((await them.goto('/review/daily'))!.status()).toBe(200);

  // Their session as it is now, to try again once the account is switched on again.
  const before = await theirs.storageState();

  // Switched off: the next page sends them to sign in, and signing in again is refused.
  await row.getByRole('button', { name: 'Disable' }).click();
  await expect(row).toContainText('switched off');
  await them.goto('/review/daily');
  await expect(them).toHaveURL(/\/login/);
  await login.signIn(email, PASSWORD);
  await login.expectError();
  expect((await them.request.get('/api/v1/kpis')).status()).toBe(401);

  // Enabled again: the session from before stays void (a stolen laptop does not come back to
  // life); they sign in anew and are back, as ops.
  await row.getByRole('button', { name: 'Enable' }).click();
  await expect(row).toContainText('active');
  const old = await browser.newContext({ storageState: before });
  const oldPage = await old.newPage();
  await oldPage.goto('/review/daily');
  await expect(oldPage).toHaveURL(/\/login/);
  expect((await old.request.get('/api/v1/kpis')).status()).toBe(401);
  await old.close();
  await login.goto('/review/daily');
  await login.signIn(email, PASSWORD);
  await expect(them).toHaveURL(/\/review\/daily/);
  expect((await them.goto('/messages'))!.status()).toBe(403);
  expect((await them.request.get('/api/v1/kpis')).status()).toBe(200);
  await theirs.close();
});
