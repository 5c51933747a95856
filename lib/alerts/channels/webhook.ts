/**
 * The generic webhook of SPEC 9: `POST` of `{ version: 1, event, alert }`, signed. The receiver
 * checks `Sync-Health-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + raw body)>`
 * (the scheme of Stripe's webhooks: the timestamp inside the signed text lets a receiver refuse
 * old replays) and may drop a `Sync-Health-Delivery` it has seen: the same on every retry.
 */
import { createHmac } from 'node:crypto';
import type { AlertEvent, AlertObject, ChannelConfigLike, HttpNotification } from './types';

/** SPEC 9's alert object with exactly its keys, in its order, whatever else the stored row holds. */
export function specAlert(a: AlertObject): AlertObject {
  return {
    id: a.id,
    ruleId: a.ruleId,
    ruleName: a.ruleName,
    severity: a.severity,
    facility: a.facility ?? null,
    value: a.value ?? null,
    threshold: a.threshold,
    state: a.state,
    startedAt: a.startedAt ?? null,
    resolvedAt: a.resolvedAt ?? null,
    acknowledgedBy: a.acknowledgedBy ?? null,
    url: a.url,
  };
}

export function renderWebhook(channel: ChannelConfigLike, event: AlertEvent, alert: AlertObject): HttpNotification {
  const body = JSON.stringify({ version: 1, event, alert: specAlert(alert) });
  return { kind: 'http', url: String(channel.url ?? ''), body, secret: String(channel.secret ?? '') };
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`. */
export function signature(secret: string, body: string, unixSeconds: number): string {
  const t = Math.floor(unixSeconds);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}
