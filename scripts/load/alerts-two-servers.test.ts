/**
 * Alerts on two app servers (issue #25): two built servers on one Postgres evaluate and deliver
 * every ALERTS_INTERVAL_SECONDS while senders make a failure rate rise and fall for
 * ALERTS_TWO_SERVERS_SECONDS (default 60). A real webhook receiver counts what arrives and checks
 * each signature with its own HMAC. Each event reaches the channel once, with one delivery id, and
 * no alert fires twice in one episode — whichever server evaluated it. Postgres only: an embedded
 * database is one process by construction.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, rows, type DbHandle } from '@/db';
import { applyAlertConfig } from '@/lib/alerts/config';
import { createApiKey } from '@/lib/auth/api-keys';
import { seedDefaults } from '@/lib/bootstrap';
import { env } from '@/lib/env';
import { scratchDatabase } from '@/lib/testing/db';
import { startServer, type Server } from './server';

const pgUrl = env().TEST_POSTGRES_URL ?? process.env.DATABASE_URL;
const SECONDS = env().ALERTS_TWO_SERVERS_SECONDS;
const SECRET = 'two-servers-webhook-secret';

interface Received {
  delivery: string;
  event: string;
  alertId: string;
  signed: boolean;
}

/** A webhook receiver that answers 200 and keeps each request's delivery id, event and signature check. */
async function receiver() {
  const got: Received[] = [];
  const srv = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const sig = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(req.headers['sync-health-signature'] ?? ''));
      const mac = sig ? crypto.createHmac('sha256', SECRET).update(`${sig[1]}.${raw}`).digest('hex') : '';
      const body = JSON.parse(raw) as { event: string; alert: { id: unknown } };
      got.push({
        delivery: String(req.headers['sync-health-delivery']),
        event: body.event,
        alertId: String(body.alert.id),
        signed: !!sig && mac === sig[2],
      });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/hook`;
  return { url, got, close: () => new Promise<void>((r) => srv.close(() => r())) };
}

/** `n` messages created now at `facility`, failed or delivered. */
function messages(tag: string, facility: string, n: number, failed: boolean) {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => ({
    messageId: `${tag}-${i}`,
    txType: 'receipt',
    direction: 'wms_to_erp',
    facility,
    correlationKey: `PO-${tag}`,
    lineKey: String(i),
    sku: `SKU-${i % 7}`,
    quantity: 1,
    uom: 'EA',
    status: failed ? 'failed' : 'delivered',
    attempts: 1,
    errorCode: failed ? 'E-TWO-SERVERS' : undefined,
    errorMessage: failed ? 'refused by the test' : undefined,
    createdAt: new Date(now - 1000).toISOString(),
    processedAt: failed ? undefined : new Date(now).toISOString(),
    updatedAt: new Date(now).toISOString(),
  }));
}

async function post(url: string, key: string, records: unknown[]) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const r = await fetch(`${url}/api/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(records),
    });
    if (r.ok) return;
    if (r.status !== 503) throw new Error(`the batch was refused with ${r.status}: ${await r.text()}`);
    await new Promise((res) => setTimeout(res, 250));
  }
  throw new Error('the batch was still refused after 20 attempts');
}

const servers: Server[] = [];
let handle: DbHandle | null = null;
let drop: (() => Promise<void>) | null = null;
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await handle?.close();
  await drop?.();
});

describe.runIf(pgUrl)('alerts on two app servers over one Postgres', () => {
  it(`delivers each event once per channel while the data changes for ${SECONDS} s`, async () => {
    const scratch = await scratchDatabase(pgUrl!, 'sh_alerts2');
    drop = scratch.drop;
    handle = await openDatabase({ url: scratch.url, purpose: 'alerts two servers' });
    await seedDefaults(handle.db);
    const { key } = await createApiKey(handle.db, 'alerts-two-servers');
    const hook = await receiver();
    await applyAlertConfig(handle.db, {
      channels: [{ id: 'hook', type: 'webhook', url: hook.url, secret: SECRET }],
      rules: [
        {
          id: 'failing',
          name: 'Failure rate per facility',
          kind: 'kpi',
          kpi: 'failedMessageRate',
          facility: '*',
          window: '1m',
          op: '>',
          threshold: 0.5,
          resolveThreshold: 0.2,
          severity: 'critical',
          channels: ['hook'],
          notifyResolved: true,
          repeatEvery: '10s',
        },
      ],
    });
    const serverEnv = { DATABASE_URL: scratch.url, ALERTS_INTERVAL_SECONDS: '2', PUBLIC_URL: 'http://sync.test' };
    servers.push(...(await Promise.all([startServer(serverEnv), startServer(serverEnv)])));

    // Phases of 15 s per facility, offset: failing traffic, then enough delivered traffic to bring
    // the 1-minute rate under the resolve threshold; each batch goes to the servers in turn.
    const end = Date.now() + SECONDS * 1000;
    for (let tick = 0; Date.now() < end; tick++) {
      const sends = ['DC1', 'DC2'].map((facility, f) => {
        const failing = Math.floor((tick + f * 3) / 5) % 2 === 0;
        const batch = messages(`T${tick}-${facility}`, facility, failing ? 30 : 400, failing);
        return post(servers[(tick + f) % 2].url, key, batch);
      });
      await Promise.all(sends);
      await new Promise((r) => setTimeout(r, 3000));
    }

    // Let both servers finish what the outbox holds.
    const settle = Date.now() + 60_000;
    for (;;) {
      const [{ n }] = await rows<{ n: number }>(
        handle.db,
        sql`select count(*)::int as n from alert_deliveries where status = 'pending'`,
      );
      if (n === 0 || Date.now() > settle) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    await Promise.all(servers.map((s) => s.stop()));
    await hook.close();

    const events = await rows<{ id: number; alertId: number; event: string; delivery: string; status: string }>(
      handle.db,
      sql`select e.id, e.alert_id as "alertId", e.event, d.id as delivery, d.status
        from alert_events e join alert_deliveries d on d.event_id = e.id order by e.id`,
    );
    const fired = events.filter((e) => e.event === 'firing').length;
    expect(fired, 'the traffic made alerts fire').toBeGreaterThanOrEqual(2);
    expect(events.filter((e) => e.event === 'resolved').length, 'and resolve').toBeGreaterThanOrEqual(1);
    expect(events.every((e) => e.status === 'delivered')).toBe(true);

    // Each delivery arrived exactly once, signed, and nothing arrived that the outbox does not hold.
    const byDelivery = new Map<string, number>();
    for (const g of hook.got) byDelivery.set(g.delivery, (byDelivery.get(g.delivery) ?? 0) + 1);
    expect([...byDelivery.values()].filter((n) => n > 1)).toEqual([]);
    expect([...byDelivery.keys()].sort()).toEqual(events.map((e) => e.delivery).sort());
    expect(hook.got.every((g) => g.signed)).toBe(true);

    // One firing per episode: per alert, events alternate firing (repeat…) resolved, whichever
    // server wrote them.
    const perAlert = new Map<number, string[]>();
    for (const e of events) perAlert.set(e.alertId, [...(perAlert.get(e.alertId) ?? []), e.event]);
    for (const [alertId, seq] of perAlert) {
      let firing = false;
      for (const ev of seq) {
        if (ev === 'firing') expect(firing, `alert ${alertId}: ${seq.join(' ')}`).toBe(false);
        if (ev === 'resolved' || ev === 'repeat') expect(firing, `alert ${alertId}: ${seq.join(' ')}`).toBe(true);
        firing = ev === 'resolved' ? false : firing || ev === 'firing';
      }
    }
    console.log(
      `alerts on two servers: ${events.length} deliveries (${fired} firing) over ${SECONDS} s, each received once`,
    );
  });
});
