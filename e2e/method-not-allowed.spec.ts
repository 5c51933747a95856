import { expect, test, type APIResponse } from '@playwright/test';
import { fillPath, HTTP_METHODS, routeHandlers } from './app-surface';

/**
 * Every /api answer that is a 4xx has SPEC 3's error shape, the ones Next.js would write itself
 * included: a method a route does not implement (405, with `Allow`), OPTIONS (204, `Allow` naming
 * only what the route implements), and an address under /api naming no route (404). The routes and
 * their methods are read from the code at run time (e2e/app-surface.ts), so a new route is covered.
 * Sent signed out and without a body: the method is refused before anything else is looked at.
 */

/** The error shape of SPEC 3, or what is wrong with `text`. */
function shapeProblem(text: string): string | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `not JSON: ${JSON.stringify(text.slice(0, 80))}`;
  }
  const e = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } })?.error;
  if (!e || typeof e.code !== 'string' || typeof e.message !== 'string' || !Array.isArray(e.details))
    return `not the error shape: ${text.slice(0, 120)}`;
  return null;
}

const header = (res: APIResponse, name: string) => res.headers()[name] ?? '(none)';

test('a method a route does not implement: 405 in the error shape with Allow; OPTIONS lists only its own', async ({
  request,
}) => {
  test.setTimeout(120_000);
  const byPath = new Map<string, Set<string>>();
  for (const r of routeHandlers()) byPath.set(r.path, (byPath.get(r.path) ?? new Set()).add(r.method));
  expect(byPath.size).toBeGreaterThan(20);
  const problems: string[] = [];
  let refused = 0;
  for (const [path, own] of byPath) {
    // Sorted, as Next writes its own Allow header.
    const allow = HTTP_METHODS.filter((m) => own.has(m) || m === 'OPTIONS' || (m === 'HEAD' && own.has('GET')))
      .sort()
      .join(', ');
    const url = fillPath(path, (p) => (p === 'list' ? 'glossary' : p === '...nextauth' ? 'session' : 'x'));
    for (const method of HTTP_METHODS) {
      if (own.has(method) || (method === 'HEAD' && own.has('GET'))) continue;
      const res = await request.fetch(url, { method, maxRedirects: 0 });
      const what = `${method} ${url}`;
      if (method === 'OPTIONS') {
        if (res.status() !== 204) problems.push(`${what}: ${res.status()}, not 204`);
        if (header(res, 'allow') !== allow) problems.push(`${what}: Allow ${header(res, 'allow')}, not ${allow}`);
        continue;
      }
      refused++;
      if (res.status() !== 405) problems.push(`${what}: ${res.status()}, not 405`);
      if (header(res, 'allow') !== allow) problems.push(`${what}: Allow ${header(res, 'allow')}, not ${allow}`);
      if (method === 'HEAD') continue; // an answer to HEAD has no body
      const text = await res.text();
      const problem = shapeProblem(text);
      if (problem) problems.push(`${what}: ${problem}`);
      else expect(JSON.parse(text).error.code, what).toBe('method_not_allowed');
    }
  }
  console.log(`[405] ${refused} refused methods on ${byPath.size} routes`);
  expect(problems).toEqual([]);
});

test('the methods SPEC 3 names for a feed are refused on it in the error shape (DELETE /api/v1/messages, PATCH /api/health)', async ({
  request,
}) => {
  const del = await request.delete('/api/v1/messages', { headers: { authorization: 'Bearer nope' } });
  expect(del.status()).toBe(405);
  expect(del.headers()['allow']).toBe('OPTIONS, POST');
  expect(await del.json()).toEqual({
    error: {
      code: 'method_not_allowed',
      message: 'DELETE is not allowed here; this address answers OPTIONS, POST.',
      details: [{ allow: ['OPTIONS', 'POST'] }],
    },
  });
  const patch = await request.patch('/api/health', { data: { status: 'ok' } });
  expect(patch.status()).toBe(405);
  expect(patch.headers()['allow']).toBe('GET, HEAD, OPTIONS');
  expect((await patch.json()).error.code).toBe('method_not_allowed');
});

test('an address under /api that names no route: 404 in the error shape, for every method', async ({ request }) => {
  for (const path of ['/api/nope', '/api/v1/nope', '/api/v1/messages/x/y', '/api/admin/users/1/more', '/api/export']) {
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
      const res = await request.fetch(path, { method, maxRedirects: 0 });
      const what = `${method} ${path}`;
      expect(res.status(), what).toBe(404);
      const text = await res.text();
      expect(shapeProblem(text), what).toBeNull();
      expect(JSON.parse(text).error.code, what).toBe('not_found');
    }
  }
});
