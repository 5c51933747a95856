import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, ROLES, demoEmail, type Role } from './roles';
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
      // A link may carry a badge after its label (Alerts: "3 firing").
      const expected = pagesFor(role).map((p) => new RegExp(`^${p.label}(\\d+ firing)?$`));
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

  /** Each role's daily work (issue 28 point 8), written out by hand rather than read from the app's own map. */
  const LANDING: Record<Role, { url: string; heading: string }> = {
    ops: { url: '/exceptions', heading: 'Exception queue' },
    finance: { url: '/reconciliation', heading: 'Reconciliation' },
    it: { url: '/exceptions?view=groups', heading: 'Exception queue' },
    manager: { url: '/', heading: 'Overview' },
    admin: { url: '/', heading: 'Overview' },
  };
  const path = (u: URL) => u.pathname + u.search;

  for (const role of ROLES) {
    test(`${role} lands on their daily page when signing in without a callbackUrl`, async ({ page }) => {
      const login = new LoginPage(page);
      await login.goto();
      await login.signIn(demoEmail(role), DEMO_PASSWORD);
      await expect(page).toHaveURL((u) => path(u) === LANDING[role].url);
      await expect(page.getByRole('heading', { level: 1, name: LANDING[role].heading })).toBeVisible();
    });
  }

  test('opening the app lands on the daily page; a page asked for wins; the overview stays open', async ({ page }) => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2F/);
    const login = new LoginPage(page);
    await login.signIn(demoEmail('finance'), DEMO_PASSWORD);
    await expect(page).toHaveURL((u) => path(u) === '/reconciliation');
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.goto('/review/weekly?facility=DC1');
    await expect(page).toHaveURL(/\/login\?callbackUrl=/);
    await login.signIn(demoEmail('ops'), DEMO_PASSWORD);
    await expect(page).toHaveURL((u) => path(u) === '/review/weekly?facility=DC1');
  });
});
