/**
 * Email through nodemailer over SMTP_URL (`smtp://user:pass@host:587`, `smtps://…`), from
 * ALERTS_EMAIL_FROM. The subject names the state, severity, rule and facility (SPEC 9); the body
 * says the same as every other channel, as text and as simple HTML with the link.
 */
import nodemailer from 'nodemailer';
import { facts, headline, subject, summary } from './text';
import type { AlertEvent, AlertObject, ChannelConfigLike, EmailNotification, EmailSettings, SendResult } from './types';

/** The most one email may take, connection to the server's last reply. */
export const SEND_LIMIT_MS = 30_000;

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderEmail(channel: ChannelConfigLike, event: AlertEvent, alert: AlertObject): EmailNotification {
  const to = Array.isArray(channel.to) ? channel.to.map(String) : typeof channel.to === 'string' ? [channel.to] : [];
  const rows = facts(event, alert);
  const text = [
    headline(event, alert),
    '',
    summary(event, alert),
    '',
    ...rows.map(([k, v]) => `${k}: ${v}`),
    '',
    `Open in Sync Health: ${alert.url}`,
  ].join('\n');
  const html = [
    `<h2>${escapeHtml(headline(event, alert))}</h2>`,
    `<p>${escapeHtml(summary(event, alert))}</p>`,
    '<table>',
    ...rows.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`),
    '</table>',
    `<p><a href="${escapeHtml(alert.url)}">Open in Sync Health</a></p>`,
  ].join('\n');
  return { kind: 'email', to, subject: subject(event, alert), text, html };
}

/** The SMTP reply code of a nodemailer error (`responseCode`), when the server gave one. */
const replyCode = (e: unknown) => {
  const c = (e as { responseCode?: unknown })?.responseCode;
  return typeof c === 'number' ? c : undefined;
};

export async function sendEmail(mail: EmailNotification, settings: EmailSettings): Promise<SendResult> {
  const started = Date.now();
  if (!settings.smtpUrl) return { ok: false, error: 'SMTP_URL is not set: email cannot be sent', durationMs: 0 };
  if (!mail.to.length) return { ok: false, error: 'the channel has no address in `to`', durationMs: 0 };
  const transport = nodemailer.createTransport({
    url: settings.smtpUrl,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  } as nodemailer.TransportOptions);
  let timer: NodeJS.Timeout | undefined;
  try {
    // The timeouts above bound each step; this bounds the whole (a server trickling its answers),
    // well inside the lease of a claimed delivery (deliver.ts LEASE_MS).
    const overall = new Promise<never>((_, fail) => {
      timer = setTimeout(() => fail(new Error(`no answer within ${SEND_LIMIT_MS / 1000} s`)), SEND_LIMIT_MS);
    });
    const info = await Promise.race([
      transport.sendMail({ from: settings.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html }),
      overall,
    ]);
    const code = Number(/^(\d{3})/.exec(String(info.response ?? ''))?.[1]) || undefined;
    if (info.rejected?.length) {
      return {
        ok: false,
        status: code,
        error: `refused recipients: ${info.rejected.join(', ')}`,
        durationMs: Date.now() - started,
      };
    }
    return { ok: true, status: code, durationMs: Date.now() - started };
  } catch (e) {
    const code = (e as { code?: unknown })?.code;
    const message = e instanceof Error ? e.message : String(e);
    return {
      ok: false,
      status: replyCode(e),
      error: `${typeof code === 'string' ? `${code}: ` : ''}${message}`.slice(0, 300),
      durationMs: Date.now() - started,
    };
  } finally {
    clearTimeout(timer);
    transport.close();
  }
}
