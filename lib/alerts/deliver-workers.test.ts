/**
 * Delivery across processes: two workers on one Postgres deliver each (event, channel) once, and
 * a worker killed mid-way leaves nothing behind that a restarted one does not deliver.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, rows, type DbHandle } from '@/db';
import { env } from '@/lib/env';
import { addChannel, addEvent } from '@/lib/testing/alert-outbox';
import { scratchDatabase } from '@/lib/testing/db';
import { httpReceiver, type HttpReceiver } from '@/lib/testing/receivers';

const root = path.resolve(import.meta.dirname, '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sh-alerts-'));
let childEnv: NodeJS.ProcessEnv;
let drop: () => Promise<void> = async () => {};

beforeAll(async () => {
  const base = env().DATABASE_URL;
  if (base) {
    const scratch = await scratchDatabase(base, 'sh_alerts');
    childEnv = { ...process.env, DATABASE_URL: scratch.url };
    drop = scratch.drop;
  } else {
    childEnv = { ...process.env, DATABASE_URL: '', PGLITE_DIR: path.join(dir, 'db') };
  }
});
afterAll(async () => {
  await drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The children's database, opened here only between their runs (one process per PGlite folder). */
async function withDb<T>(fn: (h: DbHandle) => Promise<T>): Promise<T> {
  const h = await openDatabase({ url: childEnv.DATABASE_URL || undefined, dir: childEnv.PGLITE_DIR, purpose: 'test' });
  try {
    return await fn(h);
  } finally {
    await h.close();
  }
}

interface Worker {
  child: ChildProcess;
  out: () => string;
  exit: Promise<number | null>;
}

/**
 * A worker process: node itself with tsx as a loader, not tsx's command line, which runs the script
 * in a grandchild that a kill would orphan (and whose zombie would keep the PGlite lock's pid alive).
 */
function worker(args: string[] = []): Worker {
  const child = spawn(
    process.execPath,
    ['--conditions=react-server', '--import', 'tsx', 'lib/alerts/deliver-worker.ts', ...args],
    { cwd: root, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
  return { child, out: () => out, exit };
}

const until = async (cond: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((ok) => setTimeout(ok, 5));
  }
};

const deliveredCount = (out: string) => [...out.matchAll(/delivered=(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);

async function seed(events: number, channels: Array<[string, 'webhook' | 'slack', string]>) {
  return withDb(async (h) => {
    await h.db.execute(sql`truncate alert_events, alert_deliveries, alert_delivery_attempts, alert_channels`);
    for (const [id, type, url] of channels) await addChannel(h.db, id, type, { url, secret: 'sec' });
    const ids: string[] = [];
    const past = new Date(Date.now() - 1000);
    for (let i = 0; i < events; i++) {
      ids.push(
        ...(
          await addEvent(
            h.db,
            1 + (i % 75),
            'firing',
            channels.map((c) => c[0]),
            { createdAt: past },
          )
        ).deliveries,
      );
    }
    return ids;
  });
}

const idsOf = (r: HttpReceiver) => r.received.map((q) => String(q.headers['sync-health-delivery']));

describe.skipIf(!env().DATABASE_URL)('two worker processes on one Postgres', () => {
  it('deliver each (event, channel) exactly once between them', { timeout: 240_000 }, async () => {
    // Every 7th delivery fails the first time it is seen, and is retried 10 s later.
    const seen = new Set<string>();
    const accepted: string[] = [];
    const r = await httpReceiver((q, n) => {
      const id = String(q.headers['sync-health-delivery']);
      const fail = !seen.has(id) && seen.size % 7 === 3;
      seen.add(id);
      if (!fail) accepted.push(id);
      return { status: fail ? 500 : 200, delayMs: n % 5 };
    });
    try {
      const ids = await seed(150, [
        ['hook', 'webhook', r.url],
        ['slack', 'slack', `${r.url}/slack`],
      ]);
      const a = worker(['--wait']);
      const b = worker(['--wait']);
      await until(() => a.out().includes('ready') && b.out().includes('ready'), 200_000);
      a.child.stdin!.write('go\n');
      b.child.stdin!.write('go\n');
      expect(await a.exit).toBe(0);
      expect(await b.exit).toBe(0);
      expect(r.received.length).toBeGreaterThan(ids.length); // the failed ones came again
      expect(accepted.length).toBe(ids.length);
      expect(new Set(accepted)).toEqual(new Set(ids));
      // Each worker did part of the work.
      expect(deliveredCount(a.out())).toBeGreaterThan(0);
      expect(deliveredCount(b.out())).toBeGreaterThan(0);
      expect(deliveredCount(a.out()) + deliveredCount(b.out())).toBe(ids.length);
      await withDb(async (h) => {
        const [s] = await rows<{ delivered: number; attempts: number; tries: number }>(
          h.db,
          sql`select count(*) filter (where status = 'delivered')::int as delivered, sum(attempts)::int as attempts,
            (select count(*)::int from alert_delivery_attempts) as tries from alert_deliveries`,
        );
        expect(s.delivered).toBe(ids.length);
        // Every request the receiver saw is one attempt row and one count on its delivery.
        expect(s.attempts).toBe(r.received.length);
        expect(s.tries).toBe(r.received.length);
      });
    } finally {
      await r.close();
    }
  });
});

describe('a worker killed mid-way', () => {
  it('leaves the rest to the next one, which delivers them under the same ids', { timeout: 240_000 }, async () => {
    const r = await httpReceiver(() => ({ status: 200, delayMs: 80 }));
    try {
      const ids = await seed(80, [['hook', 'webhook', r.url]]);
      const a = worker();
      await until(() => r.received.length >= 25, 200_000);
      a.child.kill('SIGKILL');
      await a.exit;
      const before = new Set(idsOf(r));
      expect(before.size).toBeLessThan(ids.length);

      // Its claims hold for a minute: the next worker's clock runs past them.
      const b = worker(['--clock-offset-ms', '70000']);
      const code = await b.exit;
      expect(b.out()).not.toMatch(/Error/);
      expect(code).toBe(0);
      const got = idsOf(r);
      expect(new Set(got)).toEqual(new Set(ids));
      // Only what was in flight when it died (one claimed chunk at most) can arrive twice, same id.
      const twice = got.length - new Set(got).size;
      expect(twice).toBeLessThanOrEqual(10);
      await withDb(async (h) => {
        const [s] = await rows<{ delivered: number }>(
          h.db,
          sql`select count(*) filter (where status = 'delivered')::int as delivered from alert_deliveries`,
        );
        expect(s.delivered).toBe(ids.length);
      });
    } finally {
      await r.close();
    }
  });
});
