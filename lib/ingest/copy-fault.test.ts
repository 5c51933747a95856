/**
 * A connection killed during a COPY (issue #27, hole 7): the batch fails as retryable, nothing
 * escapes as an uncaught exception, the pool recovers, and the retry stores the batch once.
 */
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '@/db';
import { env } from '@/lib/env';
import { bulk, isRetryable } from '@/lib/ingest/backpressure';
import { ingestMessages } from '@/lib/ingest/messages';
import { testDb } from '@/lib/testing/db';
import { testMessage } from '@/lib/testing/records';

const h = testDb();

const uncaught: unknown[] = [];
const onUncaught = (e: unknown) => uncaught.push(e);
beforeAll(() => {
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
});
afterAll(() => {
  process.off('uncaughtException', onUncaught);
  process.off('unhandledRejection', onUncaught);
});

/** 10,000 new messages with a payload of ~1 KB each: a COPY long enough to be caught in the act. */
function bigBatch(tag: string) {
  const filler = 'x'.repeat(1000);
  return Array.from({ length: 10_000 }, (_, i) => {
    const value = testMessage(`${tag}-${i}`, '2026-11-20T10:00:00Z', { payload: { filler, i } });
    return { value, raw: JSON.stringify(value) };
  });
}

describe.runIf(env().DATABASE_URL)('a connection killed during a COPY', () => {
  it('fails the batch as retryable, crashes nothing, and the retry stores it once', async () => {
    const admin = postgres(env().DATABASE_URL!, { max: 1, onnotice: () => {} });
    const [{ db: name }] = await rows<{ db: string }>(h.db, sql`select current_database() as db`);
    const batch = bigBatch('KILL');
    let killed = 0;
    let watching = true;
    const watcher = (async () => {
      while (watching && !killed) {
        const found = await admin`select pid from pg_stat_activity
          where datname = ${name} and query ilike 'copy integration_messages%' and state = 'active'`;
        if (found.length) {
          await admin`select pg_terminate_backend(${found[0].pid})`;
          killed = found[0].pid;
        }
      }
    })();
    const first = await ingestMessages(h.db, batch, 'test').then(
      () => null,
      (e: unknown) => e,
    );
    watching = false;
    await watcher;
    await admin.end();
    expect(killed, 'the COPY was caught and its connection terminated').toBeGreaterThan(0);
    // postgres.js's deferred write runs on the next turns of the event loop: give it some.
    await new Promise((r) => setTimeout(r, 300));
    expect(uncaught).toEqual([]);
    expect(first).not.toBeNull();
    expect(isRetryable(first), String(first)).toBe(true);
    // As a route answers it: 503 with Retry-After, SPEC 3's error shape.
    const res = await bulk(() => Promise.reject(first))(new Request('http://localhost/api/v1/messages'));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await res.json()).toEqual({ error: { code: 'unavailable', message: expect.any(String), details: [] } });
    // The pool recovers: the retry (on whichever connection) stores the batch, once.
    const again = await ingestMessages(h.db, batch, 'test');
    expect(again.accepted).toBe(10_000);
    const [n] = await rows<{ n: number }>(h.db, sql`select count(*)::int as n from integration_messages`);
    expect(n.n).toBe(10_000);
  });

  it('every pooled connection has a statement and a lock timeout (DATABASE_*_TIMEOUT_MS)', async () => {
    const [t] = await rows<{ statement: string; lock: string }>(
      h.db,
      sql`select current_setting('statement_timeout') as statement, current_setting('lock_timeout') as lock`,
    );
    expect(t).toEqual({ statement: '1min', lock: '10s' });
  });
});
