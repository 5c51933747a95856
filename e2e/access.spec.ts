import { expect, test, type APIRequestContext } from '@playwright/test';
import { ROLES, demoEmail, storageStateFor, type Role } from './roles';
import { fromThisSite } from './same-origin';

// Changes through page.request come from the app's own origin, as its pages' do (lib/auth/csrf.ts).
test.use(fromThisSite);

/**
 * SPEC section 7 as each role lives it: what an allowed role writes is saved and removed again, what a
 * refused role tries leaves every row as it was. Which route, page and action each principal may reach
 * at all is e2e/authz-matrix.spec.ts, over everything the code holds; this file keeps the journeys.
 */
/** Starting a reconciliation: ops, finance and admin (SPEC 7 "reconciliation run"). */
const RUNNERS: Role[] = ['ops', 'finance', 'admin'];

/** A CSV export's rows by its header (the admin exports quote no field these tests read). */
async function csvRows(request: APIRequestContext, path: string): Promise<Record<string, string>[]> {
  const res = await request.get(path);
  expect(res.status(), path).toBe(200);
  const [header, ...lines] = (await res.text()).trim().split('\r\n');
  const columns = header.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [columns[i], v])));
}

/** The demo accounts as the users CSV lists them. */
const demoUsers = async (admin: APIRequestContext) =>
  (await csvRows(admin, '/api/export/admin/users')).filter((u) => ROLES.some((r) => demoEmail(r) === u.email));

for (const role of ROLES) {
  test.describe(`as ${role}`, () => {
    test.use({ storageState: storageStateFor(role) });
    const runs = RUNNERS.includes(role);
    test(`${runs ? 'may start' : 'may not start'} a reconciliation`, async ({ page }) => {
      const res = await page.request.post('/api/v1/reconciliations', { data: { facility: 'DC3' } });
      if (runs) expect([202, 409]).toContain(res.status());
      else {
        expect(res.status()).toBe(403);
        expect((await res.json()).error.code).toBe('forbidden');
      }
    });
    const importer = role === 'it' || role === 'admin';
    test(`${importer ? 'may' : 'may not'} import files and save mapping profiles`, async ({ page }) => {
      const preview = await page.request.post('/api/v1/imports/sap-idoc-status?dryRun=true&facility=DC1', {
        headers: { 'content-type': 'text/plain' },
        data: 'DOCNUM\tMESTYP\tSTATUS\tCREDAT\tCRETIM\n0000000000000042\tWMMBXY\t53\t20261120\t080000\n',
      });
      expect(preview.status()).toBe(importer ? 200 : 403);
      if (importer) expect((await preview.json()).preview[0].record.messageId).toBe('0000000000000042');
      const fields = {
        messageId: 'id',
        txType: { const: 'receipt' },
        direction: { const: 'wms_to_erp' },
        status: { const: 'delivered' },
        createdAt: 'at',
        processedAt: 'at',
      };
      const save = await page.request.post('/api/imports/profiles', {
        data: { name: `access-${role}`, input: 'json', fields },
      });
      expect(save.status()).toBe(importer ? 201 : 403);
      if (importer) expect((await page.request.delete(`/api/imports/profiles?name=access-${role}`)).status()).toBe(200);
    });
    test(`${role === 'admin' ? 'may write' : 'may not write'} every admin list's API`, async ({
      page,
      playwright,
      baseURL,
    }) => {
      // Valid writes under keys of this test's own (E2E_ACCESS_<role>), none of which another spec reads; an
      // admin removes what it wrote. A refused role also tries to remove rows that exist: they stay.
      const admin = await playwright.request.newContext({ baseURL, storageState: storageStateFor('admin') });
      const rows = async (list: string, key: string) =>
        (await (await admin.get(`/api/admin/${list}`)).json())[key] as Record<string, unknown>[];
      const mine = `E2E_ACCESS_${role}`;
      const [rule] = await rows('root-cause-rules', 'rules');
      const [threshold] = await rows('thresholds', 'thresholds');
      const [owner] = await rows('ownership', 'ownership');
      const [entry] = await rows('glossary', 'glossary');
      const lists = [
        {
          list: 'thresholds',
          key: 'thresholds',
          method: 'PUT',
          body: { kpi: 'duplicateCount', facility: mine, amber: 2, red: 4, worse: 'up' },
          isMine: (r: Record<string, unknown>) => r.facility === mine,
          removeMine: `kpi=duplicateCount&facility=${mine}`,
          existing: `kpi=${threshold.kpi}&facility=${encodeURIComponent(String(threshold.facility))}`,
          isExisting: (r: Record<string, unknown>) => r.kpi === threshold.kpi && r.facility === threshold.facility,
        },
        {
          list: 'root-cause-rules',
          key: 'rules',
          method: 'POST',
          body: { priority: 990, messagePattern: mine, category: 'timing' },
          isMine: (r: Record<string, unknown>) => r.messagePattern === mine,
          removeMine: 'id=', // the id the admin's POST answers
          existing: `id=${rule.id}`,
          isExisting: (r: Record<string, unknown>) => r.id === rule.id,
        },
        {
          list: 'ownership',
          key: 'ownership',
          method: 'PUT',
          body: { dataObject: 'item', field: mine.toLowerCase(), owner: 'wms' },
          isMine: (r: Record<string, unknown>) => r.field === mine.toLowerCase(),
          removeMine: `dataObject=item&field=${mine.toLowerCase()}`,
          existing: `dataObject=${owner.dataObject}&field=${owner.field}`,
          isExisting: (r: Record<string, unknown>) => r.dataObject === owner.dataObject && r.field === owner.field,
        },
        {
          list: 'glossary',
          key: 'glossary',
          method: 'PUT',
          body: { errorCode: mine, meaning: 'Written by e2e/access.spec.ts.' },
          isMine: (r: Record<string, unknown>) => r.errorCode === mine,
          removeMine: `errorCode=${mine}`,
          existing: `errorCode=${entry.errorCode}`,
          isExisting: (r: Record<string, unknown>) => r.errorCode === entry.errorCode,
        },
        {
          // The default hour, so no check reads another SLA while the admin's own row exists.
          list: 'step-slas',
          key: 'slas',
          method: 'PUT',
          body: { txType: 'purchase_order', slaMs: role === 'admin' ? 3_600_000 : 60_000 },
          isMine: (r: Record<string, unknown>) => r.txType === 'purchase_order' && r.own === true,
          removeMine: 'txType=purchase_order',
          existing: 'txType=receipt',
          isExisting: (r: Record<string, unknown>) => r.txType === 'receipt',
        },
      ] as const;
      try {
        for (const l of lists) {
          const path = `/api/admin/${l.list}`;
          const write = await page.request.fetch(path, { method: l.method, data: l.body });
          if (role === 'admin') {
            expect(write.status(), `${l.method} ${path}`).toBe(201);
            const id = l.list === 'root-cause-rules' ? (await write.json()).rule.id : '';
            expect((await rows(l.list, l.key)).filter(l.isMine), path).toHaveLength(1);
            const del = await page.request.delete(`${path}?${l.removeMine}${id}`);
            expect(del.status(), `DELETE ${path}`).toBe(200);
          } else {
            const del = await page.request.delete(`${path}?${l.existing}`);
            for (const res of [write, del]) {
              expect(res.status(), `${res.url()}`).toBe(403);
              expect((await res.json()).error.code).toBe('forbidden');
            }
            expect((await rows(l.list, l.key)).filter(l.isExisting), path).toHaveLength(1);
          }
          expect((await rows(l.list, l.key)).filter(l.isMine), path).toEqual([]);
        }
      } finally {
        await admin.dispose();
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
    test(`${role === 'admin' ? 'may change' : 'may not change'} a person's role`, async ({
      page,
      playwright,
      baseURL,
    }) => {
      const admin = await playwright.request.newContext({ baseURL, storageState: storageStateFor('admin') });
      const self = async () => (await demoUsers(admin)).find((u) => u.email === demoEmail(role))!;
      const me = await self();
      // An invalid role: refused whoever asks, so the demo accounts stay as they are.
      const invalid = await page.request.patch(`/api/admin/users/${me.id}`, { data: { role: 'owner' } });
      // A valid one: an admin keeps its own role (a change that changes nothing); the others try to become admin.
      const valid = await page.request.patch(`/api/admin/users/${me.id}`, { data: { role: 'admin' } });
      if (role === 'admin') {
        expect(invalid.status()).toBe(422);
        expect((await invalid.json()).error.details).toEqual([
          { field: 'role', message: 'one of ops, finance, it, manager, admin' },
        ]);
        expect(valid.status()).toBe(200);
        expect((await valid.json()).user).toMatchObject({ email: me.email, role: 'admin', disabled: false });
      } else {
        for (const res of [invalid, valid]) {
          expect(res.status()).toBe(403);
          expect((await res.json()).error.code).toBe('forbidden');
        }
      }
      expect(await self()).toEqual(me);
      await admin.dispose();
    });
    test(`${role === 'admin' ? 'may start' : 'may not start'} a rollup rebuild`, async ({
      page,
      playwright,
      baseURL,
    }) => {
      const admin = await playwright.request.newContext({ baseURL, storageState: storageStateFor('admin') });
      const mine = async () =>
        (await csvRows(admin, '/api/export/admin/rollup-rebuilds')).filter((r) => r.requestedBy === demoEmail(role));
      const before = await mine();
      const res = await page.request.post('/api/admin/rollup-rebuilds');
      if (role === 'admin') {
        expect([202, 409]).toContain(res.status());
        // 409: one is queued or running already, the newest in the list.
        const id =
          res.status() === 202
            ? (await res.json()).id
            : (await csvRows(admin, '/api/export/admin/rollup-rebuilds'))[0].id;
        expect((await page.request.get(`/api/admin/rollup-rebuilds/${id}`)).status()).toBe(200);
      } else {
        expect(res.status()).toBe(403);
        expect((await res.json()).error.code).toBe('forbidden');
        expect(await mine()).toEqual(before);
        const read = await page.request.get('/api/admin/rollup-rebuilds/1');
        expect(read.status()).toBe(403);
        expect((await read.json()).error.code).toBe('forbidden');
      }
      await admin.dispose();
    });
  });
}

test.describe("the admin page's server actions", () => {
  test("refuse every other role: the form's own POST, sent with their session, changes nothing", async ({
    browser,
    playwright,
    baseURL,
  }) => {
    const code = 'E2E_ACCESS_ACTION';
    const adminContext = await browser.newContext({ storageState: storageStateFor('admin') });
    const page = await adminContext.newPage();
    // A server action is a POST to the page with the action's id in a Next-Action header and the bound list
    // name and the form in its body: the one the glossary form sends is held back, so the admin's click saves
    // nothing, and sent again below with each role's session.
    let held: { headers: Record<string, string>; body: Buffer } | undefined;
    const ACTION_HEADERS = ['next-action', 'next-router-state-tree', 'content-type', 'accept', 'origin'];
    await page.route('**/admin', async (route) => {
      const req = route.request();
      if (req.method() !== 'POST' || !req.headers()['next-action']) return route.continue();
      held = { headers: req.headers(), body: req.postDataBuffer()! };
      return route.abort();
    });
    await page.goto('/admin');
    const form = page.getByTestId('glossary-form');
    await form.getByLabel('Error code').fill(code);
    await form.getByLabel('Meaning').fill('Written by e2e/access.spec.ts.');
    await form.getByRole('button', { name: 'Save entry' }).click();
    await expect.poll(() => held).toBeDefined();
    const codes = async () =>
      ((await (await adminContext.request.get('/api/admin/glossary')).json()).glossary as { errorCode: string }[]).map(
        (g) => g.errorCode,
      );
    expect(await codes()).not.toContain(code);
    const send = async (role: Role | null) => {
      const storageState = role ? storageStateFor(role) : { cookies: [], origins: [] };
      const request = await playwright.request.newContext({ baseURL, storageState });
      // What makes it a server action, and no more: the browser's headers carry the admin's cookie.
      const headers = Object.fromEntries(ACTION_HEADERS.map((h) => [h, held!.headers[h]]).filter(([, v]) => v));
      const res = await request.post('/admin', { headers, data: held!.body, maxRedirects: 0 });
      const answer = { status: res.status(), headers: res.headers(), text: await res.text() };
      await request.dispose();
      return answer;
    };
    try {
      for (const role of ROLES.filter((r) => r !== 'admin')) {
        const res = await send(role);
        expect(res.status, `${role}: ${res.text.slice(0, 200)}`).toBe(403);
        expect(await codes(), role).not.toContain(code);
      }
      // Signed out, the proxy sends it to sign in before any action runs.
      const signedOut = await send(null);
      expect(signedOut.status).toBe(307);
      expect(signedOut.headers.location).toBe('/login?callbackUrl=%2Fadmin');
      expect(await codes()).not.toContain(code);
      // The same request with an admin's session saves the entry: what refused the others was their role.
      const res = await send('admin');
      expect(res.status, res.text.slice(0, 200)).toBe(200);
      // serveAction revalidated /admin (Next says so in this header).
      expect(res.headers['x-action-revalidated']).toBeTruthy();
      expect(await codes()).toContain(code);
    } finally {
      await adminContext.request.delete(`/api/admin/glossary?errorCode=${code}`);
      await adminContext.close();
    }
  });
});
