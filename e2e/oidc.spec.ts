import { expect, test, type Page } from '@playwright/test';
import { LoginPage } from './pages/login-page';
import { OIDC_ACCOUNTS, OIDC_ISSUER, OIDC_NAME, startOidcProvider } from './oidc-idp';

/**
 * Single sign-on against a real OpenID provider (oidc-provider on loopback, see e2e/oidc-idp.ts):
 * the app under test is pointed at it by playwright.config.ts. No part of next-auth is replaced.
 */

let stop: (() => Promise<void>) | undefined;
test.beforeAll(async ({}, testInfo) => {
  stop = await startOidcProvider(String(testInfo.project.use.baseURL));
});
test.afterAll(async () => {
  await stop?.();
});

/** From the app's login page through the provider's login and consent pages. */
async function signInAtProvider(page: Page, login: keyof typeof OIDC_ACCOUNTS) {
  await page.goto('/login');
  await page.getByRole('button', { name: `Sign in with ${OIDC_NAME}` }).click();
  await page.waitForURL((u) => u.origin === OIDC_ISSUER);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

test('a person in the provider group mapped to `it` signs in with that role, even with password sign-in locked', async ({
  browser,
}) => {
  // Someone guesses at the person's password until password sign-in is locked for that email
  // (from an address of its own): single sign-on must stay open to them.
  const context = await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': '203.0.113.91' } });
  const page = await context.newPage();
  const password = new LoginPage(page);
  await password.goto();
  for (let i = 1; i <= 10; i++) {
    await password.signIn(OIDC_ACCOUNTS['oidc-it'].email, `guess-${i}`);
    await expect(page.getByTestId('login-error')).toHaveText(i < 10 ? /do not match/ : /Too many failed sign-ins/);
    await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeEnabled();
  }

  await signInAtProvider(page, 'oidc-it');
  // Back in the app, signed in: IT's daily page, and the role from the groups claim.
  await expect(page).toHaveURL((u) => u.origin !== OIDC_ISSUER && u.pathname === '/exceptions');
  await expect(page.getByTestId('user-role')).toHaveText('it');
  // IT may read the message log (SPEC 7), which an ops or a manager may not.
  const log = await page.goto('/messages');
  expect(log?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Message log');
  await context.close();
});

test('an account whose email the provider has not verified is refused, with a clear message', async ({ page }) => {
  await signInAtProvider(page, 'oidc-unverified');
  await expect(page).toHaveURL(/\/login\?error=EmailUnverified/);
  await expect(page.getByTestId('login-error')).toHaveText(
    'Your single sign-on account has no verified email address. Verify it with your provider first.',
  );
  // No session: the app sends them back to sign in.
  await page.goto('/');
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);
});
