import { expect, test } from '@playwright/test';
import { LoginPage } from './pages/login-page';
import { DEMO_PASSWORD, demoEmail, storageStateFor } from './roles';

const PASSWORD = 'a-long-e2e-password';
const LOCKED = 'Too many failed sign-ins for this account; try again in 15 minutes.';

test('ten wrong passwords lock the account with a clear message; the right one is then refused too', async ({
  browser,
}) => {
  // An account of its own, added by an admin: locking a demo account would shut out the other specs.
  const email = `e2e-throttle-${Date.now()}@example.com`;
  const admin = await browser.newContext({ storageState: storageStateFor('admin') });
  const adminPage = await admin.newPage();
  await adminPage.goto('/admin');
  const form = adminPage.locator('form').filter({ has: adminPage.getByRole('button', { name: 'Add user' }) });
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Role').selectOption('ops');
  await form.getByLabel('Initial password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Add user' }).click();
  await expect(form.getByRole('status')).toContainText(`Added ${email} as ops.`);
  await admin.close();

  // From an address of its own too (X-Forwarded-For, as a proxy would send it), so the failures
  // here do not count against the address the other specs sign in from.
  const context = await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': '203.0.113.27' } });
  const page = await context.newPage();
  const login = new LoginPage(page);
  await login.goto();
  for (let i = 1; i <= 9; i++) {
    await login.signIn(email, `wrong-guess-${i}`);
    await expect(page.getByTestId('login-error')).toHaveText('That email and password do not match an account.');
    await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeEnabled();
  }
  await login.signIn(email, 'wrong-guess-10');
  await expect(page.getByTestId('login-error')).toHaveText(LOCKED);
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeEnabled();

  // Locked: the right password is refused as well, and no session is made.
  await login.signIn(email, PASSWORD);
  await expect(page.getByTestId('login-error')).toHaveText(LOCKED);
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);

  // Only that account: another one signs in from the same address.
  await login.signIn(demoEmail('manager'), DEMO_PASSWORD);
  await expect(page.getByTestId('user-role')).toHaveText('manager');
  await context.close();
});
