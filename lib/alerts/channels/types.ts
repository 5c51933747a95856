/**
 * What a notification is made from and what sending it gives back. The alert object is SPEC 9's
 * (the webhook's `alert`), as the outbox row stored it when the event happened.
 */
import type { AlertChannelType, AlertEvent, AlertSeverity } from '@/db/schema';

export type { AlertEvent };

/** SPEC 9's alert object, as in the webhook body and `GET /api/v1/alerts`. */
export interface AlertObject {
  id: number | string;
  ruleId: string;
  ruleName: string;
  severity: AlertSeverity;
  facility: string | null;
  value: number | null;
  threshold: number;
  state: string;
  startedAt: string | null;
  resolvedAt: string | null;
  acknowledgedBy: string | null;
  url: string;
}

/** A channel as the config file writes it: `id`, `type` and the type's fields beside them, flat. */
export type ChannelConfigLike = { id: string; type: AlertChannelType } & Record<string, unknown>;

/** An HTTP POST ready to go (webhook, Slack, Teams, PagerDuty); the webhook's signature is added at send time. */
export interface HttpNotification {
  kind: 'http';
  url: string;
  /** The raw body: the webhook signs exactly these bytes. */
  body: string;
  /** Sign with this secret (the generic webhook only). */
  secret?: string;
}

export interface EmailNotification {
  kind: 'email';
  to: string[];
  subject: string;
  text: string;
  html: string;
}

export type RenderedNotification = HttpNotification | EmailNotification;

/** Where email goes out (SMTP_URL, ALERTS_EMAIL_FROM); null URL: email cannot be sent. */
export interface EmailSettings {
  smtpUrl: string | null;
  from: string;
}

/** One attempt's outcome, as the admin sees it. */
export interface SendResult {
  ok: boolean;
  /** The HTTP status, or the SMTP reply code. */
  status?: number;
  error?: string;
  durationMs: number;
}
