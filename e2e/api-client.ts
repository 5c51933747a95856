/**
 * The machine API as a test reaches it: an API key made by `npm run cli`, and a request context
 * that sends a key as its bearer token.
 */
import { spawnSync } from 'node:child_process';
import { expect, type APIRequestContext, type PlaywrightWorkerArgs } from '@playwright/test';

/**
 * A new API key named `name`, made by `npm run cli api-key create`. The Playwright server runs on
 * PGLITE_DIR=.data/e2e; the CLI hands its command to that server.
 */
export function cliApiKey(name: string): string {
  const r = spawnSync(
    process.execPath,
    ['node_modules/tsx/dist/cli.mjs', '--conditions=react-server', 'scripts/cli.ts', 'api-key', 'create', name],
    {
      env: { ...process.env, DATABASE_URL: '', PGLITE_DIR: '.data/e2e' },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim().split('\n').pop()!;
}

/** Requests to the app at `baseURL` with `key` as the bearer token; dispose of it at the end. */
export function apiWithKey(
  playwright: PlaywrightWorkerArgs['playwright'],
  baseURL: string | undefined,
  key: string,
): Promise<APIRequestContext> {
  return playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${key}` } });
}
