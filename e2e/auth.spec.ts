import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, ROLES, demoEmail } from './roles';
import { LoginPage } from './pages/login-page';
import { pagesFor } from '../lib/auth/permissions';

test.describe('sign-in', () => {
  for (const role of ROLES) {
    test(`${role} signs in, sees their navigation and signs out`, async ({ page }) => {
      const login = new LoginPage(page);
      await login.goto();
      await login.signIn(demoEmail(role), DEMO_PASSWORD);
      await expect(page.getByTestId('user-role')).toHaveText(role);
      const nav = page.getByTestId('main-nav');
      const expected = pagesFor(role).map((p) => p.label);
      await expect(nav.getByRole('link')).toHaveText(expected);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await expect(page).toHaveURL(/\/login/);
      await page.goto('/');
      await expect(page).toHaveURL(/\/login\?callbackUrl=%2F/);
    });
  }

  test('a wrong password shows an error and no session', async ({ page }) => {
    const login = new LoginPage(page);
    await login.goto();
    await login.signIn(demoEmail('ops'), 'not-the-password');
    await login.expectError();
    await expect(page.getByTestId('login-error')).toContainText('do not match');
    await page.goto('/');
    await expect(page).toHaveURL(/\/login/);
  });

  test('demo credentials are shown on the login page in demo mode', async ({ page }) => {
    await page.goto('/login');
    await expect(page.getByTestId('demo-credentials')).toContainText(DEMO_PASSWORD);
  });
});
