/**
 * Microsoft Teams through a Workflows webhook ("Post to a channel when a webhook request is
 * received"): the body is a `message` whose one attachment is an Adaptive Card
 * (`contentType: application/vnd.microsoft.card.adaptive`, the card under `content`), the envelope
 * Teams webhooks take; the card uses schema 1.4 elements only (TextBlock, FactSet,
 * Action.OpenUrl), which Teams renders. Workflows answers 202 Accepted.
 */
import { facts, headline, summary } from './text';
import type { AlertEvent, AlertObject, ChannelConfigLike, HttpNotification } from './types';

const COLOR: Record<AlertEvent, string> = {
  firing: 'Attention',
  repeat: 'Attention',
  escalated: 'Attention',
  resolved: 'Good',
  acknowledged: 'Accent',
};

export function teamsPayload(event: AlertEvent, alert: AlertObject) {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            {
              type: 'TextBlock',
              text: headline(event, alert),
              weight: 'Bolder',
              size: 'Medium',
              color: COLOR[event],
              wrap: true,
            },
            { type: 'TextBlock', text: summary(event, alert), wrap: true },
            { type: 'FactSet', facts: facts(event, alert).map(([title, value]) => ({ title, value })) },
          ],
          actions: [{ type: 'Action.OpenUrl', title: 'Open in Sync Health', url: alert.url }],
        },
      },
    ],
  };
}

export function renderTeams(channel: ChannelConfigLike, event: AlertEvent, alert: AlertObject): HttpNotification {
  return { kind: 'http', url: String(channel.url ?? ''), body: JSON.stringify(teamsPayload(event, alert)) };
}
