/**
 * `renderNotification(channel, event, alert)`: what one channel type sends for one event, and
 * `sendNotification`, which sends it (the webhook signed at that moment by the real clock, which the
 * receiver compares with its own, with its delivery id).
 */
import { renderEmail, sendEmail } from './email';
import { renderPagerduty } from './pagerduty';
import { postJson } from './post';
import { renderSlack } from './slack';
import { renderTeams } from './teams';
import type {
  AlertEvent,
  AlertObject,
  ChannelConfigLike,
  EmailSettings,
  RenderedNotification,
  SendResult,
} from './types';
import { renderWebhook, signature } from './webhook';

export type * from './types';

/** `at`: when the event happened (PagerDuty's timestamp), the time of rendering if not given. */
export function renderNotification(
  channel: ChannelConfigLike,
  event: AlertEvent,
  alert: AlertObject,
  at: string = new Date().toISOString(),
): RenderedNotification {
  switch (channel.type) {
    case 'email':
      return renderEmail(channel, event, alert);
    case 'webhook':
      return renderWebhook(channel, event, alert);
    case 'slack':
      return renderSlack(channel, event, alert);
    case 'teams':
      return renderTeams(channel, event, alert);
    case 'pagerduty':
      return renderPagerduty(channel, event, alert, at);
  }
}

export interface SendOptions {
  /** The Sync-Health-Delivery header: the same on every retry of one (event, channel). */
  deliveryId: string;
  email: EmailSettings;
}

export async function sendNotification(n: RenderedNotification, opts: SendOptions): Promise<SendResult> {
  if (n.kind === 'email') return sendEmail(n, opts.email);
  const headers: Record<string, string> = { 'Sync-Health-Delivery': opts.deliveryId };
  if (n.secret !== undefined) {
    headers['Sync-Health-Signature'] = signature(n.secret, n.body, Date.now() / 1000);
  }
  return postJson(n.url, n.body, headers);
}
