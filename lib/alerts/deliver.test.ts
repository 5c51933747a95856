import { createHmac } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alertDeliveries, alertDeliveryAttempts } from '@/db/schema';
import { addChannel, addEvent, sampleAlert } from '@/lib/testing/alert-outbox';
import { testDb } from '@/lib/testing/db';
import { rejectsWithAppError } from '@/lib/testing/errors';
import { httpReceiver, smtpReceiver } from '@/lib/testing/receivers';
import { deliverDue, GIVE_UP_MS, retryDelaySeconds, sendTestNotification } from './deliver';

const h = testDb();
const noMail = { smtpUrl: null, from: 'x@y.z' };
let receivers: Array<{ close(): Promise<void> }> = [];
const track = <T extends { close(): Promise<void> }>(r: T) => (receivers.push(r), r);

beforeEach(async () => {
  await h.db.execute(
    sql`truncate alert_events, alert_deliveries, alert_delivery_attempts, alert_channels restart identity`,
  );
});
afterEach(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  receivers = [];
});

const delivery = async (id: string) => (await h.db.select().from(alertDeliveries).where(eq(alertDeliveries.id, id)))[0];
const attempts = (id: string) =>
  h.db
    .select()
    .from(alertDeliveryAttempts)
    .where(eq(alertDeliveryAttempts.deliveryId, id))
    .orderBy(asc(alertDeliveryAttempts.id));

/** The receiver's own check of a webhook: recomputes the HMAC over t + "." + raw body. */
function verified(secret: string, header: string | string[] | undefined, body: string) {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(header));
  if (!m) return false;
  const expected = createHmac('sha256', secret).update(`${m[1]}.${body}`).digest('hex');
  return m[2] === expected && Math.abs(Date.now() / 1000 - Number(m[1])) < 300;
}

describe('deliverDue: webhook', () => {
  it('POSTs the signed SPEC body once, with the delivery id, and keeps the attempt', async () => {
    const r = track(await httpReceiver());
    await addChannel(h.db, 'hook', 'webhook', { url: `${r.url}/in`, secret: 'whsec' });
    const { deliveries } = await addEvent(h.db, 7, 'firing', ['hook']);
    expect(await deliverDue(h.db, { email: noMail })).toEqual({ delivered: 1, retried: 0, failed: 0 });
    expect(await deliverDue(h.db, { email: noMail })).toEqual({ delivered: 0, retried: 0, failed: 0 });
    expect(r.received).toHaveLength(1);
    const got = r.received[0];
    expect(got.path).toBe('/in');
    expect(got.headers['sync-health-delivery']).toBe(deliveries[0]);
    expect(verified('whsec', got.headers['sync-health-signature'], got.body)).toBe(true);
    expect(verified('wrong', got.headers['sync-health-signature'], got.body)).toBe(false);
    expect(JSON.parse(got.body)).toEqual({ version: 1, event: 'firing', alert: sampleAlert(7) });
    const d = await delivery(deliveries[0]);
    expect(d).toMatchObject({ status: 'delivered', attempts: 1, lastError: null });
    expect(await attempts(deliveries[0])).toMatchObject([{ ok: true, statusCode: 200, error: null }]);
  });

  it('a receiver answering 500 twice: delivered on the third attempt, same id, backoff 10 s then 20 s', async () => {
    const r = track(await httpReceiver((_, n) => (n < 2 ? { status: 500, body: 'oops' } : 204)));
    await addChannel(h.db, 'hook', 'webhook', { url: r.url, secret: 's' });
    const t0 = new Date();
    const { deliveries } = await addEvent(h.db, 1, 'firing', ['hook'], { createdAt: t0 });
    const id = deliveries[0];

    expect(await deliverDue(h.db, { now: t0, email: noMail })).toEqual({ delivered: 0, retried: 1, failed: 0 });
    let d = await delivery(id);
    expect(d.status).toBe('pending');
    expect(d.lastError).toBe('HTTP 500: oops');
    expect(d.nextAttemptAt.getTime() - t0.getTime()).toBe(10_000); // first retry within 15 s
    // Not due yet: nothing is sent.
    expect(await deliverDue(h.db, { now: new Date(t0.getTime() + 9_000), email: noMail })).toEqual({
      delivered: 0,
      retried: 0,
      failed: 0,
    });
    const t1 = new Date(t0.getTime() + 10_000);
    expect(await deliverDue(h.db, { now: t1, email: noMail })).toMatchObject({ retried: 1 });
    d = await delivery(id);
    expect(d.nextAttemptAt.getTime() - t1.getTime()).toBe(20_000); // doubling
    expect(await deliverDue(h.db, { now: new Date(t1.getTime() + 20_000), email: noMail })).toMatchObject({
      delivered: 1,
    });

    expect(r.received.map((x) => x.headers['sync-health-delivery'])).toEqual([id, id, id]);
    expect(r.received.every((x) => verified('s', x.headers['sync-health-signature'], x.body))).toBe(true);
    expect(await delivery(id)).toMatchObject({ status: 'delivered', attempts: 3 });
    expect((await attempts(id)).map((a) => [a.ok, a.statusCode, a.error])).toEqual([
      [false, 500, 'HTTP 500: oops'],
      [false, 500, 'HTTP 500: oops'],
      [true, 204, null],
    ]);
  });

  it('backoff doubles to a 10 min cap; a failure 24 h after the event gives up', async () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map(retryDelaySeconds)).toEqual([10, 20, 40, 80, 160, 320, 600, 600, 600]);
    const r = track(await httpReceiver(() => 503));
    await addChannel(h.db, 'hook', 'webhook', { url: r.url, secret: 's' });
    const t0 = new Date(Date.now() - GIVE_UP_MS + 60_000);
    const { deliveries } = await addEvent(h.db, 1, 'firing', ['hook'], { createdAt: t0 });
    // 30 s before the 24 h: retried, but not later than the 24 h mark.
    const nearEnd = new Date(t0.getTime() + GIVE_UP_MS - 30_000);
    await h.db.update(alertDeliveries).set({ attempts: 9 }).where(eq(alertDeliveries.id, deliveries[0]));
    expect(await deliverDue(h.db, { now: nearEnd, email: noMail })).toMatchObject({ retried: 1 });
    expect((await delivery(deliveries[0])).nextAttemptAt.getTime()).toBe(t0.getTime() + GIVE_UP_MS);
    const end = new Date(t0.getTime() + GIVE_UP_MS);
    expect(await deliverDue(h.db, { now: end, email: noMail })).toEqual({ delivered: 0, retried: 0, failed: 1 });
    expect(await delivery(deliveries[0])).toMatchObject({ status: 'failed', lastError: 'HTTP 503' });
    expect(await deliverDue(h.db, { now: new Date(end.getTime() + 3600_000), email: noMail })).toMatchObject({
      failed: 0,
    });
    expect(r.received).toHaveLength(2);
  });

  it('a redirect is not followed: a failure the admin sees', async () => {
    const r = track(await httpReceiver(() => 302));
    await addChannel(h.db, 'hook', 'webhook', { url: r.url, secret: 's' });
    const { deliveries } = await addEvent(h.db, 1, 'firing', ['hook']);
    expect(await deliverDue(h.db, { email: noMail })).toMatchObject({ retried: 1 });
    expect(await delivery(deliveries[0])).toMatchObject({ status: 'pending', lastError: 'HTTP 302' });
    expect(r.received).toHaveLength(1);
  });

  it('an unreachable receiver: the network error is kept for the admin', async () => {
    const r = await httpReceiver();
    await r.close();
    await addChannel(h.db, 'hook', 'webhook', { url: r.url, secret: 's' });
    const { deliveries } = await addEvent(h.db, 1, 'firing', ['hook']);
    expect(await deliverDue(h.db, { email: noMail })).toMatchObject({ retried: 1 });
    expect((await attempts(deliveries[0]))[0].error).toMatch(/ECONNREFUSED/);
  });
});

describe('deliverDue: order, channels removed or disabled, suppressed rows', () => {
  it("one alert's events reach a channel in order: a later one waits for an earlier one still retrying", async () => {
    let fail = true;
    const r = track(await httpReceiver(() => (fail ? 500 : 200)));
    await addChannel(h.db, 'pd', 'pagerduty', { routingKey: 'k', url: r.url });
    await addChannel(h.db, 'other', 'webhook', { url: r.url, secret: 's' });
    const t0 = new Date();
    await addEvent(h.db, 5, 'firing', ['pd'], { createdAt: t0 });
    await addEvent(h.db, 5, 'resolved', ['pd', 'other'], { createdAt: t0 });
    await addEvent(h.db, 6, 'firing', ['pd'], { createdAt: t0 });
    await deliverDue(h.db, { now: t0, email: noMail });
    const sent = () =>
      r.received.map((x) => `${JSON.parse(x.body).event_action ?? 'hook'}:${JSON.parse(x.body).dedup_key ?? ''}`);
    // Alert 5's resolve to pd waits; its resolve to the other channel and alert 6 are tried (and fail).
    expect([...sent()].sort()).toEqual(['hook:', 'trigger:5', 'trigger:6']);
    fail = false;
    r.received.length = 0;
    // Due again 10 s later: the trigger goes, and only then, in the same pass, the resolve after it.
    await deliverDue(h.db, { now: new Date(t0.getTime() + 10_000), email: noMail });
    expect([...sent()].sort()).toEqual(['hook:', 'resolve:5', 'trigger:5', 'trigger:6']);
    expect(sent().indexOf('resolve:5')).toBeGreaterThan(sent().indexOf('trigger:5'));
  });

  it('a removed channel fails, a disabled one is suppressed, suppressed rows are never sent', async () => {
    const r = track(await httpReceiver());
    await addChannel(h.db, 'off', 'webhook', { url: r.url, secret: 's' }, false);
    const gone = await addEvent(h.db, 1, 'firing', ['gone']);
    const off = await addEvent(h.db, 2, 'firing', ['off']);
    await addChannel(h.db, 'on', 'webhook', { url: r.url, secret: 's' });
    const silenced = await addEvent(h.db, 3, 'firing', ['on'], { status: 'suppressed' });
    expect(await deliverDue(h.db, { email: noMail })).toEqual({ delivered: 0, retried: 0, failed: 2 });
    expect(await delivery(gone.deliveries[0])).toMatchObject({
      status: 'failed',
      lastError: 'channel gone no longer exists',
    });
    expect(await delivery(off.deliveries[0])).toMatchObject({ status: 'suppressed' });
    expect(await delivery(silenced.deliveries[0])).toMatchObject({ status: 'suppressed', attempts: 0 });
    expect(r.received).toHaveLength(0);
  });

  it('two deliverDue calls at once claim each delivery once', async () => {
    const r = track(await httpReceiver(() => ({ status: 200, delayMs: 30 })));
    await addChannel(h.db, 'a', 'webhook', { url: r.url, secret: 's' });
    await addChannel(h.db, 'b', 'slack', { url: r.url });
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(...(await addEvent(h.db, 100 + i, 'firing', ['a', 'b'])).deliveries);
    const [x, y] = await Promise.all([deliverDue(h.db, { email: noMail }), deliverDue(h.db, { email: noMail })]);
    expect(x.delivered + y.delivered).toBe(60);
    const got = r.received.map((q) => q.headers['sync-health-delivery']);
    expect(got.length).toBe(60);
    expect(new Set(got)).toEqual(new Set(ids));
  });
});

describe('deliverDue: Slack, Teams, PagerDuty', () => {
  it('each gets its own format at its URL', async () => {
    const r = track(await httpReceiver((q) => (q.path === '/pd' ? 202 : 200)));
    await addChannel(h.db, 'slack', 'slack', { url: `${r.url}/slack` });
    await addChannel(h.db, 'teams', 'teams', { url: `${r.url}/teams` });
    await addChannel(h.db, 'pd', 'pagerduty', { routingKey: 'RK', url: `${r.url}/pd` });
    await addEvent(h.db, 9, 'escalated', ['slack', 'teams', 'pd']);
    expect(await deliverDue(h.db, { email: noMail })).toMatchObject({ delivered: 3 });
    const by = Object.fromEntries(r.received.map((q) => [q.path, JSON.parse(q.body)]));
    expect(by['/slack'].text).toContain('Escalated: Failed message rate at DC1');
    expect(by['/slack'].blocks.length).toBeGreaterThan(1);
    expect(by['/teams'].attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(by['/pd']).toMatchObject({ routing_key: 'RK', event_action: 'trigger', dedup_key: '9' });
  });
});

describe('deliverDue: email over real SMTP', () => {
  it('sends the message; with SMTP down the attempts keep the error, and it goes out when SMTP is back', async () => {
    const first = await smtpReceiver();
    const port = first.port;
    await first.close();
    const email = { smtpUrl: `smtp://127.0.0.1:${port}`, from: 'Sync Health <alerts@example.com>' };
    await addChannel(h.db, 'mail', 'email', { to: ['ops@example.com', 'it@example.com'] });
    const t0 = new Date();
    const { deliveries } = await addEvent(h.db, 3, 'firing', ['mail'], { createdAt: t0 });
    expect(await deliverDue(h.db, { now: t0, email })).toMatchObject({ retried: 1 });
    const [a] = await attempts(deliveries[0]);
    expect(a.ok).toBe(false);
    expect(a.error).toMatch(/ECONNREFUSED|ESOCKET|ECONNECTION/);
    expect((await delivery(deliveries[0])).lastError).toBe(a.error);

    const smtp = track(await smtpReceiver(port));
    expect(await deliverDue(h.db, { now: new Date(t0.getTime() + 10_000), email })).toMatchObject({ delivered: 1 });
    expect(smtp.mails).toHaveLength(1);
    const m = smtp.mails[0];
    expect(m.from).toBe('alerts@example.com');
    expect(m.to).toEqual(['ops@example.com', 'it@example.com']);
    expect(m.text).toMatch(/^Subject: \[FIRING\] critical: Failed message rate \(DC1\)\r?$/m);
    expect(m.text).toContain('Open in Sync Health: http://localhost:3000/?facility=DC1');
    expect(await delivery(deliveries[0])).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it("takes the user and password from SMTP_URL; wrong ones are the attempt's error", async () => {
    const smtp = track(await smtpReceiver(0, [], { user: 'alerts', pass: 'p@ss w0rd' }));
    await addChannel(h.db, 'mail', 'email', { to: ['ops@example.com'] });
    const wrong = await addEvent(h.db, 1, 'firing', ['mail']);
    const from = 'alerts@example.com';
    expect(
      await deliverDue(h.db, { email: { smtpUrl: `smtp://alerts:nope@127.0.0.1:${smtp.port}`, from } }),
    ).toMatchObject({ retried: 1 });
    expect((await delivery(wrong.deliveries[0])).lastError).toMatch(/EAUTH/);
    expect((await attempts(wrong.deliveries[0]))[0].statusCode).toBe(535);
    const url = `smtp://alerts:${encodeURIComponent('p@ss w0rd')}@127.0.0.1:${smtp.port}`;
    expect(await deliverDue(h.db, { now: new Date(Date.now() + 10_000), email: { smtpUrl: url, from } })).toMatchObject(
      { delivered: 1 },
    );
    expect(smtp.mails).toHaveLength(1);
  });

  it('without SMTP_URL an email delivery says so and is retried', async () => {
    await addChannel(h.db, 'mail', 'email', { to: ['ops@example.com'] });
    const { deliveries } = await addEvent(h.db, 3, 'firing', ['mail']);
    expect(await deliverDue(h.db, { email: noMail })).toMatchObject({ retried: 1 });
    expect((await delivery(deliveries[0])).lastError).toMatch(/SMTP_URL is not set/);
  });
});

describe('sendTestNotification', () => {
  it('sends a test to the channel and returns the answer, writing nothing', async () => {
    const ok = track(await httpReceiver());
    const bad = track(await httpReceiver(() => ({ status: 404, body: 'no_service' })));
    await addChannel(h.db, 'good', 'slack', { url: ok.url }, false);
    await addChannel(h.db, 'bad', 'webhook', { url: bad.url, secret: 'x' });
    expect(await sendTestNotification(h.db, 'good')).toEqual({ ok: true, status: 200 });
    expect(JSON.parse(ok.received[0].body).text).toContain('Test notification from Sync Health');
    expect(await sendTestNotification(h.db, 'bad')).toEqual({ ok: false, status: 404, error: 'HTTP 404: no_service' });
    expect(String(bad.received[0].headers['sync-health-delivery'])).toMatch(/^test-/);
    expect(verified('x', bad.received[0].headers['sync-health-signature'], bad.received[0].body)).toBe(true);
    expect(await h.db.select().from(alertDeliveries)).toEqual([]);
    expect(await h.db.select().from(alertDeliveryAttempts)).toEqual([]);
    expect((await rejectsWithAppError(sendTestNotification(h.db, 'nope'))).status).toBe(404);
  });

  it('email test through real SMTP', async () => {
    const smtp = track(await smtpReceiver());
    await addChannel(h.db, 'mail', 'email', { to: ['ops@example.com'] });
    const r = await sendTestNotification(h.db, 'mail', { email: { smtpUrl: smtp.url, from: 'a@example.com' } });
    expect(r).toEqual({ ok: true, status: 250 });
    expect(smtp.mails[0].raw).toMatch(/Subject: \[FIRING\] info: Test notification from Sync Health/);
  });
});
