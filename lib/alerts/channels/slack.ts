/**
 * Slack incoming webhook: `text` (the notification's fallback, shown in pushes and previews) plus
 * Block Kit `blocks` — a header, the summary, the facts as section fields, a context line and a
 * link button. Slack reads `&`, `<` and `>` as markup in mrkdwn (`<!channel>` pings everyone), so
 * every value is escaped. Format: Slack's "Sending messages using incoming webhooks" and the Block
 * Kit reference (docs.slack.dev; @slack/webhook's IncomingWebhookSendArguments: text, blocks);
 * a header's text is plain_text up to 150 characters, a section's mrkdwn up to 3000.
 */
import { facts, headline, summary } from './text';
import type { AlertEvent, AlertObject, ChannelConfigLike, HttpNotification } from './types';

export const escapeMrkdwn = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

const EMOJI: Record<AlertEvent, string> = {
  firing: ':red_circle:',
  repeat: ':red_circle:',
  escalated: ':rotating_light:',
  resolved: ':large_green_circle:',
  acknowledged: ':eyes:',
};

export function slackPayload(event: AlertEvent, alert: AlertObject) {
  const title = headline(event, alert);
  return {
    text: `${title} — ${summary(event, alert)} ${alert.url}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: cut(title, 150), emoji: true } },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: cut(`${EMOJI[event]} ${escapeMrkdwn(summary(event, alert))}`, 3000) },
      },
      {
        type: 'section',
        fields: facts(event, alert).map(([k, v]) => ({
          type: 'mrkdwn',
          text: cut(`*${k}*\n${escapeMrkdwn(v)}`, 2000),
        })),
      },
      {
        type: 'actions',
        elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in Sync Health' }, url: alert.url }],
      },
    ],
  };
}

export function renderSlack(channel: ChannelConfigLike, event: AlertEvent, alert: AlertObject): HttpNotification {
  return { kind: 'http', url: String(channel.url ?? ''), body: JSON.stringify(slackPayload(event, alert)) };
}
