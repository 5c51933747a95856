import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { storageStateFor } from './roles';

/**
 * The page's width, and what sticks out of the viewport outside any scrolling box. Wide tables
 * scroll inside their cards; the page itself must not. On failure, the elements that stick out
 * say where.
 */
const layout = (page: Page) =>
  page.evaluate(() => {
    const scrolls = (el: Element) => ['auto', 'scroll', 'hidden'].includes(getComputedStyle(el).overflowX);
    const out: string[] = [];
    // Elements, and text (a long word overflows its box without widening it).
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(n);
      const right = n instanceof Element ? n.getBoundingClientRect().right : range.getBoundingClientRect().right;
      if (right <= window.innerWidth) continue;
      // A scrolling box clips what lies inside it, but an absolutely positioned element only
      // from its containing block (offsetParent) outwards.
      const position = n instanceof HTMLElement ? getComputedStyle(n).position : 'static';
      let inside = false;
      const from =
        position === 'absolute' ? (n as HTMLElement).offsetParent : position === 'fixed' ? null : n.parentElement;
      for (let a = from; a && !inside; a = a.parentElement) inside = scrolls(a);
      if (!inside)
        out.push(
          `${n instanceof Element ? n.tagName.toLowerCase() : 'text'} "${(n.textContent ?? '').trim().slice(0, 40)}" ends at ${Math.round(right)}`,
        );
    }
    return {
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      sticking: out.slice(0, 5),
    };
  });

const sticksOut = async (page: Page) => (await layout(page)).sticking;

const PAGES = [
  '/',
  '/review/daily',
  '/review/weekly',
  '/review/monthly',
  '/exceptions',
  '/exceptions?view=groups',
  '/exceptions/1',
  '/messages',
  '/tiles',
  '/admin',
  '/api-docs',
  '/reconciliation',
  '/reconciliation?facility=DC1&sku=SKU-10001',
  '/master-data',
  '/corrections?range=30d',
  '/alerts',
  '/alerts?view=all',
  '/alerts/1',
  '/admin/alerts/rules',
  '/admin/alerts/rules?rule=demo-old-exceptions',
  '/admin/alerts/channels',
  '/admin/alerts/silences',
  '/admin/alerts/deliveries',
];

test.describe('accessibility', () => {
  test.use({ storageState: storageStateFor('admin') });
  for (const path of PAGES) {
    test(`${path} has no serious or critical axe violations`, async ({ page }) => {
      await page.goto(path);
      await page.waitForLoadState('load');
      const results = await new AxeBuilder({ page }).analyze();
      const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(
        serious.map(
          (v) =>
            `${v.id}: ${v.nodes
              .slice(0, 3)
              .map((n) => n.target.join(' '))
              .join(' | ')}`,
        ),
      ).toEqual([]);
    });
  }

  test.describe('at phone width (390 px)', () => {
    test.use({ viewport: { width: 390, height: 800 } });
    for (const path of PAGES) {
      test(`${path} does not scroll sideways, and the user menu stays on screen`, async ({ page }) => {
        await page.goto(path);
        await page.waitForLoadState('load');
        // Whatever shows at load (the loading skeleton while the page streams, seen once at 400 px
        // wide), then the page itself once the skeleton is gone: both must fit.
        expect(await sticksOut(page)).toEqual([]);
        await expect(page.locator('[aria-busy="true"][aria-label="Loading"]')).toHaveCount(0);
        const { scrollWidth, innerWidth, sticking } = await layout(page);
        expect(sticking).toEqual([]);
        expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
        if (path !== '/tiles') {
          const box = await page.getByRole('button', { name: 'Sign out' }).boundingBox();
          expect(box && box.x + box.width).toBeLessThanOrEqual(innerWidth);
        }
      });
    }

    test('the loading skeleton fits too', async ({ page }) => {
      // Hold the next page's server render (not the router's prefetch, which brings the skeleton):
      // the skeleton stays until it is let through.
      let release = () => {};
      const held = new Promise<void>((r) => (release = r));
      const isPrefetch = (headers: Record<string, string>) => !!headers['next-router-prefetch'];
      await page.route(/\/api-docs/, async (route) => {
        if (!isPrefetch(route.request().headers())) await held;
        await route.continue();
      });
      const prefetched = page.waitForResponse((r) => /\/api-docs/.test(r.url()) && isPrefetch(r.request().headers()));
      await page.goto('/');
      await page.waitForLoadState('load');
      await prefetched;
      await page.getByRole('link', { name: 'API', exact: true }).click();
      await expect(page.getByLabel('Loading')).toBeVisible();
      expect(await sticksOut(page)).toEqual([]);
      release();
      await expect(page.getByRole('heading', { level: 1 })).toContainText('API');
    });
  });

  test('the overview loads every resource it asks for, its icon included', async ({ page, browser }) => {
    const failed: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    });
    await page.goto('/');
    await page.waitForLoadState('networkidle');
    expect(failed).toEqual([]);
    const icon = await page.locator('link[rel="icon"]').first().getAttribute('href');
    expect(icon).toBeTruthy();
    // Signed out too: the login page shows it.
    const signedOut = await browser.newContext();
    expect((await signedOut.request.get(new URL(icon!, page.url()).toString(), { maxRedirects: 0 })).status()).toBe(
      200,
    );
    await signedOut.close();
  });

  test('the login page has no serious or critical axe violations', async ({ browser }) => {
    const page = await (await browser.newContext()).newPage();
    await page.goto('/login');
    const results = await new AxeBuilder({ page }).analyze();
    expect(
      results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id),
    ).toEqual([]);
  });
});
