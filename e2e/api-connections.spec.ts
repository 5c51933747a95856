import fs from 'node:fs';
import http from 'node:http';
import { expect, test } from '@playwright/test';
import { storageStateFor } from './roles';

/**
 * Senders keep their connection open between requests. A body the server refuses before reading
 * all of it must not break the next request: it is answered at once, on the same connection or on
 * a new one after the server closed the old cleanly; never reset, never left waiting. Plain
 * node:http with one kept-alive socket, so every request goes where the one before it went when
 * the server keeps it open.
 */
test('a snapshot refused at its first bytes leaves the connection usable for the next request', async ({ baseURL }) => {
  const { cookies } = JSON.parse(fs.readFileSync(storageStateFor('finance'), 'utf8')) as {
    cookies: { name: string; value: string }[];
  };
  const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const post = (body: string) =>
    new Promise<{ status: number; text: string; ms: number }>((resolve, reject) => {
      const t0 = performance.now();
      const req = http.request(new URL('/api/v1/snapshots', baseURL), {
        method: 'POST',
        agent,
        headers: {
          cookie,
          origin: new URL(baseURL!).origin, // a signed-in change names its site (lib/auth/csrf.ts)
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString(), ms: performance.now() - t0 }),
        );
      });
      req.on('error', reject);
      req.end(body);
    });
  try {
    const filler = ' '.repeat(4 * 1024 * 1024);
    for (let round = 0; round < 3; round++) {
      const first = await post(`[${filler}]`);
      expect(first.status, first.text).toBe(400);
      expect(JSON.parse(first.text).error.message).toContain('must be a JSON object');
      const second = await post(`null${filler}`);
      expect(second.status, second.text).toBe(400);
      const facility = `CN${Date.now() % 100000}`;
      const third = await post(
        JSON.stringify({
          system: 'erp',
          facility,
          takenAt: new Date().toISOString(),
          rows: [{ sku: 'SKU-1', location: 'A-1', lot: null, uom: 'EA', quantity: 3 }],
        }),
      );
      expect(third.status, third.text).toBe(201);
      // A request left waiting is as broken as one reset. Seen: after a refused body, each of the
      // next two requests waited 6 s for the connection to give up; they take well under 100 ms.
      expect([first, second, third].map((r) => r.ms < 3_000)).toEqual([true, true, true]);
    }
  } finally {
    agent.destroy();
  }
});
