import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import { cliApiKey } from './api-client';

/**
 * The internal CLI routes of a server holding the embedded database (issue 27): the CLI on this
 * machine still works through them, and another host is refused even with the lock file's secret
 * and a forged x-forwarded-for, because the server judges the socket's address, not a header.
 */
const lock = () => JSON.parse(fs.readFileSync('.data/e2e/sync-health.lock', 'utf8')) as { url: string; token: string };

/** This machine's first address that is not loopback, if it has one. */
const external = Object.values(os.networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

const command = (base: string, token: string, headers: Record<string, string> = {}) =>
  fetch(new URL('/api/internal/cli', base), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-cli-token': token, ...headers },
    body: JSON.stringify({ command: 'api-key list' }),
  });

test('the CLI reaches the server over loopback', async () => {
  expect(cliApiKey(`internal-routes-${Date.now()}`)).toMatch(/\S{20,}/);
  const { url, token } = lock();
  const res = await command(url, token);
  expect(res.status).toBe(200);
  expect((await command(url, 'not-the-secret')).status).toBe(404);
});

test('another host is refused with the secret and a forged loopback address', async ({ baseURL }) => {
  test.skip(!external, 'this machine has no address besides loopback');
  const { token } = lock();
  const base = new URL(baseURL!);
  base.hostname = external!;
  const res = await command(base.toString(), token, {
    'x-forwarded-for': '127.0.0.1',
    'x-real-ip': '127.0.0.1',
    'x-sync-health-peer': '127.0.0.1',
  });
  expect(res.status).toBe(404);
  expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
  // The same server answers that host on its other routes: the refusal is the route's own.
  expect((await fetch(new URL('/api/health', base))).status).toBe(200);
});
