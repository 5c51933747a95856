/**
 * The words every channel says about an event (SPEC 9): what fired, the value against the
 * threshold, since when, the facility, and the link to the dashboard filtered to that scope.
 */
import type { AlertEvent, AlertObject } from './types';

/** How each event opens a message. "Escalated" is said in so many words, as SPEC 9 asks. */
export const EVENT_LABEL: Record<AlertEvent, string> = {
  firing: 'Firing',
  resolved: 'Resolved',
  repeat: 'Still firing',
  escalated: 'Escalated',
  acknowledged: 'Acknowledged',
};

const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 });

export const formatNumber = (v: number | null | undefined) =>
  v === null || v === undefined || !Number.isFinite(v) ? 'no value' : number.format(v);

/** "2026-12-07 02:00 UTC": one reading for every receiver, whatever its time zone. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export const facilityLabel = (facility: string | null) => (facility ? facility : 'all facilities');

/** "Firing: Failed rate high at DC1" (one line: email subject body, Slack fallback text, PagerDuty summary). */
export function headline(event: AlertEvent, alert: AlertObject): string {
  const where = alert.facility ? ` at ${alert.facility}` : '';
  return `${EVENT_LABEL[event]}: ${alert.ruleName}${where}`;
}

/** The facts of the message, in order, label → text. */
export function facts(event: AlertEvent, alert: AlertObject): Array<[string, string]> {
  const out: Array<[string, string]> = [
    ['Rule', alert.ruleName],
    ['Severity', alert.severity],
    ['Facility', facilityLabel(alert.facility)],
    ['Value', `${formatNumber(alert.value)} (threshold ${formatNumber(alert.threshold)})`],
    ['Firing since', formatTime(alert.startedAt)],
  ];
  if (event === 'resolved') out.push(['Resolved at', formatTime(alert.resolvedAt)]);
  if (alert.acknowledgedBy) out.push(['Acknowledged by', alert.acknowledgedBy]);
  return out;
}

/** The sentence under the headline: what happened, for each event. */
export function summary(event: AlertEvent, alert: AlertObject): string {
  const value = `${formatNumber(alert.value)} against a threshold of ${formatNumber(alert.threshold)}`;
  const where = facilityLabel(alert.facility);
  switch (event) {
    case 'firing':
      return `${alert.ruleName} is firing for ${where}: ${value}, since ${formatTime(alert.startedAt)}.`;
    case 'repeat':
      return `${alert.ruleName} is still firing for ${where} and nobody has acknowledged it: ${value}, since ${formatTime(alert.startedAt)}.`;
    case 'escalated':
      return `Escalated: ${alert.ruleName} has been firing for ${where} since ${formatTime(alert.startedAt)} and nobody has acknowledged it (${value}).`;
    case 'resolved':
      return `${alert.ruleName} resolved for ${where} at ${formatTime(alert.resolvedAt)} (${value}; it fired at ${formatTime(alert.startedAt)}).`;
    case 'acknowledged':
      return `${alert.ruleName} for ${where} was acknowledged${alert.acknowledgedBy ? ` by ${alert.acknowledgedBy}` : ''} (${value}).`;
  }
}

/** The email subject: state, severity, rule and facility (SPEC 9). */
export function subject(event: AlertEvent, alert: AlertObject): string {
  return `[${EVENT_LABEL[event].toUpperCase()}] ${alert.severity}: ${alert.ruleName} (${facilityLabel(alert.facility)})`;
}
