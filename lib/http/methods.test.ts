import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allowed, otherMethods, ROUTE_METHODS } from '@/lib/http/methods';
import { exportedNames } from '@/lib/testing/route-exports';

const root = path.resolve(import.meta.dirname, '../..');

function routeFiles(dir = path.join(root, 'app')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return routeFiles(p);
    return /^route\.(ts|tsx|js)$/.test(d.name) ? [path.relative(root, p)] : [];
  });
}

/** The methods a route module implements (lib/testing/route-exports.ts reads its exports). */
function implemented(src: string): string[] {
  const found = exportedNames(src);
  return ROUTE_METHODS.filter((h) => found.has(h));
}

/** The methods it refuses through `export const { … } = otherMethods({ … })`, and the handlers it names there. */
function refused(src: string): { names: string[]; passed: string[] } | null {
  const m = /export\s+const\s*\{([^}]*)\}\s*=\s*otherMethods\(\s*\{([^}]*)\}\s*\)/.exec(src);
  if (!m) return null;
  const list = (s: string) =>
    s
      .split(',')
      .map((x) => x.split(':')[0].trim())
      .filter(Boolean);
  return { names: list(m[1]), passed: list(m[2]) };
}

describe('otherMethods', () => {
  it('refuses what a GET route does not implement with a 405 in the error shape and an Allow header', async () => {
    const GET = async () => Response.json({ ok: true });
    const others = otherMethods({ GET });
    expect(Object.keys(others).sort()).toEqual(['DELETE', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      const res = await others[method](new Request('http://x/api/health', { method }));
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
      expect(res.headers.get('x-request-id')).toBeTruthy();
      expect(await res.json()).toEqual({
        error: {
          code: 'method_not_allowed',
          message: `${method} is not allowed here; this address answers GET, HEAD, OPTIONS.`,
          details: [{ allow: ['GET', 'HEAD', 'OPTIONS'] }],
        },
      });
    }
    const options = await others.OPTIONS(new Request('http://x/api/health', { method: 'OPTIONS' }));
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });

  it('refuses HEAD too when a route has no GET', async () => {
    const POST = async () => Response.json({ ok: true });
    const others = otherMethods({ POST });
    expect(Object.keys(others).sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'PUT']);
    const res = await others.HEAD(new Request('http://x/api/v1/messages', { method: 'HEAD' }));
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('OPTIONS, POST');
    expect(allowed(['PUT', 'GET', 'POST', 'DELETE'])).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
  });
});

describe('every route module', () => {
  const files = routeFiles();

  it('is found', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  // Every method either implemented or refused by `export const { … } = otherMethods({ … })`.
  it.each(files)('%s answers every method: its own, and the rest through otherMethods', (file) => {
    const src = fs.readFileSync(path.join(root, file), 'utf8');
    const own = implemented(src);
    const rest = refused(src) ?? { names: [], passed: own };
    // The handlers passed are the route's own, so the Allow header tells the truth.
    expect([...rest.passed].sort()).toEqual([...own].sort());
    const missing = ROUTE_METHODS.filter(
      (m) => !own.includes(m) && !rest.names.includes(m) && !(m === 'HEAD' && own.includes('GET')),
    );
    expect(missing, `${file}: methods Next would answer with an empty 405`).toEqual([]);
  });
});
