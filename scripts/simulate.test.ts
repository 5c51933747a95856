/**
 * npm run simulate, in a child process: its options, and a second identical run against the same
 * server changes nothing and exits 0. The server is this test's own: the real v1 route handlers
 * behind a plain node:http listener, on this file's database (no Next build needed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { DbHandle } from '@/db';
import { freshDb } from '@/lib/testing/db';
import { tableContents } from '@/lib/testing/table-contents';
import { createApiKey } from '@/lib/auth/api-keys';
import { POST as changes } from '@/app/api/v1/changes/route';
import { POST as corrections } from '@/app/api/v1/corrections/route';
import { POST as items } from '@/app/api/v1/items/route';
import { POST as messages } from '@/app/api/v1/messages/route';
import { POST as snapshots } from '@/app/api/v1/snapshots/route';

const root = path.resolve(__dirname, '..');
const ROUTES: Record<string, (req: Request) => Promise<Response>> = {
  '/api/v1/changes': changes,
  '/api/v1/corrections': corrections,
  '/api/v1/items': items,
  '/api/v1/messages': messages,
  '/api/v1/snapshots': snapshots,
};

let h: DbHandle;
let server: http.Server;
let target: string;
let key: string;
beforeAll(async () => {
  h = await freshDb();
  key = (await createApiKey(h.db, 'simulator')).key;
  server = http.createServer(async (req, res) => {
    const url = new URL(req.url!, 'http://localhost');
    const route = req.method === 'POST' ? ROUTES[url.pathname] : undefined;
    if (!route) return void res.writeHead(404).end();
    const headers = new Headers(Object.entries(req.headers).map(([k, v]) => [k, String(v)] as [string, string]));
    const body = Readable.toWeb(req) as ReadableStream<Uint8Array>;
    const answer = await route(new Request(url, { method: 'POST', headers, body, duplex: 'half' } as RequestInit));
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await h.close();
});

const tsx = [path.join(root, 'node_modules/tsx/dist/cli.mjs'), '--conditions=react-server', 'scripts/simulate.ts'];
// The child never opens a database of its own: with --target it only speaks HTTP.
const env = { ...process.env, DATABASE_URL: '', PGLITE_DIR: path.join(os.tmpdir(), 'sh-simulate-never-opened') };
/** Each run starts tsx and the script's imports: seconds each, more on a busy machine. */
const SLOW = 240_000;

/** Runs the script without blocking this process, which serves its requests. */
function simulateAsync(args: string[]) {
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const child = spawn(process.execPath, [...tsx, ...args], { cwd: root, env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}
const simulateSync = (args: string[]) => {
  const r = spawnSync(process.execPath, [...tsx, ...args], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('npm run simulate', () => {
  it(
    '--help lists the options and exits 0; an unknown option names itself and the valid ones, exit 2',
    () => {
      const help = simulateSync(['--help']);
      expect(help.code).toBe(0);
      for (const o of [
        '--facilities',
        '--days',
        '--messages-per-day',
        '--seed',
        '--scenario',
        '--until',
        '--target',
        '--key',
      ]) {
        expect(help.out).toContain(o);
      }
      const bad = simulateSync(['--days', '2', '--fast']);
      expect(bad.code).toBe(2);
      expect(bad.err).toMatch(/^error: unknown option --fast; valid options: --facilities, --days, .*--until/);
      const until = simulateSync(['--until', 'tomorrow']);
      expect(until.code).toBe(2);
      expect(until.err).toContain('--until must be an ISO time');
    },
    SLOW,
  );

  it(
    'run twice with the same seed and --until against the same server: the second changes nothing, exit 0',
    async () => {
      const args = ['--facilities', '2', '--days', '2', '--messages-per-day', '150', '--seed', '5'];
      const run = () => simulateAsync([...args, '--until', '2026-11-20T06:00:00Z', '--target', target, '--key', key]);
      const first = await run();
      expect(first.code, first.err).toBe(0);
      expect(first.out).toMatch(/snapshots\s+4 new\s+0 updated\s+0 unchanged/);
      const before = await tableContents(h.db);
      expect(before.integration_messages.rows).toBeGreaterThan(300);
      const second = await run();
      expect(second.code, second.err).toBe(0);
      expect(second.err).not.toContain('usage');
      for (const feed of ['items', 'changes', 'corrections', 'messages', 'snapshots']) {
        expect(second.out).toMatch(new RegExp(`${feed}\\s+0 new\\s+0 updated\\s+[\\d,]+ unchanged`));
      }
      expect(await tableContents(h.db)).toEqual(before);
    },
    SLOW,
  );

  it(
    "a snapshot with other rows under a stored name fails with the server's reason, not the usage text",
    async () => {
      // Another seed, the same --until: the snapshots' names are taken by other rows.
      const args = ['--facilities', '2', '--days', '2', '--messages-per-day', '150', '--seed', '6'];
      const r = await simulateAsync([...args, '--until', '2026-11-20T06:00:00Z', '--target', target, '--key', key]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(
        /\/api\/v1\/snapshots: 409 An ERP snapshot of DC1 taken at 2026-11-20T05:59:00.000Z is already stored/,
      );
      expect(r.err).not.toContain('usage');
    },
    SLOW,
  );
});
