/**
 * The demo's alerts (SPEC 9): three rules on a disabled example channel, so a new user sees alerts
 * in every state without a notification leaving the machine — one rule firing for each facility
 * (one of those acknowledged), one pending, one normal that fired and resolved in its history.
 * Everything goes through the real configuration apply, evaluation and acknowledge.
 */
import type { Db } from '@/db';
import { acknowledgeAlert } from '@/lib/alerts/acknowledge';
import { applyAlertConfig } from '@/lib/alerts/config';
import { evaluateAlerts } from '@/lib/alerts/evaluate';
import { listAlerts, parseAlertFilters } from '@/lib/alerts/queries';
import { demoEmail } from '@/lib/bootstrap';

const CHANNEL = {
  id: 'example-webhook',
  type: 'webhook',
  url: 'https://alerts.example.invalid/sync-health',
  secret: 'example-secret-change-me',
  // Disabled: the demo makes no deliveries; an admin points it somewhere real and enables it.
  enabled: false,
};

/** Open exceptions older than a day, per facility: the demo always has some, so these fire. */
const FIRING = {
  id: 'demo-old-exceptions',
  name: 'Exceptions left open over a day',
  kind: 'oldest_exception_age',
  facility: '*',
  op: '>',
  threshold: 86_400,
  resolveThreshold: 43_200,
  severity: 'critical',
  channels: [CHANNEL.id],
  repeatEvery: '4h',
  escalateAfter: '1h',
  escalateTo: [CHANNEL.id],
};

/** Any open exception, all facilities together, held for 30 days before it fires: pending. */
const PENDING = {
  id: 'demo-open-exceptions',
  name: 'Open exceptions for a month',
  kind: 'open_exceptions',
  facility: null,
  op: '>',
  threshold: 0,
  pendingFor: '30d',
  severity: 'warning',
  channels: [CHANNEL.id],
};

/** Open exceptions above a number the demo never reaches: normal (it fired once, before a threshold change). */
const NORMAL = {
  id: 'demo-open-exceptions-spike',
  name: 'Open exceptions spike',
  kind: 'open_exceptions',
  facility: null,
  op: '>',
  threshold: 1_000_000,
  severity: 'info',
  channels: [CHANNEL.id],
};

export async function seedDemoAlerts(db: Db, now = new Date()): Promise<void> {
  const by = demoEmail('admin');
  const hour = 3_600_000;
  // History first: the spike rule with a threshold of 0 fires two hours ago…
  await applyAlertConfig(db, { channels: [CHANNEL], rules: [FIRING, PENDING, { ...NORMAL, threshold: 0 }] }, { by });
  await evaluateAlerts(db, new Date(now.getTime() - 2 * hour));
  // …and resolves once its threshold is raised to where it belongs, as an admin would.
  await applyAlertConfig(db, { rules: [NORMAL] }, { by });
  await evaluateAlerts(db, now);
  const [first] = (await listAlerts(db, parseAlertFilters({ view: 'firing', ruleId: FIRING.id }))).rows;
  if (first)
    await acknowledgeAlert(db, first.id, {
      by: demoEmail('ops'),
      note: 'Looking at the oldest ones with the ERP team.',
    });
}
