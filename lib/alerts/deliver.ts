/**
 * Delivery from the outbox (SPEC 9): each (event, channel) row of `alert_deliveries` is claimed by
 * one worker, sent, and its attempt kept; a failure is retried with backoff under the same
 * delivery id until it succeeds or 24 h have passed since the event.
 *
 * Why row locks and a lease rather than a job library: the outbox rows are written by the
 * evaluation's transaction already, and claiming them is one statement —
 * `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED)` that moves `next_attempt_at` a lease
 * ahead and counts the attempt. Two servers never claim one row: the second skips the locked row,
 * and once the first commits, Postgres rechecks the row's new `next_attempt_at` and leaves it. The
 * send happens outside any transaction (PGlite has one connection; a slow receiver must not hold
 * it), and its outcome is written only if the claim is still ours (`attempts` unchanged, the
 * fencing token). A process that dies mid-send leaves a lease that runs out: another worker (or
 * this one after its restart) sends it again with the same `Sync-Health-Delivery` id, which is
 * the one window where a receiver may see an id twice — and can drop it. Nothing is kept in memory.
 *
 * Deliveries of one alert to one channel go out in event order: a later one waits while an
 * earlier one is still pending, so PagerDuty never gets a resolve before its trigger.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { rows, type Db } from '@/db';
import { alertChannels, alertDeliveries, alertDeliveryAttempts, alertEvents } from '@/db/schema';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { logError } from '@/lib/log';
import { renderNotification, sendNotification } from './channels/render';
import type { AlertObject, ChannelConfigLike, EmailSettings, SendResult } from './channels/types';

/** The first retry 10 s after the first failure (SPEC 9: within 15 s), then doubling, at most 10 min apart. */
export const FIRST_RETRY_SECONDS = 10;
export const MAX_RETRY_SECONDS = 600;
/** Given up (status `failed`) once an attempt fails this long after the event. */
export const GIVE_UP_MS = 24 * 3600_000;
/** How long a claim holds a delivery: well past a send's 10 s limit. */
export const LEASE_MS = 60_000;
/** Deliveries claimed and sent side by side at a time. */
const CHUNK = 10;

/** Seconds until the next try after `attempts` failed ones (1 → 10 s, 2 → 20 s, … capped at 600 s). */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(FIRST_RETRY_SECONDS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_SECONDS);
}

/** Where email goes out, from the environment. */
export function emailSettings(): EmailSettings {
  const e = env();
  return { smtpUrl: e.SMTP_URL ?? null, from: e.ALERTS_EMAIL_FROM ?? 'Sync Health <alerts@localhost>' };
}

export interface DeliverOptions {
  now?: Date;
  /** At most this many deliveries in one call (default 100). */
  limit?: number;
  /** SMTP settings; the environment's by default. */
  email?: EmailSettings;
}

export interface DeliverResult {
  delivered: number;
  retried: number;
  failed: number;
}

/** Claims up to `n` due deliveries: their ids and the attempt number each claim holds. */
async function claim(db: Db, now: Date, n: number): Promise<Array<{ id: string; attempts: number }>> {
  const lease = new Date(now.getTime() + LEASE_MS).toISOString();
  return rows<{ id: string; attempts: number }>(
    db,
    sql`update alert_deliveries d set attempts = d.attempts + 1, next_attempt_at = ${lease}::timestamptz
      where d.id in (
        select d1.id from alert_deliveries d1 join alert_events e1 on e1.id = d1.event_id
        where d1.status = 'pending' and d1.next_attempt_at <= ${now.toISOString()}::timestamptz
          and not exists (
            select 1 from alert_deliveries d2 join alert_events e2 on e2.id = d2.event_id
            where d2.channel_id = d1.channel_id and d2.status = 'pending' and e2.alert_id = e1.alert_id
              and d2.event_id < d1.event_id)
        order by d1.next_attempt_at, d1.event_id
        limit ${n}
        for update of d1 skip locked)
      returning d.id, d.attempts`,
  );
}

type Outcome = 'delivered' | 'retried' | 'failed' | 'lost';

/** Sends one claimed delivery and writes its attempt and new state, if the claim is still ours. */
async function attempt(
  db: Db,
  c: { id: string; attempts: number },
  fixedNow: Date | undefined,
  email: EmailSettings,
): Promise<Outcome> {
  const [row] = await db
    .select({
      event: alertEvents.event,
      alert: alertEvents.alert,
      eventAt: alertEvents.createdAt,
      createdAt: alertDeliveries.createdAt,
      channelId: alertDeliveries.channelId,
      type: alertChannels.type,
      config: alertChannels.config,
      enabled: alertChannels.enabled,
    })
    .from(alertDeliveries)
    .innerJoin(alertEvents, eq(alertEvents.id, alertDeliveries.eventId))
    .leftJoin(alertChannels, eq(alertChannels.id, alertDeliveries.channelId))
    .where(eq(alertDeliveries.id, c.id));
  if (!row) return 'lost';

  let result: SendResult;
  let final: 'failed' | 'suppressed' | null = null;
  if (!row.type) {
    result = { ok: false, error: `channel ${row.channelId} no longer exists`, durationMs: 0 };
    final = 'failed';
  } else if (!row.enabled) {
    result = { ok: false, error: `channel ${row.channelId} was disabled before this was sent`, durationMs: 0 };
    final = 'suppressed';
  } else {
    const channel = { ...row.config, id: row.channelId, type: row.type } as ChannelConfigLike;
    const rendered = renderNotification(channel, row.event, row.alert as unknown as AlertObject, toIso(row.eventAt));
    result = await sendNotification(rendered, { deliveryId: c.id, email });
  }

  // When the answer came: the caller's clock when it gives one (tests drive time), else now.
  const at = fixedNow ?? new Date();
  const createdMs = new Date(row.createdAt).getTime();
  let outcome: Outcome;
  let set: Partial<typeof alertDeliveries.$inferInsert>;
  if (result.ok) {
    outcome = 'delivered';
    set = { status: 'delivered', deliveredAt: at, lastError: null };
  } else if (final || at.getTime() - createdMs >= GIVE_UP_MS) {
    outcome = 'failed';
    set = { status: final ?? 'failed', lastError: result.error ?? 'failed' };
  } else {
    outcome = 'retried';
    const next = Math.min(at.getTime() + retryDelaySeconds(c.attempts) * 1000, createdMs + GIVE_UP_MS);
    set = { nextAttemptAt: new Date(next), lastError: result.error ?? 'failed' };
  }
  return db.transaction(async (tx) => {
    await tx.insert(alertDeliveryAttempts).values({
      deliveryId: c.id,
      at,
      ok: result.ok,
      statusCode: result.status ?? null,
      error: result.ok ? null : (result.error ?? 'failed'),
      durationMs: Math.round(result.durationMs),
    });
    const mine = await tx
      .update(alertDeliveries)
      .set(set)
      .where(
        and(
          eq(alertDeliveries.id, c.id),
          eq(alertDeliveries.attempts, c.attempts),
          eq(alertDeliveries.status, 'pending'),
        ),
      )
      .returning({ id: alertDeliveries.id });
    return mine.length ? outcome : 'lost';
  });
}

const toIso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());

/**
 * Sends the deliveries that are due: claimed ten at a time and sent side by side, until none is
 * due or `limit` were tried. Safe to run in every server at once.
 */
export async function deliverDue(db: Db, opts: DeliverOptions = {}): Promise<DeliverResult> {
  const limit = opts.limit ?? 100;
  const email = opts.email ?? emailSettings();
  const out: DeliverResult = { delivered: 0, retried: 0, failed: 0 };
  let tried = 0;
  while (tried < limit) {
    const now = opts.now ?? new Date();
    const claimed = await claim(db, now, Math.min(CHUNK, limit - tried));
    if (!claimed.length) break;
    tried += claimed.length;
    // One delivery whose bookkeeping fails (the database went away) does not stop the others; its
    // lease runs out and it is tried again.
    const outcomes = await Promise.allSettled(claimed.map((c) => attempt(db, c, opts.now, email)));
    for (const o of outcomes) {
      if (o.status === 'rejected') logError('alerts', { step: 'deliver' }, o.reason);
      else if (o.value !== 'lost') out[o.value]++;
    }
  }
  return out;
}

/** The base of links in notifications: PUBLIC_URL, else NEXTAUTH_URL. */
export function publicBaseUrl(): string {
  const e = env();
  return (e.PUBLIC_URL ?? e.NEXTAUTH_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
}

/**
 * The admin's "send test": a made-up firing alert ("Test notification", severity info) sent to
 * the channel now, disabled or not, and the answer returned. Nothing is written: a test is not an
 * event, and the deliveries list stays the record of real ones.
 */
export async function sendTestNotification(
  db: Db,
  channelId: string,
  opts: { email?: EmailSettings } = {},
): Promise<{ ok: boolean; status?: number; error?: string }> {
  const ch = await db.query.alertChannels.findFirst({ where: eq(alertChannels.id, channelId) });
  if (!ch) throw new AppError('not_found', `No alert channel ${channelId.slice(0, 100)}.`);
  const now = new Date().toISOString();
  const alert: AlertObject = {
    id: 'test',
    ruleId: 'test',
    ruleName: 'Test notification from Sync Health',
    severity: 'info',
    facility: null,
    value: 1,
    threshold: 0,
    state: 'firing',
    startedAt: now,
    resolvedAt: null,
    acknowledgedBy: null,
    url: `${publicBaseUrl()}/alerts`,
  };
  const channel = { ...ch.config, id: ch.id, type: ch.type } as ChannelConfigLike;
  const r = await sendNotification(renderNotification(channel, 'firing', alert, now), {
    deliveryId: `test-${randomUUID()}`,
    email: opts.email ?? emailSettings(),
  });
  return { ok: r.ok, ...(r.status !== undefined && { status: r.status }), ...(r.error && { error: r.error }) };
}
