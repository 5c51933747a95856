/**
 * Reads from a real streaming replica (SPEC 11): `.ci/run` starts one of the CI Postgres with
 * scripts/replica.sh and exports TEST_POSTGRES_READ_URL (its server); without it (or on PGlite) the
 * replica tests are skipped and the case without a replica runs instead. The replica being down is
 * tested only on one scripts/replica.sh runs, which the test stops and starts again.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as health } from '@/app/api/health/route';
import { getReadDb, openDatabase, readState, rows, setHandle, type DbHandle } from '@/db';
import { seedDefaults } from '@/lib/bootstrap';
import { env } from '@/lib/env';
import { readDb } from '@/lib/http/read';
import { computeKpis, type Kpis } from '@/lib/kpi/kpis';
import { scratchDatabase, testDb } from '@/lib/testing/db';
import { testMessage } from '@/lib/testing/records';
import { send } from '@/lib/testing/send';

const READ_BASE = env().TEST_POSTGRES_READ_URL;
const PRIMARY_BASE = env().DATABASE_URL;
/** scripts/replica.sh, which made the replica (and can stop it) when `status` finds it running. */
const SCRIPT = path.join(process.cwd(), 'scripts', 'replica.sh');
const replicaSh = (cmd: string) =>
  spawnSync('bash', [SCRIPT, cmd, new URL(READ_BASE ?? 'postgres://x:5433').port || '5432'], { encoding: 'utf8' });
const OURS = Boolean(READ_BASE) && replicaSh('status').status === 0;

async function until<T>(what: string, probe: () => Promise<T | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const inRecovery = async () =>
  (await rows<{ r: boolean }>(await getReadDb(), sql`select pg_is_in_recovery() as r`))[0].r;

describe.skipIf(Boolean(READ_BASE && PRIMARY_BASE))('reads without a replica', () => {
  const h = testDb();
  it('go to the primary, and /api/health says so', async () => {
    expect(await getReadDb()).toBe(h.db);
    expect(await readDb()).toBe(h.db);
    expect(await readState()).toBeNull();
    const body = await (await health()).json();
    expect(body.reads).toEqual({ using: 'primary', lagSeconds: null, reason: null, checkedAt: null });
    expect(body.components).toEqual({ database: 'ok' });
  });
});

describe.skipIf(!(READ_BASE && PRIMARY_BASE))('reads from a streaming replica', () => {
  let handle: DbHandle;
  let drop: () => Promise<void>;
  let replicaAdmin: postgres.Sql;
  const scope = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-01-02T00:00:00Z') };
  const batch = (prefix: string, n: number) =>
    Array.from({ length: n }, (_, i) =>
      testMessage(`${prefix}-${i}`, `2026-01-01T${String(i % 24).padStart(2, '0')}:00:00.000Z`, {
        status: i % 5 === 0 ? 'failed' : 'delivered',
      }),
    );

  beforeAll(async () => {
    const scratch = await scratchDatabase(PRIMARY_BASE!, 'sh_replica');
    drop = scratch.drop;
    const readUrl = new URL(READ_BASE!);
    readUrl.pathname = new URL(scratch.url).pathname;
    handle = await openDatabase({
      url: scratch.url,
      readUrl: readUrl.toString(),
      maxLagSeconds: 1,
      checkEveryMs: 100,
      purpose: 'test',
    });
    await seedDefaults(handle.db);
    setHandle(handle);
    replicaAdmin = postgres(READ_BASE!, { max: 1, onnotice: () => {} });
  });

  afterAll(async () => {
    if (replicaAdmin) {
      await replicaAdmin`select pg_wal_replay_resume()`.catch(() => {});
      await replicaAdmin.end({ timeout: 1 });
    }
    await handle?.close();
    await drop?.();
  });

  it('reads there once it has caught up: in recovery, and the KPIs of what the primary took', async () => {
    await send(handle.db, batch('a', 48));
    await until('the replica to be read', async () => (await readState())?.using === 'replica');
    expect(await inRecovery()).toBe(true);
    expect(await readDb()).toBe(handle.read!.db);
    const primary = await computeKpis(handle.db, scope);
    expect(primary.messages).toBe(48);
    // Replayed by now: its lag is within a second of the primary's flushed WAL.
    await until(
      'the replica to hold the batch',
      async () => (await computeKpis(await getReadDb(), scope)).messages === 48,
    );
    // All but the oldest open exception's age, which moves with the clock between the two reads.
    const steady = ({ oldestOpenException: o, ...k }: Kpis) => ({ ...k, oldest: o?.id ?? null });
    expect(steady(await computeKpis(await getReadDb(), scope))).toEqual(steady(primary));
    const body = await (await health()).json();
    expect(body.status).toBe('ok');
    expect(body.components).toEqual({ database: 'ok', replica: 'ok' });
    expect(body.reads.using).toBe('replica');
    expect(body.reads.lagSeconds).toBeLessThanOrEqual(1);
  });

  it('falls back to the primary while replay is paused past the allowed lag, and returns after', async () => {
    await replicaAdmin`select pg_wal_replay_pause()`;
    await send(handle.db, batch('b', 24));
    const lagging = await until('the fallback', async () => {
      const s = await readState();
      return s?.using === 'primary' ? s : false;
    });
    expect(lagging.reason).toBe('lagging');
    expect(lagging.lagSeconds).toBeGreaterThan(1);
    expect(await getReadDb()).toBe(handle.db);
    expect(await inRecovery()).toBe(false);
    // The page's numbers are the primary's: the batch the replica has not replayed is in them.
    expect((await computeKpis(await getReadDb(), scope)).messages).toBe(72);
    const body = await (await health()).json();
    expect(body.status).toBe('ok');
    expect(body.components.replica).toBe('lagging');
    expect(body.reads).toMatchObject({ using: 'primary', reason: 'lagging' });
    expect(body.reads.lagSeconds).toBeGreaterThan(1);

    await replicaAdmin`select pg_wal_replay_resume()`;
    await until('the replica to be read again', async () => (await readState())?.using === 'replica');
    expect(await inRecovery()).toBe(true);
    expect((await computeKpis(await getReadDb(), scope)).messages).toBe(72);
  });

  it.skipIf(!OURS)('falls back to the primary while the replica is down', async () => {
    const stop = replicaSh('stop');
    expect(stop.status, stop.stderr).toBe(0);
    try {
      const down = await until('the fallback', async () => {
        const s = await readState();
        return s?.reason === 'down' ? s : false;
      });
      expect(down.using).toBe('primary');
      expect(await getReadDb()).toBe(handle.db);
      expect(await inRecovery()).toBe(false);
      expect((await computeKpis(await getReadDb(), scope)).messages).toBe(72);
      const res = await health();
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.components).toEqual({ database: 'ok', replica: 'down' });
      expect(body.reads).toMatchObject({ using: 'primary', reason: 'down', lagSeconds: null });
    } finally {
      const start = replicaSh('start');
      expect(start.status, start.stderr).toBe(0);
    }
    await until('the replica to be read again', async () => (await readState())?.using === 'replica', 60_000);
    expect(await inRecovery()).toBe(true);
  });
});
