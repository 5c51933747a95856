/**
 * The authorisation matrix (issue 27): every route handler, page and server action the code holds,
 * found at run time (e2e/app-surface.ts), asked by every principal — signed out, each of the five
 * roles, and API keys — and each answer compared with the one declared policy, lib/auth/route-policy.ts
 * (SPEC 3 and 7 in the capabilities of lib/auth/permissions.ts). A route, page or action without a
 * declared expectation fails the run. The table of every cell is printed in the output.
 *
 * What is sent cannot change anything a person may not change: writes carry a body the route refuses
 * for its content when the asker is allowed (an empty object, an empty form), and where a refused
 * server action would mutate, the row it would touch is read before and after.
 * e2e/access.spec.ts keeps the journeys this matrix does not (what an allowed role sees and saves).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { expect, test, type APIRequestContext, type APIResponse } from '@playwright/test';
import { can, type Capability } from '../lib/auth/permissions';
import {
  ACTION_POLICY,
  DEFAULT_KEY_SCOPES,
  KEY_SCOPES,
  PAGE_POLICY,
  ROUTE_POLICY,
  type KeyScope,
} from '../lib/auth/route-policy';
import { fillPath, pages, routeHandlers, serverActions } from './app-surface';
import { ROLES, storageStateFor, type Role } from './roles';

type Principal = { name: string } & (
  { kind: 'anonymous' } | { kind: 'role'; role: Role } | { kind: 'key'; scopes: readonly KeyScope[] }
);

const PRINCIPALS: Principal[] = [
  { name: 'anonymous', kind: 'anonymous' },
  ...ROLES.map((role) => ({ name: role, kind: 'role' as const, role })),
  { name: `key(${DEFAULT_KEY_SCOPES.join(',')})`, kind: 'key', scopes: DEFAULT_KEY_SCOPES },
  ...KEY_SCOPES.map((s) => ({ name: `key(${s})`, kind: 'key' as const, scopes: [s] })),
];

/** A sample value for each `[param]`: a row that exists where one is needed to get past "not found". */
const PARAM: Record<string, string> = {
  list: 'glossary',
  table: 'users',
  format: 'sap-idoc-status',
  id: '1',
  cadence: 'daily',
  messageId: 'AUTHZ-MATRIX-NONE',
  '...nextauth': 'session',
};
/** Where a route's method needs another sample: an admin list that answers POST (the others take PUT). */
const PARAM_OF_ROUTE: Record<string, Record<string, string>> = {
  'POST /api/admin/[list]': { list: 'root-cause-rules' },
};

type Outcome = 'allowed' | 'refused';
interface Cell {
  expected: Outcome;
  status: number;
  code?: string;
  ok: boolean;
  why?: string;
}

const REDIRECT_TO_LOGIN = (res: APIResponse) =>
  [302, 303, 307].includes(res.status()) && /\/login\b/.test(res.headers().location ?? '');

/** `npm run cli -- api-key create <name> [--scope s]`: the key (the CLI's default scopes when `scopes` is null). */
function makeKey(name: string, scopes: readonly KeyScope[] | null): string {
  const args = ['node_modules/tsx/dist/cli.mjs', '--conditions=react-server', 'scripts/cli.ts', 'api-key', 'create'];
  const r = spawnSync(process.execPath, [...args, name, ...(scopes ? ['--scope', scopes.join(',')] : [])], {
    env: { ...process.env, DATABASE_URL: '', PGLITE_DIR: '.data/e2e' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`npm run cli -- api-key create ${name} failed: ${r.stderr || r.error}`);
  return r.stdout.trim().split('\n').pop()!;
}

/** What `principal` should get from something needing `session` of a person or `key` of a machine. */
function expectFor(p: Principal, session: Capability | null | 'public', key: KeyScope | null): Outcome {
  if (session === 'public') return 'allowed';
  if (p.kind === 'anonymous') return 'refused';
  if (p.kind === 'role') return session && can(p.role, session) ? 'allowed' : 'refused';
  return key && p.scopes.includes(key) ? 'allowed' : 'refused';
}

/** Reads an answer as allowed or refused, and whether it is the refusal SPEC 3 and 7 describe. */
function classify(
  p: Principal,
  res: APIResponse,
  body: string,
  page: boolean,
  keyScope: KeyScope | null,
  internal = false,
): Cell {
  const status = res.status();
  let code: string | undefined;
  try {
    code = (JSON.parse(body) as { error?: { code?: string } }).error?.code;
  } catch {
    /* a page or a CSV */
  }
  const cell = { status, code, expected: 'allowed' as Outcome, ok: true };
  if (status >= 500) return { ...cell, ok: false, why: 'server error' };
  if (REDIRECT_TO_LOGIN(res)) return { ...cell, expected: 'refused', code: 'login' };
  // The CLI's routes do not exist for anyone without the lock file's token: 404 (lib/cli/token.ts).
  if (internal && status === 404) return { ...cell, expected: 'refused' };
  if (status === 401 || status === 403) {
    const c = { ...cell, expected: 'refused' as Outcome };
    if (page) {
      if (status !== 403) return { ...c, ok: false, why: 'a page refuses with 403 or sign-in' };
      return c;
    }
    if (!code) return { ...c, ok: false, why: 'refusal without the error shape' };
    // The CLI's routes refuse everyone alike (no token): only the others owe a signed-out visitor 401.
    if (p.kind === 'anonymous' && code !== 'unauthorized' && !internal)
      return { ...c, ok: false, why: `${code}, not unauthorized` };
    if (p.kind === 'role' && status === 403 && code !== 'forbidden')
      return { ...c, ok: false, why: `${code}, not forbidden` };
    // A key holding none of the scope a route takes: 403 insufficient_scope (SPEC 3).
    if (p.kind === 'key' && keyScope && !p.scopes.includes(keyScope) && code !== 'insufficient_scope') {
      return { ...c, ok: false, why: `expected insufficient_scope, got ${code}` };
    }
    return c;
  }
  return cell;
}

const contexts = new Map<string, APIRequestContext>();
let origin = '';

test.setTimeout(5 * 60_000);

test.beforeAll(async ({ playwright, baseURL }) => {
  origin = new URL(baseURL!).origin;
  const stamp = `${Date.now()}-${process.pid}`;
  for (const p of PRINCIPALS) {
    const headers: Record<string, string> = { origin };
    let storageState: string | undefined;
    if (p.kind === 'role') storageState = storageStateFor(p.role);
    if (p.kind === 'key') {
      // The CLI's default key is made without --scope, so the default itself is checked too.
      const isDefault = p.scopes === DEFAULT_KEY_SCOPES;
      const key = makeKey(`authz-${p.name.replace(/\W/g, '')}-${stamp}`, isDefault ? null : p.scopes);
      headers.authorization = `Bearer ${key}`;
    }
    contexts.set(p.name, await playwright.request.newContext({ baseURL, storageState, extraHTTPHeaders: headers }));
  }
});

test.afterAll(async () => {
  for (const c of contexts.values()) await c.dispose();
});

/** Prints rows × principals, each cell `allowed 200` / `refused 403`, with `!` where it differs from the policy. */
function printTable(title: string, rows: Map<string, Map<string, Cell>>) {
  const cols = PRINCIPALS.map((p) => p.name);
  const cell = (c: Cell | undefined) =>
    c ? `${c.ok ? '' : '!'}${c.expected === 'allowed' ? 'allowed' : 'refused'} ${c.status}` : 'n/a';
  const width = Math.max(...[...rows.keys()].map((k) => k.length), title.length);
  const colWidth = cols.map((c) => Math.max(c.length, 12));
  const line = (first: string, cells: string[]) =>
    `${first.padEnd(width)} | ${cells.map((c, i) => c.padEnd(colWidth[i])).join(' | ')}`;
  const out = [line(title, cols), '-'.repeat(width + colWidth.reduce((a, b) => a + b + 3, 1))];
  for (const [row, cells] of rows)
    out.push(
      line(
        row,
        cols.map((c) => cell(cells.get(c))),
      ),
    );
  console.log(out.join('\n'));
}

/** The failures of a table, as text a reader can act on. */
function mismatches(rows: Map<string, Map<string, Cell>>, want: (row: string, p: Principal) => Outcome | null) {
  const out: string[] = [];
  for (const [row, cells] of rows) {
    for (const p of PRINCIPALS) {
      const c = cells.get(p.name);
      if (!c) continue;
      const w = want(row, p);
      if (!c.ok) out.push(`${row} as ${p.name}: ${c.why} (${c.status} ${c.code ?? ''})`);
      else if (w && c.expected !== w) out.push(`${row} as ${p.name}: ${w} expected, ${c.expected} (${c.status})`);
    }
  }
  return out;
}

const asked = (p: Principal) => contexts.has(p.name);

test('every route handler in the code has a declared policy, and every principal gets what it says', async () => {
  const found = routeHandlers();
  const undeclared = found.filter((r) => !ROUTE_POLICY[r.key]).map((r) => `${r.key} (${r.file})`);
  expect(undeclared, 'route handlers without an entry in lib/auth/route-policy.ts').toEqual([]);
  const stale = Object.keys(ROUTE_POLICY).filter((k) => !found.some((r) => r.key === k));
  expect(stale, 'entries in ROUTE_POLICY with no route in the code').toEqual([]);

  const rows = new Map<string, Map<string, Cell>>();
  for (const r of found) {
    const policy = ROUTE_POLICY[r.key];
    const url =
      fillPath(r.path, (p) => PARAM_OF_ROUTE[r.key]?.[p] ?? PARAM[p] ?? 'x') +
      (r.path === '/api/v1/imports/[format]' ? '?dryRun=true' : '');
    const row = new Map<string, Cell>();
    for (const p of PRINCIPALS.filter(asked)) {
      const write = !['GET', 'HEAD', 'OPTIONS'].includes(r.method);
      const res = await contexts.get(p.name)!.fetch(url, {
        method: r.method,
        maxRedirects: 0,
        ...(write ? { data: {}, headers: { 'content-type': 'application/json' } } : {}),
      });
      const keyScope = 'key' in policy ? policy.key : null;
      const cell = classify(p, res, await res.text(), false, keyScope, 'internal' in policy);
      row.set(p.name, cell);
    }
    rows.set(r.key, row);
  }
  printTable('route', rows);
  const want = (key: string, p: Principal): Outcome => {
    const policy = ROUTE_POLICY[key];
    if ('public' in policy) return 'allowed';
    if ('internal' in policy) return 'refused';
    return expectFor(p, policy.session ?? null, policy.key);
  };
  expect(mismatches(rows, want)).toEqual([]);
});

test('every page in the code has a declared policy, and every principal gets what it says', async () => {
  const found = pages();
  expect(
    found.filter((p) => !PAGE_POLICY[p.path]).map((p) => `${p.path} (${p.file})`),
    'pages without an entry in PAGE_POLICY',
  ).toEqual([]);
  expect(Object.keys(PAGE_POLICY).filter((k) => !found.some((p) => p.path === k))).toEqual([]);
  const rows = new Map<string, Map<string, Cell>>();
  for (const pg of found) {
    const row = new Map<string, Cell>();
    for (const p of PRINCIPALS.filter(asked)) {
      const res = await contexts.get(p.name)!.get(
        fillPath(pg.path, (n) => PARAM[n] ?? 'x'),
        { maxRedirects: 0 },
      );
      row.set(p.name, classify(p, res, await res.text(), true, null));
    }
    rows.set(pg.path, row);
  }
  printTable('page', rows);
  // Pages are for people: a key is as good as no one there (sent to sign in).
  const want = (path: string, p: Principal): Outcome => {
    const cap = PAGE_POLICY[path];
    if (cap === 'public') return 'allowed';
    return p.kind === 'key' ? 'refused' : expectFor(p, cap, null);
  };
  expect(mismatches(rows, want)).toEqual([]);
});

/** The server actions of the build, from Next's manifest: id, the page that serves it, its file and name. */
function builtActions(): { id: string; page: string; key: string }[] {
  const manifest = JSON.parse(fs.readFileSync('.next/server/server-reference-manifest.json', 'utf8')) as {
    node: Record<string, { workers: Record<string, unknown>; filename?: string; exportedName?: string }>;
  };
  return Object.entries(manifest.node).map(([id, a]) => {
    const worker = Object.keys(a.workers).find((w) => w.endsWith('/page')) ?? Object.keys(a.workers)[0];
    const page =
      '/' +
      worker
        .split('/')
        .slice(1, -1)
        .filter((s) => !/^\(.*\)$/.test(s))
        .join('/');
    return { id, page, key: `${a.filename}#${a.exportedName}` };
  });
}

/**
 * How to call each action: its arguments around the form (bound list name, useActionState's previous
 * state), a form it would act on (sent by those it must refuse), one it refuses for its content (sent
 * by those it must allow), and what must not change when it is refused.
 */
interface Probe {
  args: (form: string) => unknown[];
  acts: Record<string, string | string[]>;
  harmless: Record<string, string | string[]>;
  state?: (admin: APIRequestContext) => Promise<unknown>;
}

async function probes(admin: APIRequestContext): Promise<Record<string, Probe>> {
  const glossary = async () =>
    ((await (await admin.get('/api/admin/glossary')).json()).glossary as { errorCode: string }[])
      .map((g) => g.errorCode)
      .sort();
  const existing = (await glossary())[0];
  const users = async () => (await admin.get('/api/export/admin/users')).text();
  const opsId =
    (await users())
      .split('\r\n')
      .find((l) => l.includes('ops@'))
      ?.split(',')[0] ?? '1';
  const exceptions = async () => (await admin.get('/api/export/exceptions?state=open')).text();
  const openId = (await exceptions()).split('\r\n')[1]?.split(',')[0] ?? '1';
  const form = (f: string) => [{}, f];
  return {
    'app/(dashboard)/admin/actions.ts#saveListRow': {
      args: (f) => ['glossary', {}, f],
      acts: { errorCode: 'E2E_AUTHZ_MATRIX', meaning: 'Written by e2e/authz-matrix.spec.ts.' },
      harmless: { errorCode: '' },
      state: glossary,
    },
    'app/(dashboard)/admin/actions.ts#removeListRow': {
      args: (f) => ['glossary', {}, f],
      acts: { errorCode: existing ?? 'E2E_NONE' },
      harmless: { errorCode: 'E2E_AUTHZ_MATRIX_NONE' },
      state: glossary,
    },
    'app/(dashboard)/admin/actions.ts#updateUserAction': {
      args: form,
      acts: { id: opsId, intent: 'role', role: 'admin' },
      harmless: { id: opsId, intent: 'role', role: 'owner' },
      state: users,
    },
    'app/(dashboard)/admin/actions.ts#reclassifyAction': { args: form, acts: {}, harmless: {} },
    'app/(dashboard)/exceptions/actions.ts#bulkAction': {
      args: form,
      acts: { ids: [openId], action: 'ignore', note: 'e2e/authz-matrix.spec.ts' },
      harmless: { ids: [openId], action: 'nope' },
      state: exceptions,
    },
    'app/(dashboard)/review/actions.ts#signOffReview': {
      args: form,
      acts: { cadence: 'daily', period: '2001-02-03', facility: 'FUZZ-AUTHZ' },
      harmless: { cadence: 'nope' },
    },
  };
}

/** A server action's request as React's client sends it: multipart, field 0 the arguments, the form's fields as 1_<name>. */
function actionBody(args: unknown[], fields: Record<string, string | string[]>) {
  const multipart: Record<string, string> = {};
  const parts: [string, string][] = [['0', JSON.stringify(args)]];
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) parts.push([`1_${k}`, x]);
  const boundary = `----authz${Date.now()}`;
  const body =
    parts.map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('') +
    `--${boundary}--\r\n`;
  void multipart;
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

test('every server action has a declared policy, is refused as it says, and a refused one changes nothing', async () => {
  const inSource = serverActions();
  expect(
    inSource.filter((a) => !ACTION_POLICY[a.key]).map((a) => a.key),
    'server actions without an entry in ACTION_POLICY',
  ).toEqual([]);
  const built = builtActions();
  expect(
    built.filter((a) => !ACTION_POLICY[a.key]).map((a) => a.key),
    'built actions without a policy',
  ).toEqual([]);
  expect(
    inSource.filter((a) => !built.some((b) => b.key === a.key)).map((a) => a.key),
    'actions no page serves',
  ).toEqual([]);

  const admin = contexts.get('admin')!;
  const probe = await probes(admin);
  const rows = new Map<string, Map<string, Cell>>();
  const changed: string[] = [];
  for (const a of built) {
    const pr = probe[a.key] ?? { args: (f: string) => [{}, f], acts: {}, harmless: {} };
    const row = new Map<string, Cell>();
    for (const p of PRINCIPALS.filter(asked)) {
      const expected = p.kind === 'key' ? 'refused' : expectFor(p, ACTION_POLICY[a.key], null);
      const before = pr.state && expected === 'refused' ? await pr.state(admin) : undefined;
      const { body, contentType } = actionBody(pr.args('$K1'), expected === 'refused' ? pr.acts : pr.harmless);
      const res = await contexts.get(p.name)!.post(
        fillPath(a.page, (n) => PARAM[n] ?? 'x'),
        {
          headers: { 'next-action': a.id, 'content-type': contentType, accept: 'text/x-component' },
          data: body,
          maxRedirects: 0,
        },
      );
      const text = await res.text();
      const cell = classify(p, res, '', true, null);
      // An action that ran answers React's wire format with the form's state; a page's HTML means it did not run.
      if (cell.expected === 'allowed' && !/text\/x-component/.test(res.headers()['content-type'] ?? '')) {
        Object.assign(cell, { ok: false, why: `not an action's answer: ${text.slice(0, 120)}` });
      }
      row.set(p.name, cell);
      if (pr.state && expected === 'refused') {
        const after = await pr.state(admin);
        if (JSON.stringify(after) !== JSON.stringify(before)) changed.push(`${a.key} as ${p.name} changed state`);
      }
    }
    rows.set(`${a.key} (${a.page})`, row);
  }
  printTable('server action', rows);
  const want = (row: string, p: Principal): Outcome =>
    p.kind === 'key' ? 'refused' : expectFor(p, ACTION_POLICY[row.split(' ')[0]], null);
  expect(mismatches(rows, want)).toEqual([]);
  expect(changed).toEqual([]);
});
