/**
 * The alert object of SPEC 9: what the webhook body, `GET /api/v1/alerts` and every notification
 * carry. The outbox stores it as it was when the event happened.
 */
import type { AlertRow, AlertRuleRow } from '@/db/schema';
import { env } from '@/lib/env';

export interface AlertObject {
  id: number;
  ruleId: string;
  ruleName: string;
  severity: AlertRuleRow['severity'];
  facility: string | null;
  value: number | null;
  threshold: number;
  state: AlertRow['state'];
  startedAt: string | null;
  resolvedAt: string | null;
  acknowledgedBy: string | null;
  url: string;
}

/** The dashboard's address for links: PUBLIC_URL, else NEXTAUTH_URL, else the default local server. */
export function dashboardBaseUrl(): string {
  const e = env();
  return (e.PUBLIC_URL ?? e.NEXTAUTH_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** The dashboard filtered to the alert's scope (its facility; all facilities for a rule over all). */
export function scopeUrl(baseUrl: string, facility: string | null): string {
  const u = new URL(`${baseUrl.replace(/\/+$/, '')}/`);
  if (facility) u.searchParams.set('facility', facility);
  return u.toString();
}

export function alertObject(
  row: Pick<AlertRow, 'id' | 'facility' | 'value' | 'state' | 'startedAt' | 'resolvedAt' | 'acknowledgedBy' | 'ruleId'>,
  rule: Pick<AlertRuleRow, 'id' | 'name' | 'severity' | 'threshold'>,
  baseUrl: string,
): AlertObject {
  return {
    id: row.id,
    ruleId: rule.id,
    ruleName: rule.name,
    severity: rule.severity,
    facility: row.facility,
    value: row.value,
    threshold: rule.threshold,
    state: row.state,
    startedAt: iso(row.startedAt),
    resolvedAt: iso(row.resolvedAt),
    acknowledgedBy: row.acknowledgedBy,
    url: scopeUrl(baseUrl, row.facility),
  };
}
