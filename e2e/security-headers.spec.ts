import { expect, test, type APIResponse, type Page } from '@playwright/test';
import { storageStateFor } from './roles';
import { fromThisSite } from './same-origin';

/**
 * Security headers (issue 27, hole 5): every page a CSP whose scripts run by a nonce made for that
 * request, nothing framed but /tiles by the origins an admin names, nosniff and a referrer policy
 * on everything (pages, route handlers, static files), HSTS only over https.
 */
test.use({ storageState: storageStateFor('admin') });
test.use(fromThisSite);

const PAGES = [
  '/',
  '/exceptions',
  '/reconciliation',
  '/messages',
  '/master-data',
  '/corrections',
  '/imports',
  '/review/daily',
  '/review/weekly',
  '/review/monthly',
  '/api-docs',
  '/admin',
  '/tiles',
];

const csp = (res: APIResponse) => res.headers()['content-security-policy'] ?? '';
const directive = (policy: string, name: string) =>
  policy
    .split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith(`${name} `)) ?? '';

function expectBase(res: APIResponse, what: string) {
  expect(res.headers()['x-content-type-options'], what).toBe('nosniff');
  expect(res.headers()['referrer-policy'], what).toBe('strict-origin-when-cross-origin');
  expect(res.headers()['strict-transport-security'], `${what}: no HSTS over http`).toBeUndefined();
}

test('a page: a CSP with a fresh nonce that its own scripts carry, framed by nobody; nosniff, referrer policy', async ({
  page,
}) => {
  const first = await page.request.get('/');
  const second = await page.request.get('/');
  expectBase(first, '/');
  const policy = csp(first);
  const nonce = /'nonce-([^']+)'/.exec(directive(policy, 'script-src'))?.[1];
  expect(nonce, policy).toBeTruthy();
  expect(directive(policy, 'script-src')).toContain("'strict-dynamic'");
  expect(directive(policy, 'script-src')).not.toContain("'unsafe-inline'");
  expect(directive(policy, 'frame-ancestors')).toBe("frame-ancestors 'none'");
  expect(directive(policy, 'object-src')).toBe("object-src 'none'");
  expect(csp(second)).not.toContain(nonce!);
  // Next put the nonce on every script of the page it rendered.
  const html = await first.text();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  // The sign-in page too (signed out).
  const login = await page.request.get('/login', { headers: { cookie: '' } });
  expect(directive(csp(login), 'script-src')).toMatch(/'nonce-/);
  for (const tag of (await login.text()).match(/<script\b[^>]*>/g) ?? []) expect(tag).toMatch(/nonce="/);
});

test('route handlers and static files: nosniff, referrer policy, a CSP that runs and frames nothing', async ({
  page,
}) => {
  const html = await (await page.request.get('/')).text();
  const asset = /<script[^>]+src="(\/_next\/static\/[^"]+)"/.exec(html)![1];
  for (const path of [
    '/api/health',
    '/api/v1/kpis',
    '/api/admin/glossary',
    '/api/export/findings',
    asset,
    '/icon.svg',
  ]) {
    const res = await page.request.get(path);
    expectBase(res, path);
    expect(csp(res), path).toContain("default-src 'none'");
    expect(csp(res), path).toContain("frame-ancestors 'none'");
  }
});

test('HSTS only when the request came over https (X-Forwarded-Proto from the TLS proxy)', async ({ page }) => {
  const html = await (await page.request.get('/')).text();
  const asset = /<script[^>]+src="(\/_next\/static\/[^"]+)"/.exec(html)![1];
  for (const path of ['/', '/tiles', '/api/health', '/api/v1/kpis', '/api/admin/glossary', asset]) {
    const over = await page.request.get(path, { headers: { 'x-forwarded-proto': 'https' } });
    expect(over.headers()['strict-transport-security'], path).toMatch(/^max-age=\d{7,}/);
    expect((await page.request.get(path)).headers()['strict-transport-security'], path).toBeUndefined();
  }
});

test('/tiles may be framed by the origins an admin names on the admin page, and no other page', async ({ page }) => {
  const frameAncestors = async (path: string) => directive(csp(await page.request.get(path)), 'frame-ancestors');
  expect(await frameAncestors('/tiles')).toBe("frame-ancestors 'none'");

  await page.goto('/admin');
  const form = page.getByTestId('wall-framing-form');
  await form.getByLabel('Origin').fill('https://wall.example.com/tiles');
  await form.getByRole('button', { name: 'Allow origin' }).click();
  await expect(form.getByText('must be an http:// or https:// origin without a path')).toBeVisible();
  await form.getByLabel('Origin').fill('https://wall.example.com');
  await form.getByRole('button', { name: 'Allow origin' }).click();
  await expect(page.getByTestId('wall-framing-row')).toHaveText(/https:\/\/wall\.example\.com/);
  const api = await page.request.post('/api/admin/wall-framing', { data: { origin: 'http://signage.local:8080' } });
  expect(api.status()).toBe(201);

  try {
    expect(await frameAncestors('/tiles')).toBe('frame-ancestors https://wall.example.com http://signage.local:8080');
    expect(await frameAncestors('/tiles?range=7d')).toContain('https://wall.example.com');
    for (const other of ['/', '/admin', '/exceptions'])
      expect(await frameAncestors(other)).toBe("frame-ancestors 'none'");
  } finally {
    for (const origin of ['https://wall.example.com', 'http://signage.local:8080'])
      await page.request.delete(`/api/admin/wall-framing?origin=${encodeURIComponent(origin)}`);
  }
  expect(await frameAncestors('/tiles')).toBe("frame-ancestors 'none'");
});

/** Records CSP violations and console errors of a page from before its first script runs. */
async function watch(page: Page) {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`),
    );
  });
  const violations = () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
  return { errors, violations };
}

test('every main page renders under the policy, charts included, with no violation and no console error', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const { errors, violations } = await watch(page);
  for (const path of PAGES) {
    await page.goto(path);
    await page.waitForLoadState('networkidle');
    expect(await violations(), path).toEqual([]);
  }
  await page.goto('/');
  // recharts draws with inline style attributes: the trend charts are there, drawn.
  await expect(page.locator('.recharts-surface').first()).toBeVisible();
  // Hydrated: a client-side navigation works.
  await page.getByRole('link', { name: 'Exceptions' }).first().click();
  await expect(page).toHaveURL(/\/exceptions/);
  expect(await violations()).toEqual([]);
  expect(errors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
});

test('a 404 page carries a CSP whose nonce its own scripts carry: rendered per request, no violation', async ({
  page,
}) => {
  const { errors, violations } = await watch(page);
  // The app's own 404 (app/not-found.tsx, which Next once prerendered at build time, without a nonce),
  // the dashboard's (a record that does not exist), and a deeper unknown address.
  for (const [path, status] of [
    ['/no-such-page', 404],
    ['/admin/no/such/page', 404],
    ['/exceptions/99999999999', null],
  ] as const) {
    const res = (await page.goto(path))!;
    if (status) expect(res.status(), path).toBe(status);
    await expect(page.getByTestId('not-found'), path).toBeVisible();
    const nonce = /'nonce-([^']+)'/.exec(directive(res.headers()['content-security-policy'] ?? '', 'script-src'))?.[1];
    expect(nonce, path).toBeTruthy();
    const scripts = (await res.text()).match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length, path).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag, path).toContain(`nonce="${nonce}"`);
    await page.waitForLoadState('networkidle');
    expect(await violations(), path).toEqual([]);
  }
  expect(errors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
});

test('an inline script without the nonce, as an injection would put it in a page, is blocked and reported', async ({
  page,
}) => {
  const { violations } = await watch(page);
  // The page as the server sent it (its CSP header kept), with a script and a handler written into it.
  await page.route(
    (url) => url.pathname === '/',
    async (route) => {
      if (route.request().resourceType() !== 'document') return route.continue();
      const res = await route.fetch();
      const injected = '<script>window.__injected = 1;</script><img src="/nope.png" onerror="window.__injected = 2">';
      await route.fulfill({ response: res, body: (await res.text()).replace('</body>', `${injected}</body>`) });
    },
  );
  await page.goto('/');
  await expect(page.locator('.recharts-surface').first()).toBeVisible();
  await expect
    .poll(violations)
    .toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^script-src-elem inline/),
        expect.stringMatching(/^script-src-attr inline/),
      ]),
    );
  expect(await page.evaluate(() => (window as unknown as { __injected?: number }).__injected)).toBeUndefined();
});
