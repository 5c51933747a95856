/**
 * The admin lists as their declarations serve them: the API, the CSV and the server actions, run
 * for each role's demo user as signing in resolves it, against a real database. No session: the
 * cores take the person; e2e/access.spec.ts signs in for real and goes through the routes and forms.
 * A role without the list's capability is refused by each, and nothing is read or written.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { ROLES, type Role } from '@/db/schema';
import { listAction } from '@/lib/admin/list-actions';
import { answerList, answerListCsv, type ListMethod } from '@/lib/admin/list-route';
import { ADMIN_LISTS, type AdminListName } from '@/lib/admin/lists';
import type { SessionUser } from '@/lib/auth/session';
import { handler } from '@/lib/http/route';
import { testDb } from '@/lib/testing/db';
import { signedInUsers } from '@/lib/testing/users';

const h = testDb();
let as: Record<Role, SessionUser>;
beforeAll(async () => {
  as = await signedInUsers(h.db);
});
const REFUSED = ROLES.filter((r) => r !== 'admin');
const NAMES = Object.keys(ADMIN_LISTS) as AdminListName[];

// The route's error handling (AppError → its status and JSON) around the core it serves.
const api = handler((req: Request, list: string, user: SessionUser) =>
  answerList(req.method as ListMethod, req, list, user),
);

async function call(role: Role, method: ListMethod, path: string, body?: unknown) {
  const url = new URL(path, 'http://test');
  const list = url.pathname.split('/')[3];
  const req = new Request(url, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const res = await api(req, list, as[role]);
  return {
    status: res.status,
    body: res.status === 405 || res.headers.get('content-type')?.includes('json') ? await res.json() : null,
  };
}

/** Every list's rows, as its page shows them. */
const everyRow = async () => {
  const out: Record<string, unknown[]> = {};
  for (const name of NAMES) out[name] = await ADMIN_LISTS[name].load(h.db);
  return out;
};

const form = (values: Record<string, string | number | string[]>) => {
  const f = new FormData();
  // A list is a group of ticked checkboxes: one entry each.
  for (const [k, v] of Object.entries(values)) for (const x of [v].flat()) f.append(k, String(x));
  return f;
};

describe('an admin list API made from its declaration', () => {
  it('saves (201 new, 200 changed), lists, refuses by field and removes, as the hand-written routes did', async () => {
    expect(await call('admin', 'PUT', '/api/admin/glossary', { errorCode: 'BAD CODE' })).toEqual({
      status: 422,
      body: {
        error: {
          code: 'validation_failed',
          message: 'The glossary entry was not saved.',
          details: ['errorCode: no spaces', 'meaning: is required'],
        },
      },
    });
    expect(await call('admin', 'PUT', '/api/admin/glossary', { errorCode: 'E_MAP', meaning: 'Not mapped.' })).toEqual({
      status: 201,
      body: { saved: true },
    });
    const again = await call('admin', 'PUT', '/api/admin/glossary', {
      errorCode: 'E_MAP',
      meaning: 'Still not mapped.',
    });
    expect(again.status).toBe(200);
    const list = await call('admin', 'GET', '/api/admin/glossary');
    expect(list.body.glossary).toContainEqual({ errorCode: 'E_MAP', meaning: 'Still not mapped.', action: null });
    expect(await call('admin', 'DELETE', '/api/admin/glossary?errorCode=')).toEqual({
      status: 400,
      body: {
        error: { code: 'bad_request', message: 'Say which entry to remove.', details: ['errorCode: is required'] },
      },
    });
    expect(await call('admin', 'DELETE', '/api/admin/glossary?errorCode=E_MAP')).toEqual({
      status: 200,
      body: { removed: { errorCode: 'E_MAP' } },
    });
    expect((await call('admin', 'DELETE', '/api/admin/glossary?errorCode=E_MAP')).status).toBe(404);
  });

  it('answers each list in its own shape', async () => {
    const rule = await call('admin', 'POST', '/api/admin/root-cause-rules', {
      priority: 3,
      messagePattern: 'bin',
      category: 'timing',
    });
    expect(rule).toMatchObject({
      status: 201,
      body: { rule: { priority: 3, messagePattern: 'bin', errorCodePattern: null, category: 'timing' } },
    });
    expect(await call('admin', 'DELETE', '/api/admin/root-cause-rules?id=x')).toMatchObject({
      status: 400,
      body: { error: { details: ['id: a rule id is required'] } },
    });
    expect(await call('admin', 'DELETE', `/api/admin/root-cause-rules?id=${rule.body.rule.id}`)).toEqual({
      status: 200,
      body: { removed: { id: rule.body.rule.id } },
    });
    const t = { kpi: 'duplicateCount', facility: ' DC9 ', amber: 2, red: 4, worse: 'up' };
    expect(await call('admin', 'PUT', '/api/admin/thresholds', t)).toEqual({
      status: 201,
      body: { threshold: { ...t, facility: 'DC9' } },
    });
    const thresholds = (await call('admin', 'GET', '/api/admin/thresholds')).body.thresholds;
    expect(thresholds).toContainEqual({ ...t, facility: 'DC9' });
    expect(await call('admin', 'DELETE', '/api/admin/thresholds')).toMatchObject({
      status: 400,
      body: {
        error: {
          message: 'Say which threshold to remove.',
          details: ['kpi: is required', "facility: is required ('*' for the default)"],
        },
      },
    });
    expect((await call('admin', 'DELETE', '/api/admin/thresholds?kpi=duplicateCount&facility=DC9')).body).toEqual({
      removed: { kpi: 'duplicateCount', facility: 'DC9' },
    });
    expect((await call('admin', 'GET', '/api/admin/step-slas')).body.slas).toContainEqual({
      txType: 'receipt',
      slaMs: 3_600_000,
      own: false,
    });
    expect(await call('admin', 'PUT', '/api/admin/ownership', { dataObject: 'X' })).toMatchObject({ status: 422 });
  });

  it('answers 405 for a method a list lacks and 404 for a list without an API, whoever asks', async () => {
    for (const role of ROLES) {
      expect(await call(role, 'POST', '/api/admin/glossary', {})).toMatchObject({
        status: 405,
        body: { error: { code: 'method_not_allowed' } },
      });
      expect((await call(role, 'PUT', '/api/admin/root-cause-rules', {})).status).toBe(405);
      for (const path of ['/api/admin/users', '/api/admin/api-keys', '/api/admin/nope', '/api/admin/__proto__']) {
        expect((await call(role, 'GET', path)).status, `${role} ${path}`).toBe(404);
      }
    }
  });

  it('lets each role read and write only as its capability says; a refused write changes nothing', async () => {
    // Writes an admin makes and then undoes, under keys of this test's own; each with a change the others try.
    const writes: [ListMethod, string, object, object][] = [
      [
        'PUT',
        '/api/admin/thresholds',
        { kpi: 'duplicateCount', facility: 'ROLE_API', amber: 2, red: 4, worse: 'up' },
        { amber: 3 },
      ],
      [
        'POST',
        '/api/admin/root-cause-rules',
        { priority: 9, messagePattern: 'role api', category: 'timing' },
        { priority: 8 },
      ],
      ['PUT', '/api/admin/ownership', { dataObject: 'item', field: 'role_api', owner: 'wms' }, { owner: 'erp' }],
      ['PUT', '/api/admin/glossary', { errorCode: 'ROLE_API', meaning: 'Written by the role test.' }, { meaning: 'x' }],
      ['PUT', '/api/admin/step-slas', { txType: 'putaway', slaMs: 60_000 }, { slaMs: 120_000 }],
    ];
    const saved = [];
    for (const [method, path, body] of writes) saved.push(await call('admin', method, path, body));
    expect(saved.map((s) => s.status)).toEqual([201, 201, 201, 201, 201]);
    const removals = [
      '/api/admin/thresholds?kpi=duplicateCount&facility=ROLE_API',
      `/api/admin/root-cause-rules?id=${saved[1].body.rule.id}`,
      '/api/admin/ownership?dataObject=item&field=role_api',
      '/api/admin/glossary?errorCode=ROLE_API',
      '/api/admin/step-slas?txType=putaway',
    ];
    const before = await everyRow();
    for (const role of REFUSED) {
      for (const [method, path, body, change] of writes) {
        for (const [m, p, b] of [
          ['GET', path],
          [method, path, { ...body, ...change }],
          ['DELETE', path],
        ] as const) {
          expect(await call(role, m, p, b), `${role} ${m} ${p}`).toMatchObject({
            status: 403,
            body: { error: { code: 'forbidden', message: `The role ${role} may not do this.` } },
          });
        }
      }
      for (const path of removals) expect((await call(role, 'DELETE', path)).status, `${role} ${path}`).toBe(403);
    }
    expect(await everyRow()).toEqual(before);
    for (const path of removals) expect((await call('admin', 'DELETE', path)).status, path).toBe(200);
    expect((await call('admin', 'GET', '/api/admin/glossary')).body.glossary).not.toContainEqual(
      expect.objectContaining({ errorCode: 'ROLE_API' }),
    );
  });
});

describe('an admin list CSV made from its declaration', () => {
  const csv = async (role: Role, table: string) => {
    const res = await handler(() => answerListCsv(table, as[role]))(new Request('http://test/csv'));
    return { status: res.status, text: await res.text() };
  };

  it('gives the declared fields, with a header when the list is empty', async () => {
    expect((await csv('admin', 'rollup-rebuilds')).text).toBe(
      'id,status,requestedBy,createdAt,startedAt,finishedAt,days,daysDone,' +
        'daysRebuilt,duplicateFlagsFixed,rowsFixed,error\r\n',
    );
    const steps = (await csv('admin', 'step-slas')).text.split('\r\n');
    expect(steps[0]).toBe('txType,slaMs,own');
    expect(steps).toContain('receipt,3600000,false');
    expect((await csv('admin', 'nope')).status).toBe(404);
  });

  it('is given to admins only: every other role gets 403 for every list, and for one that does not exist', async () => {
    for (const role of ROLES) {
      for (const name of [...NAMES, 'nope']) {
        const expected = role !== 'admin' ? 403 : name === 'nope' ? 404 : 200;
        expect((await csv(role, name)).status, `${role} ${name}`).toBe(expected);
      }
    }
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
  it('refuse every role without the capability before reading the form; an admin saves and removes', async () => {
    const saves: Partial<Record<AdminListName, Record<string, string | string[]>>> = {
      users: { email: 'role-form@example.com', role: 'ops', password: 'password-123' },
      'api-keys': { name: 'role-form', scope: ['ingest', 'read'] },
      thresholds: { kpi: 'duplicateCount', facility: 'ROLE_FORM', amber: '2', red: '4', worse: 'up' },
      'root-cause-rules': { priority: '9', errorCodePattern: '', messagePattern: 'role form', category: 'timing' },
      ownership: { dataObject: 'item', field: 'role_form', owner: 'wms', precedence: '' },
      glossary: { errorCode: 'ROLE_FORM', meaning: 'Written by the role test.' },
      'step-slas': { txType: 'putaway', minutes: '30' },
    };
    for (const [name, values] of Object.entries(saves)) {
      const { state, revalidate } = await listAction('save', name).run(as.admin, form(values));
      expect(state.ok, `${name}: ${JSON.stringify(state)}`).toBeTruthy();
      expect(revalidate).toEqual(['/admin']);
    }
    const rule = (await ADMIN_LISTS['root-cause-rules'].load(h.db)).find((r) => r.messagePattern === 'role form')!;
    const removes: Partial<Record<AdminListName, Record<string, string | number>>> = {
      'api-keys': { name: 'role-form' },
      thresholds: { kpi: 'duplicateCount', facility: 'ROLE_FORM' },
      'root-cause-rules': { id: rule.id },
      ownership: { dataObject: 'item', field: 'role_form' },
      glossary: { errorCode: 'ROLE_FORM' },
      'step-slas': { txType: 'putaway' },
    };

    const before = await everyRow();
    for (const role of REFUSED) {
      for (const name of NAMES) {
        for (const [kind, values] of [
          ['save', saves[name] ?? {}],
          ['remove', removes[name] ?? {}],
        ] as const) {
          await expect(
            listAction(kind, name).run(as[role], form(values)),
            `${role} ${kind} ${name}`,
          ).rejects.toMatchObject({ code: 'forbidden', status: 403 });
        }
      }
    }
    expect(await everyRow()).toEqual(before);

    for (const [name, values] of Object.entries(removes)) {
      expect(await listAction('remove', name).run(as.admin, form(values)), name).toEqual({
        state: {},
        revalidate: ['/admin'],
      });
    }
    const after = await everyRow();
    expect(after.glossary).not.toContainEqual(expect.objectContaining({ errorCode: 'ROLE_FORM' }));
    expect(after['api-keys']).toContainEqual(
      expect.objectContaining({ name: 'role-form', revokedAt: expect.any(Date) }),
    );
  });

  it('save a row from the form, answer a bad one by field, and take a second removal calmly', async () => {
    const run = async (kind: 'save' | 'remove', list: string, values: Record<string, string | string[]>) =>
      (await listAction(kind, list).run(as.admin, form(values))).state;
    expect(await run('save', 'ownership', { dataObject: 'Item', field: 'weight', owner: '', precedence: '' })).toEqual({
      error: 'The ownership row was not saved.',
      fieldErrors: {
        dataObject: 'lower-case letters, digits and _, as in "item" or "inventory"',
        owner: 'must be erp, wms or shared',
      },
    });
    expect(
      await run('save', 'ownership', { dataObject: ' item ', field: 'weight', owner: 'wms', precedence: '' }),
    ).toEqual({ ok: 'Added the owner of item.weight.' });
    expect(await run('remove', 'ownership', { dataObject: 'item', field: 'weight' })).toEqual({});
    expect(await run('remove', 'ownership', { dataObject: 'item', field: 'weight' })).toEqual({});
    expect(await run('save', 'step-slas', { txType: 'putaway', minutes: 'soon' })).toEqual({
      error: 'The SLA was not saved.',
      fieldErrors: { minutes: 'must be a number of minutes' },
    });
    expect((await run('save', 'step-slas', { txType: 'putaway', minutes: '20000' })).fieldErrors).toEqual({
      minutes: 'at most 7 days',
    });
    expect(await run('save', 'step-slas', { txType: 'putaway', minutes: '240' })).toEqual({
      ok: 'putaway steps are now late after 240 min.',
    });
    const red = await run('save', 'thresholds', {
      kpi: 'failedMessageRate',
      facility: 'DC1',
      amber: '5',
      red: '2',
      worse: 'up',
    });
    expect(red.fieldErrors).toEqual({ red: 'must be at least amber (5.00%) when higher is worse' });
    expect(await run('save', 'api-keys', { name: 'feed', scope: ['read', 'admin'] })).toMatchObject({
      ok: 'Created "feed" with scopes read, admin. Copy it now: it is not shown again.',
      secret: expect.stringMatching(/^shk_/),
    });
    expect((await ADMIN_LISTS['api-keys'].load(h.db)).find((k) => k.name === 'feed')?.scopes).toEqual([
      'read',
      'admin',
    ]);
    // Every box unticked sends no scope: refused on the field, naming the valid ones.
    expect(await run('save', 'api-keys', { name: 'no-scope' })).toEqual({
      error: 'A key needs one or more of the scopes ingest, read, admin.',
      fieldErrors: { scope: 'no scope; valid scopes: ingest, read, admin' },
    });
    expect((await run('save', 'api-keys', { name: 'bogus', scope: ['bogus'] })).fieldErrors).toEqual({
      scope: 'unknown scope "bogus"; valid scopes: ingest, read, admin',
    });
    // A bad form changes no page.
    expect((await listAction('save', 'glossary').run(as.admin, form({ errorCode: '' }))).revalidate).toEqual([]);
    for (const list of ['rollup-rebuilds', 'nope']) {
      expect(await listAction('save', list).run(as.admin, form({}))).toEqual({
        state: { error: `The list ${list} cannot do that.` },
        revalidate: [],
      });
    }
  });
});
