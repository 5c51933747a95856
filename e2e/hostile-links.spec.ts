import { expect, test } from '@playwright/test';
import Papa from 'papaparse';
import { apiWithKey, cliApiKey } from './api-client';
import { LoginPage } from './pages/login-page';
import { DEMO_PASSWORD, demoEmail, storageStateFor } from './roles';

/**
 * Links and files an attacker can hand a user: a sign-in link that would send them to another
 * origin afterwards (issue 27, open redirect), and message fields that a spreadsheet would run as a
 * formula when the user opens an export (issue 27, CSV injection).
 */

/** callbackUrl values as they would be written into a link (already percent-encoded where shown). */
const HOSTILE = [
  '/%5Cevil.example',
  '//evil.example',
  '/%5C/evil.example',
  '/%09/evil.example',
  'https://evil.example',
  'javascript:alert(1)',
];

test.describe('sign-in with a hostile callbackUrl', () => {
  test('never leaves the origin, signing in or already signed in', async ({ browser, baseURL }) => {
    const origin = new URL(baseURL!).origin;
    for (const callbackUrl of HOSTILE) {
      const context = await browser.newContext({ baseURL });
      const page = await context.newPage();
      await page.goto(`/login?callbackUrl=${callbackUrl}`);
      await new LoginPage(page).signIn(demoEmail('ops'), DEMO_PASSWORD);
      // ops' landing page (lib/auth/permissions LANDING) on this origin.
      await page.waitForURL((u) => u.pathname === '/exceptions', { timeout: 30_000 });
      expect(new URL(page.url()).origin, callbackUrl).toBe(origin);
      // Signed in, the login page answers with a redirect of its own: it too stays here.
      const res = await page.request.get(`/login?callbackUrl=${callbackUrl}`, { maxRedirects: 0 });
      expect(res.status(), callbackUrl).toBeGreaterThanOrEqual(300);
      expect(res.status(), callbackUrl).toBeLessThan(400);
      const location = res.headers()['location'];
      expect(new URL(location, baseURL).origin, `${callbackUrl} → ${location}`).toBe(origin);
      expect(location, callbackUrl).not.toMatch(/^(\/\/|\/\\|[a-z]+:)/i);
      await context.close();
    }
  });

  test('a same-origin callbackUrl is still honoured', async ({ page }) => {
    await page.goto(`/login?callbackUrl=${encodeURIComponent('/messages?range=24h')}`);
    await new LoginPage(page).signIn(demoEmail('it'), DEMO_PASSWORD);
    await page.waitForURL((u) => u.pathname === '/messages' && u.searchParams.get('range') === '24h');
  });
});

test.describe('CSV export of hostile message fields', () => {
  test.use({ storageState: storageStateFor('it') });

  test('text a spreadsheet would evaluate is prefixed with a quote; numbers stay numbers', async ({
    page,
    playwright,
    baseURL,
  }) => {
    const stamp = Date.now();
    const messageId = `-2+3+cmd|' /C calc'!A0-${stamp}`;
    const errorCode = `CSVINJ${stamp}`;
    const api = await apiWithKey(playwright, baseURL, cliApiKey(`csv-injection-${stamp}`));
    const now = new Date().toISOString();
    const sent = await api.post('/api/v1/messages', {
      data: [
        {
          messageId,
          txType: 'receipt',
          direction: 'wms_to_erp',
          facility: 'DC1',
          correlationKey: '=HYPERLINK("http://evil.example","x")',
          sku: '@SUM(1+1)',
          quantity: '-5',
          uom: 'EA',
          status: 'failed',
          attempts: 1,
          errorCode,
          errorMessage: "-2+3+cmd|' /C calc'!A0",
          createdAt: now,
          updatedAt: now,
        },
      ],
    });
    expect(sent.status(), await sent.text()).toBe(200);
    expect((await sent.json()).accepted).toBe(1);
    await api.dispose();

    const messages = await page.request.get(`/api/export/messages?range=24h&q=${encodeURIComponent(messageId)}`);
    expect(messages.status()).toBe(200);
    const [row] = Papa.parse<Record<string, string>>(await messages.text(), {
      header: true,
      skipEmptyLines: true,
    }).data;
    expect(row).toMatchObject({
      messageId: `'${messageId}`,
      correlationKey: `'=HYPERLINK("http://evil.example","x")`,
      sku: "'@SUM(1+1)",
      quantity: '-5',
      errorCode,
    });

    const exceptions = await page.request.get(`/api/export/exceptions?state=all&errorCode=${errorCode}`);
    expect(exceptions.status()).toBe(200);
    const [exception] = Papa.parse<Record<string, string>>(await exceptions.text(), {
      header: true,
      skipEmptyLines: true,
    }).data;
    expect(exception).toMatchObject({
      messageId: `'${messageId}`,
      sku: "'@SUM(1+1)",
      errorMessage: "'-2+3+cmd|' /C calc'!A0",
    });
  });
});
