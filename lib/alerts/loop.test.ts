import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '@/db';
import { addChannel, addEvent } from '@/lib/testing/alert-outbox';
import { testDb } from '@/lib/testing/db';
import { httpReceiver } from '@/lib/testing/receivers';
import { startAlertLoop } from './loop';

const h = testDb();
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

beforeEach(async () => {
  await h.db.execute(sql`truncate alert_events, alert_deliveries, alert_delivery_attempts, alert_channels`);
});
afterEach(() => vi.restoreAllMocks());

describe('startAlertLoop', () => {
  it('evaluates every interval, delivers what the evaluation wrote, never two ticks at once, goes on after an error', async () => {
    const r = await httpReceiver();
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    await addChannel(h.db, 'hook', 'webhook', { url: r.url, secret: 's' });
    let calls = 0;
    let running = 0;
    let most = 0;
    const evaluate = async (db: Db, now: Date) => {
      calls++;
      running++;
      most = Math.max(most, running);
      try {
        expect(now).toBeInstanceOf(Date);
        await sleep(120); // longer than the interval: the next tick waits for this one
        if (calls === 1) await addEvent(db, 1, 'firing', ['hook']);
        if (calls === 2) throw new Error('evaluation failed');
      } finally {
        running--;
      }
    };
    const loop = startAlertLoop(h.db, { intervalSeconds: 0.1, deliverEverySeconds: 0.05, evaluate });
    try {
      const end = Date.now() + 20_000;
      while ((calls < 4 || r.received.length < 1) && Date.now() < end) await sleep(20);
    } finally {
      await loop.stop();
    }
    const after = calls;
    await sleep(300);
    expect(calls).toBe(after); // stopped: no tick after stop() resolved
    expect(calls).toBeGreaterThanOrEqual(4); // went on after the failing second call
    expect(most).toBe(1);
    expect(r.received).toHaveLength(1);
    expect(logged.mock.calls.some((c) => String(c[0]).startsWith('[alerts] step=evaluate error=Error'))).toBe(true);
    // The log line says what failed, never the error's message.
    expect(logged.mock.calls.some((c) => String(c[0]).includes('evaluation failed'))).toBe(false);
    await r.close();
  });

  it('delivers between evaluations: a retry due in 10 s goes out within 15 s with a 60 s interval', async () => {
    const at: number[] = [];
    const r = await httpReceiver((_, n) => (at.push(Date.now()), n === 0 ? 500 : 200));
    await addChannel(h.db, 'hook', 'webhook', { url: r.url, secret: 's' });
    await addEvent(h.db, 1, 'firing', ['hook']);
    let evaluations = 0;
    const loop = startAlertLoop(h.db, {
      intervalSeconds: 60,
      deliverEverySeconds: 0.05,
      evaluate: async () => void evaluations++,
    });
    try {
      const end = Date.now() + 30_000;
      while (r.received.length < 2 && Date.now() < end) await sleep(20);
    } finally {
      await loop.stop();
    }
    expect(r.received).toHaveLength(2);
    expect(at[1] - at[0]).toBeGreaterThanOrEqual(9_900);
    expect(at[1] - at[0]).toBeLessThan(15_000);
    expect(evaluations).toBe(1);
    await r.close();
  });
});
