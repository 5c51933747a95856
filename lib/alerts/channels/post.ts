/**
 * One HTTP POST of a notification: JSON, a 10 s limit, no redirects followed (a 3xx is a failure
 * the admin sees, not a silent hop elsewhere), any 2xx is delivered. The error kept for the admin
 * names the status and the start of the answer (Slack says `invalid_payload`, `no_service`…).
 */
import type { SendResult } from './types';

export const SEND_TIMEOUT_MS = 10_000;
const ERROR_TEXT = 300;

/** A network error as the admin reads it: its code (ECONNREFUSED…) and message, from the cause undici wraps. */
export function networkError(e: unknown): string {
  const cause = (e as { cause?: unknown })?.cause ?? e;
  const code = (cause as { code?: unknown })?.code;
  const message = cause instanceof Error ? cause.message : String(cause);
  if (e instanceof Error && e.name === 'TimeoutError') return `no answer within ${SEND_TIMEOUT_MS / 1000} s`;
  return (typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message).slice(0, ERROR_TEXT);
}

export async function postJson(url: string, body: string, headers: Record<string, string> = {}): Promise<SendResult> {
  const started = Date.now();
  let target: URL;
  try {
    target = new URL(url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new Error('not http');
  } catch {
    return { ok: false, error: 'the channel has no usable http(s) URL', durationMs: 0 };
  }
  try {
    const res = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'sync-health-alerts', ...headers },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    const text = await res.text().catch(() => '');
    const durationMs = Date.now() - started;
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status, durationMs };
    const said = text.trim().replace(/\s+/g, ' ').slice(0, ERROR_TEXT);
    return { ok: false, status: res.status, error: `HTTP ${res.status}${said ? `: ${said}` : ''}`, durationMs };
  } catch (e) {
    return { ok: false, error: networkError(e), durationMs: Date.now() - started };
  }
}
