import { expect, test } from '@playwright/test';
import { ROLES, storageStateFor, type Role } from './roles';

/**
 * SPEC section 7, written out by hand (not derived from the app's own permission map), over every
 * page and route that exists: each role gets what the matrix says and nothing more.
 */
const ALL: Role[] = ['ops', 'finance', 'it', 'manager', 'admin'];
const PAGES: { path: string; allowed: Role[] }[] = [
  { path: '/', allowed: ALL },
  { path: '/exceptions', allowed: ALL },
  { path: '/exceptions?view=groups', allowed: ALL },
  { path: '/exceptions/1', allowed: ALL },
  { path: '/tiles', allowed: ALL },
  { path: '/review/daily', allowed: ALL },
  { path: '/review/daily?day=2026-01-05&facility=DC1', allowed: ALL },
  { path: '/review/weekly', allowed: ALL },
  { path: '/review/monthly?month=2026-01', allowed: ALL },
  { path: '/reconciliation', allowed: ['ops', 'finance', 'it', 'manager', 'admin'] },
  { path: '/reconciliation?sku=SKU-10001&facility=DC1', allowed: ['ops', 'finance', 'it', 'manager', 'admin'] },
  { path: '/master-data', allowed: ['ops', 'finance', 'it', 'admin'] },
  { path: '/corrections', allowed: ['ops', 'finance', 'manager', 'admin'] },
  { path: '/messages', allowed: ['it', 'admin'] },
  { path: '/api-docs', allowed: ['it', 'admin'] },
  { path: '/admin', allowed: ['admin'] },
];
const ROUTES: { path: string; allowed: Role[] }[] = [
  { path: '/api/v1/kpis', allowed: ALL },
  { path: '/api/tiles?range=24h', allowed: ALL },
  { path: '/api/export/exceptions?state=open', allowed: ALL },
  { path: '/api/export/review/daily?table=open', allowed: ALL },
  { path: '/api/export/review/weekly?table=skus', allowed: ALL },
  { path: '/api/export/review/monthly?table=totals', allowed: ALL },
  { path: '/api/v1/messages/__first__', allowed: ['it', 'admin'] },
  { path: '/api/v1/reconciliations/1', allowed: ['ops', 'finance', 'it', 'manager', 'admin'] },
  { path: '/api/export/differences', allowed: ['ops', 'finance', 'it', 'manager', 'admin'] },
  { path: '/api/export/findings', allowed: ['ops', 'finance', 'it', 'admin'] },
  { path: '/api/export/corrections?range=30d', allowed: ['ops', 'finance', 'manager', 'admin'] },
  { path: '/api/export/admin/users', allowed: ['admin'] },
  { path: '/api/export/admin/api-keys', allowed: ['admin'] },
  { path: '/api/export/admin/rollup-rebuilds', allowed: ['admin'] },
  { path: '/api/admin/thresholds', allowed: ['admin'] },
  { path: '/api/admin/root-cause-rules', allowed: ['admin'] },
  { path: '/api/admin/ownership', allowed: ['admin'] },
  { path: '/api/admin/glossary', allowed: ['admin'] },
  { path: '/api/admin/step-slas', allowed: ['admin'] },
  { path: '/api/export/admin/step-slas', allowed: ['admin'] },
];
/** Starting a reconciliation: ops, finance and admin (SPEC 7 "reconciliation run"). */
const RUNNERS: Role[] = ['ops', 'finance', 'admin'];

let firstMessageId = '';

test.beforeAll(async ({ browser }) => {
  const ctx = await browser.newContext({ storageState: storageStateFor('it') });
  const res = await ctx.request.get('/api/export/exceptions?state=all');
  const [, first] = (await res.text()).split('\r\n');
  firstMessageId = first.split(',')[1];
  await ctx.close();
});

for (const role of ROLES) {
  test.describe(`as ${role}`, () => {
    test.use({ storageState: storageStateFor(role) });
    for (const p of PAGES) {
      const allowed = p.allowed.includes(role);
      test(`${allowed ? 'opens' : 'is refused'} ${p.path}`, async ({ page }) => {
        const res = await page.goto(p.path);
        if (allowed) {
          expect(res?.status()).toBe(200);
          await expect(page.getByTestId('forbidden')).toHaveCount(0);
        } else {
          expect(res?.status()).toBe(403);
          await expect(page.getByTestId('forbidden')).toBeVisible();
        }
      });
    }
    for (const r of ROUTES) {
      const allowed = r.allowed.includes(role);
      test(`${allowed ? 'reads' : 'gets 403 from'} ${r.path}`, async ({ page }) => {
        const res = await page.request.get(r.path.replace('__first__', encodeURIComponent(firstMessageId)));
        expect(res.status()).toBe(allowed ? 200 : 403);
        if (!allowed) expect((await res.json()).error.code).toBe('forbidden');
      });
    }
    const runs = RUNNERS.includes(role);
    test(`${runs ? 'may start' : 'may not start'} a reconciliation`, async ({ page }) => {
      const res = await page.request.post('/api/v1/reconciliations', { data: { facility: 'DC3' } });
      if (runs) expect([202, 409]).toContain(res.status());
      else {
        expect(res.status()).toBe(403);
        expect((await res.json()).error.code).toBe('forbidden');
      }
    });
    test(`${role === 'admin' ? 'may change' : 'may not read or change'} thresholds`, async ({ page }) => {
      // A facility of this test's own, so no page another test reads changes colour.
      const t = { kpi: 'duplicateCount', facility: `E2E-${role}`, amber: 2, red: 4, worse: 'up' };
      const put = await page.request.put('/api/admin/thresholds', { data: t });
      const list = await page.request.get('/api/admin/thresholds');
      const del = await page.request.delete(`/api/admin/thresholds?kpi=duplicateCount&facility=E2E-${role}`);
      if (role === 'admin') {
        expect(put.status()).toBe(201);
        expect((await list.json()).thresholds).toContainEqual(t);
        expect(del.status()).toBe(200);
      } else {
        for (const res of [put, list, del]) {
          expect(res.status()).toBe(403);
          expect((await res.json()).error.code).toBe('forbidden');
        }
      }
    });
    test(`${role === 'admin' ? 'gets field errors from' : 'may not write'} the admin lists`, async ({ page }) => {
      // Invalid bodies, so nothing changes whoever asks: an admin is told why, the others are refused.
      const writes = [
        page.request.post('/api/admin/root-cause-rules', { data: { priority: 0 } }),
        page.request.put('/api/admin/ownership', { data: { dataObject: 'X' } }),
        page.request.put('/api/admin/glossary', { data: { errorCode: '' } }),
        page.request.delete('/api/admin/root-cause-rules?id=999999'),
        page.request.put('/api/admin/step-slas', { data: { txType: 'receipt', slaMs: 0 } }),
      ];
      const [rule, owner, glossary, del, sla] = await Promise.all(writes);
      if (role === 'admin') {
        for (const res of [rule, owner, glossary, sla]) {
          expect(res.status()).toBe(422);
          expect((await res.json()).error.details.length).toBeGreaterThan(0);
        }
        expect(del.status()).toBe(404);
      } else {
        for (const res of [rule, owner, glossary, del, sla]) {
          expect(res.status()).toBe(403);
          expect((await res.json()).error.code).toBe('forbidden');
        }
      }
    });
    test(`${role === 'admin' ? 'may change' : 'may not change'} a person's role`, async ({ page }) => {
      // An invalid role: refused whoever asks, so the demo accounts stay as they are.
      const res = await page.request.patch('/api/admin/users/1', { data: { role: 'owner' } });
      if (role === 'admin') {
        expect(res.status()).toBe(422);
        expect((await res.json()).error.details).toEqual([
          { field: 'role', message: 'one of ops, finance, it, manager, admin' },
        ]);
      } else {
        expect(res.status()).toBe(403);
        expect((await res.json()).error.code).toBe('forbidden');
      }
    });
    test(`${role === 'admin' ? 'may start' : 'may not start'} a rollup rebuild`, async ({ page }) => {
      const res = await page.request.post('/api/admin/rollup-rebuilds');
      if (role === 'admin') expect([202, 409]).toContain(res.status());
      else {
        expect(res.status()).toBe(403);
        expect((await res.json()).error.code).toBe('forbidden');
      }
    });
  });
}

test.describe('signed out', () => {
  for (const p of PAGES) {
    test(`${p.path} redirects to sign-in`, async ({ page }) => {
      await page.goto(p.path);
      await expect(page).toHaveURL(/\/login\?callbackUrl=/);
    });
  }
  for (const r of [...ROUTES.map((x) => x.path), '/api/v1/messages', '/api/admin/rollup-rebuilds']) {
    test(`${r} answers 401 JSON`, async ({ request }) => {
      const post = r === '/api/v1/messages' || r === '/api/admin/rollup-rebuilds';
      const res = post ? await request.post(r, { data: [] }) : await request.get(r);
      expect(res.status()).toBe(401);
      expect((await res.json()).error.code).toBe('unauthorized');
    });
  }
});
