/**
 * The admin lists as their declarations serve them: the API route, the CSV and the server actions,
 * with the session stood in for, against a real database. A role without the list's capability
 * is refused by each, before anything is read or written.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { sql } from 'drizzle-orm';
import type { DbHandle } from '@/db';
import { freshDb } from '@/lib/testing/db';
import { stub as session } from '@/lib/testing/next-stubs';

vi.mock('next-auth', () => import('@/lib/testing/next-stubs').then((m) => m.nextAuth));
vi.mock('next/navigation', () => import('@/lib/testing/next-stubs').then((m) => m.navigation));
vi.mock('next/headers', () => import('@/lib/testing/next-stubs').then((m) => m.nextHeaders));
vi.mock('next/cache', () => import('@/lib/testing/next-stubs').then((m) => m.nextCache));

const { listCsv, listRoute } = await import('@/lib/admin/list-route');
const { runListAction } = await import('@/lib/admin/list-actions');
const { ADMIN_LISTS } = await import('@/lib/admin/lists');

let h: DbHandle;
beforeAll(async () => {
  h = await freshDb();
});
afterAll(async () => h.close());
beforeEach(() => {
  session.role = 'admin';
});

type Method = 'GET' | 'PUT' | 'POST' | 'DELETE';
async function call(method: Method, path: string, body?: unknown) {
  const url = new URL(path, 'http://test');
  const list = url.pathname.split('/')[3];
  const req = new Request(url, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const res = await listRoute(method)(req, { params: Promise.resolve({ list }) });
  return {
    status: res.status,
    body: res.status === 405 || res.headers.get('content-type')?.includes('json') ? await res.json() : null,
  };
}

const form = (values: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(values)) f.append(k, v);
  return f;
};

describe('an admin list API made from its declaration', () => {
  it('saves (201 new, 200 changed), lists, refuses by field and removes, as the hand-written routes did', async () => {
    expect(await call('PUT', '/api/admin/glossary', { errorCode: 'BAD CODE' })).toEqual({
      status: 422,
      body: {
        error: {
          code: 'validation_failed',
          message: 'The glossary entry was not saved.',
          details: ['errorCode: no spaces', 'meaning: is required'],
        },
      },
    });
    expect(await call('PUT', '/api/admin/glossary', { errorCode: 'E_MAP', meaning: 'Not mapped.' })).toEqual({
      status: 201,
      body: { saved: true },
    });
    expect(
      (await call('PUT', '/api/admin/glossary', { errorCode: 'E_MAP', meaning: 'Still not mapped.' })).status,
    ).toBe(200);
    const list = await call('GET', '/api/admin/glossary');
    expect(list.body.glossary).toContainEqual({ errorCode: 'E_MAP', meaning: 'Still not mapped.', action: null });
    expect(await call('DELETE', '/api/admin/glossary?errorCode=')).toEqual({
      status: 400,
      body: {
        error: { code: 'bad_request', message: 'Say which entry to remove.', details: ['errorCode: is required'] },
      },
    });
    expect(await call('DELETE', '/api/admin/glossary?errorCode=E_MAP')).toEqual({
      status: 200,
      body: { removed: { errorCode: 'E_MAP' } },
    });
    expect((await call('DELETE', '/api/admin/glossary?errorCode=E_MAP')).status).toBe(404);
  });

  it('answers each list in its own shape', async () => {
    const rule = await call('POST', '/api/admin/root-cause-rules', {
      priority: 3,
      messagePattern: 'bin',
      category: 'timing',
    });
    expect(rule).toMatchObject({
      status: 201,
      body: { rule: { priority: 3, messagePattern: 'bin', errorCodePattern: null, category: 'timing' } },
    });
    expect(await call('DELETE', '/api/admin/root-cause-rules?id=x')).toMatchObject({
      status: 400,
      body: { error: { details: ['id: a rule id is required'] } },
    });
    expect(await call('DELETE', `/api/admin/root-cause-rules?id=${rule.body.rule.id}`)).toEqual({
      status: 200,
      body: { removed: { id: rule.body.rule.id } },
    });
    const t = { kpi: 'duplicateCount', facility: ' DC9 ', amber: 2, red: 4, worse: 'up' };
    expect(await call('PUT', '/api/admin/thresholds', t)).toEqual({
      status: 201,
      body: { threshold: { ...t, facility: 'DC9' } },
    });
    expect((await call('GET', '/api/admin/thresholds')).body.thresholds).toContainEqual({ ...t, facility: 'DC9' });
    expect(await call('DELETE', '/api/admin/thresholds')).toMatchObject({
      status: 400,
      body: {
        error: {
          message: 'Say which threshold to remove.',
          details: ['kpi: is required', "facility: is required ('*' for the default)"],
        },
      },
    });
    expect((await call('DELETE', '/api/admin/thresholds?kpi=duplicateCount&facility=DC9')).body).toEqual({
      removed: { kpi: 'duplicateCount', facility: 'DC9' },
    });
    expect((await call('GET', '/api/admin/step-slas')).body.slas).toContainEqual({
      txType: 'receipt',
      slaMs: 3_600_000,
      own: false,
    });
    expect(await call('PUT', '/api/admin/ownership', { dataObject: 'X' })).toMatchObject({ status: 422 });
  });

  it('answers 405 for a method a list lacks and 404 for a list without an API', async () => {
    expect(await call('POST', '/api/admin/glossary', {})).toMatchObject({
      status: 405,
      body: { error: { code: 'method_not_allowed' } },
    });
    expect((await call('PUT', '/api/admin/root-cause-rules', {})).status).toBe(405);
    for (const path of ['/api/admin/users', '/api/admin/api-keys', '/api/admin/nope', '/api/admin/__proto__']) {
      expect((await call('GET', path)).status, path).toBe(404);
    }
  });

  it('refuses every other role, and the signed-out', async () => {
    for (const role of ['ops', 'finance', 'it', 'manager']) {
      session.role = role;
      for (const name of ['thresholds', 'root-cause-rules', 'ownership', 'glossary', 'step-slas']) {
        for (const method of ['GET', 'DELETE'] as const) {
          expect(await call(method, `/api/admin/${name}?id=1`), `${role} ${method} ${name}`).toMatchObject({
            status: 403,
            body: { error: { code: 'forbidden' } },
          });
        }
      }
    }
    session.role = null;
    expect((await call('GET', '/api/admin/glossary')).status).toBe(401);
  });
});

describe('an admin list CSV made from its declaration', () => {
  const csv = async (table: string) => {
    const res = await listCsv(new Request(`http://test/api/export/admin/${table}`), {
      params: Promise.resolve({ table }),
    });
    return { status: res.status, text: await res.text() };
  };

  it('gives the declared fields, with a header when the list is empty, and only to its role', async () => {
    expect((await csv('rollup-rebuilds')).text).toBe(
      'id,status,requestedBy,createdAt,startedAt,finishedAt,days,daysDone,' +
        'daysRebuilt,duplicateFlagsFixed,rowsFixed,error\r\n',
    );
    const steps = (await csv('step-slas')).text.split('\r\n');
    expect(steps[0]).toBe('txType,slaMs,own');
    expect(steps).toContain('receipt,3600000,false');
    expect((await csv('nope')).status).toBe(404);
    session.role = 'manager';
    expect((await csv('users')).status).toBe(403);
  });

  it('lists fields each row has', async () => {
    await h.db.execute(
      sql`insert into users (email, name, role) values ('csv@example.com', 'csv', 'ops') on conflict do nothing`,
    );
    for (const [name, def] of Object.entries(ADMIN_LISTS)) {
      const [row] = (await def.load(h.db)) as object[];
      if (row)
        expect(
          def.fields.filter((f) => !(f in row)),
          name,
        ).toEqual([]);
    }
  });
});

describe('the server actions made from the declarations', () => {
  it('refuse a role without the capability before reading the form', async () => {
    for (const role of ['ops', 'finance', 'it', 'manager']) {
      session.role = role;
      for (const name of Object.keys(ADMIN_LISTS)) {
        for (const kind of ['save', 'remove'] as const) {
          await expect(
            runListAction(kind, name, {}, form({ errorCode: 'X', meaning: 'y' })),
            `${role} ${kind} ${name}`,
          ).rejects.toThrow('NEXT_FORBIDDEN');
        }
      }
    }
    session.role = 'admin';
    expect(
      (await call('GET', '/api/admin/glossary')).body.glossary.map((g: { errorCode: string }) => g.errorCode),
    ).not.toContain('X');
  });

  it('save a row from the form, answer a bad one by field, and take a second removal calmly', async () => {
    const bad = await runListAction(
      'save',
      'ownership',
      {},
      form({ dataObject: 'Item', field: 'weight', owner: '', precedence: '' }),
    );
    expect(bad).toEqual({
      error: 'The ownership row was not saved.',
      fieldErrors: {
        dataObject: 'lower-case letters, digits and _, as in "item" or "inventory"',
        owner: 'must be erp, wms or shared',
      },
    });
    expect(
      await runListAction(
        'save',
        'ownership',
        {},
        form({ dataObject: ' item ', field: 'weight', owner: 'wms', precedence: '' }),
      ),
    ).toEqual({
      ok: 'Added the owner of item.weight.',
    });
    expect(await runListAction('remove', 'ownership', {}, form({ dataObject: 'item', field: 'weight' }))).toEqual({});
    expect(await runListAction('remove', 'ownership', {}, form({ dataObject: 'item', field: 'weight' }))).toEqual({});
    expect(await runListAction('save', 'step-slas', {}, form({ txType: 'putaway', minutes: 'soon' }))).toEqual({
      error: 'The SLA was not saved.',
      fieldErrors: { minutes: 'must be a number of minutes' },
    });
    expect(
      (await runListAction('save', 'step-slas', {}, form({ txType: 'putaway', minutes: '20000' }))).fieldErrors,
    ).toEqual({ minutes: 'at most 7 days' });
    expect(await runListAction('save', 'step-slas', {}, form({ txType: 'putaway', minutes: '240' }))).toEqual({
      ok: 'putaway steps are now late after 240 min.',
    });
    const red = await runListAction(
      'save',
      'thresholds',
      {},
      form({ kpi: 'failedMessageRate', facility: 'DC1', amber: '5', red: '2', worse: 'up' }),
    );
    expect(red.fieldErrors).toEqual({ red: 'must be at least amber (5.00%) when higher is worse' });
    const key = await runListAction('save', 'api-keys', {}, form({ name: 'feed' }));
    expect(key).toMatchObject({
      ok: 'Created "feed". Copy it now: it is not shown again.',
      secret: expect.stringMatching(/^shk_/),
    });
    expect(await runListAction('save', 'rollup-rebuilds', {}, form({}))).toEqual({
      error: 'The list rollup-rebuilds cannot do that.',
    });
  });
});
