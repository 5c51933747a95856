import { afterEach, describe, expect, it, vi } from 'vitest';
import { format } from 'node:util';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import { setHandle, type Db } from '@/db';
import { AppError } from '@/lib/errors';
import { handler, json } from '@/lib/http/route';
import { testDb } from '@/lib/testing/db';
import { GET as health } from '@/app/api/health/route';

const h = testDb();

const SECRET = 'sk_live_hunter2_7f3a9c';
const SECRET_ID = 'WMS-secret-id-8842';

/** Everything the process printed to the console while `run` ran, as the console would write it. */
async function printed(run: () => Promise<void>): Promise<string> {
  const lines: string[] = [];
  const spies = (['error', 'warn', 'log', 'info', 'debug'] as const).map((m) =>
    vi.spyOn(console, m).mockImplementation((...args: unknown[]) => void lines.push(format(...args))),
  );
  try {
    await run();
  } finally {
    for (const s of spies) s.mockRestore();
  }
  return lines.join('\n');
}

/** A route that passes what the request carried to the database, which refuses it and quotes it back. */
const failing = handler(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const token = new URL(req.url).searchParams.get('token');
  const body = (await req.json()) as { password: string };
  await ctx.params;
  await h.db.execute(sql`select ${token}::int + ${body.password}::int`);
  return json({});
});

const hostileRequest = () =>
  new Request(`http://127.0.0.1/api/admin/users/${SECRET_ID}?token=${SECRET}&password=${SECRET}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' },
    body: JSON.stringify({ password: SECRET }),
  });

afterEach(() => setHandle(h));

describe('handler(): a failing route', () => {
  it("logs the route, status, request id and the error's class and code; never a query value, body or driver text", async () => {
    // The database's own message quotes the value it refused: what a raw error would have logged.
    const raw = await h.db.execute(sql`select ${SECRET}::int`).catch((e: unknown) => format(e));
    expect(raw).toContain(SECRET);

    let res!: Response;
    const out = await printed(async () => {
      res = await failing(hostileRequest(), { params: Promise.resolve({ id: SECRET_ID }) });
    });
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain(SECRET_ID);
    expect(out).not.toMatch(/token=|password|params:|invalid input syntax/i);
    expect(res.status).toBe(500);
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const body = (await res.json()) as { error: { code: string; message: string; details: unknown[] } };
    expect(body.error.code).toBe('internal');
    expect(body.error.message).toContain(id);
    expect(body.error.details).toEqual([{ requestId: id }]);
    expect(JSON.stringify(body)).not.toContain(SECRET);
    expect(out).toContain(`request=${id}`);
    expect(out).toContain('status=500');
    expect(out).toContain('method=POST');
    expect(out).toContain('route=/api/admin/users/[id]');
    expect(out).toMatch(/error=\w*Error/);
    expect(out).toContain('code=22P02'); // invalid_text_representation
  });

  it('masks path segments that are values even without named parameters', async () => {
    const out = await printed(async () => {
      await failing(hostileRequest(), { params: Promise.resolve({ id: 'another' }) });
    });
    expect(out).toContain('route=/api/admin/users/[?]');
    expect(out).not.toContain(SECRET);
  });

  it('gives every answer a request id, a 4xx included', async () => {
    const refused = handler(async () => {
      throw new AppError('bad_request', 'No.');
    });
    const a = await refused(new Request('http://127.0.0.1/api/x'));
    expect(a.status).toBe(400);
    expect(a.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const b = await handler(async () => Response.redirect('http://127.0.0.1/elsewhere', 303))(
      new Request('http://127.0.0.1/api/x'),
    );
    expect(b.status).toBe(303);
    expect(b.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('/api/health', () => {
  it('answers ok with its components', async () => {
    const res = await health();
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', components: { database: 'ok' }, ok: true });
  });

  it("answers degraded without the driver's error text when the database is down", async () => {
    // A real driver against an address where nothing listens, with a password in its URL.
    const pg = postgres(`postgres://sync:${SECRET}@127.0.0.1:9/nothing`, { max: 1, connect_timeout: 5 });
    setHandle({
      db: drizzle(pg) as unknown as Db,
      kind: 'postgres',
      location: '127.0.0.1:9/nothing',
      pg,
      close: () => pg.end({ timeout: 1 }),
    });
    let res!: Response;
    const out = await printed(async () => {
      res = await health();
    });
    await pg.end({ timeout: 1 });
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ status: 'degraded', components: { database: 'down' }, ok: false });
    expect(text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|connect|sync/);
    expect(out).not.toContain(SECRET);
    expect(out).toContain('code=ECONNREFUSED');
  });
});
