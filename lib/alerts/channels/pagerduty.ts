/**
 * PagerDuty Events API v2 (developer.pagerduty.com, "Send an Alert Event"): `POST` to
 * https://events.pagerduty.com/v2/enqueue of `{ routing_key, event_action, dedup_key, payload:
 * { summary, severity, source, timestamp, custom_details }, links }`. One `dedup_key` per alert (its
 * id), so a repeat or an escalation adds to the open PagerDuty alert, an acknowledgement
 * acknowledges it and a resolution resolves it. `summary` is limited to 1024 characters; the
 * accepted answer is 202.
 */
import { headline, summary } from './text';
import type { AlertEvent, AlertObject, ChannelConfigLike, HttpNotification } from './types';
import { specAlert } from './webhook';

export const PAGERDUTY_URL = 'https://events.pagerduty.com/v2/enqueue';

const ACTION: Record<AlertEvent, 'trigger' | 'acknowledge' | 'resolve'> = {
  firing: 'trigger',
  repeat: 'trigger',
  escalated: 'trigger',
  acknowledged: 'acknowledge',
  resolved: 'resolve',
};

export function pagerdutyPayload(routingKey: string, event: AlertEvent, alert: AlertObject, at: string) {
  return {
    routing_key: routingKey,
    event_action: ACTION[event],
    dedup_key: String(alert.id),
    payload: {
      summary: `${headline(event, alert)} — ${summary(event, alert)}`.slice(0, 1024),
      severity: alert.severity,
      source: 'sync-health',
      timestamp: at,
      custom_details: { event, ...specAlert(alert) },
    },
    links: [{ href: alert.url, text: 'Open in Sync Health' }],
  };
}

export function renderPagerduty(
  channel: ChannelConfigLike,
  event: AlertEvent,
  alert: AlertObject,
  at: string,
): HttpNotification {
  const url = typeof channel.url === 'string' && channel.url ? channel.url : PAGERDUTY_URL;
  const body = JSON.stringify(pagerdutyPayload(String(channel.routingKey ?? ''), event, alert, at));
  return { kind: 'http', url, body };
}
