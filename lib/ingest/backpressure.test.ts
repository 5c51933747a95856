/** The bound on concurrent bulk requests, and which failures answer 503 (lib/ingest/backpressure.ts). */
import { describe, expect, it } from 'vitest';
import { env } from '@/lib/env';
import { bulk, bulkInFlight, isRetryable } from '@/lib/ingest/backpressure';

const req = () => new Request('http://localhost/api/v1/messages', { method: 'POST', body: '[]' });

describe('bulk requests', () => {
  it(`works on MAX_CONCURRENT_BULK at once and answers the next 503 busy with Retry-After`, async () => {
    const max = env().MAX_CONCURRENT_BULK;
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const route = bulk(async () => {
      await held;
      return new Response('ok');
    });
    const running = Array.from({ length: max }, () => route(req()));
    expect(bulkInFlight()).toBe(max);
    const refused = await route(req());
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toEqual({ error: { code: 'busy', message: expect.any(String), details: [] } });
    release();
    expect((await Promise.all(running)).map((r) => r.status)).toEqual(Array(max).fill(200));
    expect(bulkInFlight()).toBe(0);
    // A slot is free again once a request ends, however it ended.
    expect((await route(req())).status).toBe(200);
    await expect(bulk(() => Promise.reject(new Error('boom')))(req())).rejects.toThrow('boom');
    expect(bulkInFlight()).toBe(0);
  });

  it('answers a failure of the database worth retrying with 503 unavailable, and throws anything else on', async () => {
    const pg = (code: string) => Object.assign(new Error(code), { code });
    const wrapped = (code: string) => Object.assign(new Error('drizzle'), { cause: pg(code) });
    for (const e of [
      pg('CONNECTION_CLOSED'),
      pg('ECONNREFUSED'),
      pg('57P01'),
      pg('57P03'),
      wrapped('55P03'),
      wrapped('57014'),
      wrapped('40P01'),
      pg('08006'),
    ])
      expect(isRetryable(e), String((e as { code?: string }).code ?? 'wrapped')).toBe(true);
    for (const e of [pg('23505'), pg('22P02'), new TypeError('x'), wrapped('42P01')])
      expect(isRetryable(e)).toBe(false);
    const res = await bulk(() => Promise.reject(pg('57P01')))(req());
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    expect((await res.json()).error.code).toBe('unavailable');
  });
});
