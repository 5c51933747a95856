import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { cliAccessAllowed, issueCliToken } from '@/lib/cli/token';
import { env } from '@/lib/env';
import { PEER_HEADER, isLoopback, peerAddress } from '@/lib/http/peer';
import { testDb } from '@/lib/testing/db';
import { POST as cliRoute } from '@/app/api/internal/cli/route';
import { POST as importRoute } from '@/app/api/internal/import/[format]/route';

testDb();

/** This machine's first address that is not loopback, if it has one. */
const external = Object.values(os.networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

describe('the socket address a server notes (real HTTP)', () => {
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    issueCliToken(); // what the server's start hook does: from now on each request's peer is noted
    server = http.createServer((req, res) => {
      const seen = new Request('http://x/', { headers: req.headers as Record<string, string> });
      res.end(JSON.stringify({ peer: peerAddress(seen) }));
    });
    await new Promise<void>((r) => server.listen(0, '0.0.0.0', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const ask = async (host: string) =>
    (await (
      await fetch(`http://${host}:${port}/`, {
        headers: { [PEER_HEADER]: '127.0.0.1', 'x-forwarded-for': '127.0.0.1', 'x-real-ip': '127.0.0.1' },
      })
    ).json()) as { peer: string };

  it('is the loopback address for a request over loopback', async () => {
    expect(isLoopback((await ask('127.0.0.1')).peer)).toBe(true);
  });

  it.runIf(external)('is the real address, whatever the client wrote in its headers', async () => {
    const { peer } = await ask(external!);
    expect(peer.replace(/^::ffff:/, '')).toBe(external);
    expect(isLoopback(peer)).toBe(false);
  });
});

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['192.0.2.2', false],
    ['::ffff:10.0.0.1', false],
    ['fd00::2', false],
    ['127.0.0.1.evil.example', false],
    ['', false],
    [null, false],
  ])('%s → %s', (address, loopback) => {
    expect(isLoopback(address)).toBe(loopback);
  });
});

describe('the internal CLI routes', () => {
  const token = issueCliToken();
  const request = (path: string, headers: Record<string, string>, body = '{"command":"api-key list"}') =>
    new Request(`http://127.0.0.1:3000${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
  const loopback = { [PEER_HEADER]: '127.0.0.1', 'x-cli-token': token };

  it.each<[string, Record<string, string>, string | undefined]>([
    ['a server on Postgres', loopback, 'postgres://postgres@127.0.0.1:5432/x'],
    ['another host', { ...loopback, [PEER_HEADER]: '192.0.2.7' }, undefined],
    [
      'another host claiming loopback by x-forwarded-for',
      { ...loopback, [PEER_HEADER]: '192.0.2.7', 'x-forwarded-for': '127.0.0.1' },
      undefined,
    ],
    ['no noted address', { 'x-cli-token': token, 'x-forwarded-for': '127.0.0.1' }, undefined],
    ['a wrong secret', { ...loopback, 'x-cli-token': token.slice(1) + 'x' }, undefined],
    ['a secret of other bytes', { ...loopback, 'x-cli-token': 'é'.repeat(token.length) }, undefined],
    ['no secret', { [PEER_HEADER]: '127.0.0.1' }, undefined],
  ])('refuse %s', (_, headers, databaseUrl) => {
    expect(cliAccessAllowed(request('/api/internal/cli', headers), databaseUrl)).toBe(false);
  });

  it('take the embedded database’s CLI from loopback with the secret', () => {
    expect(cliAccessAllowed(request('/api/internal/cli', loopback), undefined)).toBe(true);
    expect(cliAccessAllowed(request('/api/internal/cli', { ...loopback, [PEER_HEADER]: '::1' }), undefined)).toBe(true);
  });

  it('answer 404 in SPEC 3’s shape when off, and run the command when on', async () => {
    const off = await cliRoute(request('/api/internal/cli', { ...loopback, [PEER_HEADER]: '192.0.2.7' }));
    expect(off.status).toBe(404);
    expect(await off.json()).toMatchObject({ error: { code: 'not_found', details: [] } });
    const imp = await importRoute(request('/api/internal/import/sap-idoc-status', { 'x-cli-token': token }, 'x'), {
      params: Promise.resolve({ format: 'sap-idoc-status' }),
    });
    expect(imp.status).toBe(404);

    const res = await cliRoute(request('/api/internal/cli', loopback));
    if (env().DATABASE_URL) {
      // This run is on Postgres: the routes are off even for loopback with the secret.
      expect(res.status).toBe(404);
    } else {
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ code: 0 });
    }
  });
});
