import { beforeAll, describe, expect, it } from 'vitest';
import {
  alertChannels,
  alertDeliveries,
  alertDeliveryAttempts,
  alertEvents,
  alertRules,
  alerts,
  alertSilences,
  alertTransitions,
} from '@/db/schema';
import { testDb } from '@/lib/testing/db';
import {
  alertCounts,
  alertDetail,
  firingCount,
  iterateAlerts,
  iterateDeliveryAttempts,
  listAlerts,
  listDeliveries,
  parseAlertFilters,
  parseDeliveryFilters,
} from './queries';
import { getRule, listChannels, listRules, listSilences, MASK } from './config-lists';

const h = testDb();
const HOUR = 3_600_000;
const ago = (hours: number) => new Date(Date.now() - hours * HOUR);
const ids: Record<string, number> = {};

beforeAll(async () => {
  const db = h.db;
  await db.insert(alertChannels).values([
    { id: 'ops-hook', type: 'webhook', config: { url: 'https://example.test/h', secret: 's3cret' } },
    { id: 'chat', type: 'slack', config: { url: 'https://hooks.slack.test/T/B/X' } },
    { id: 'pager', type: 'pagerduty', config: { routingKey: 'R0UT1NG' }, enabled: false },
    { id: 'mail', type: 'email', config: { to: ['ops@example.test'] } },
  ]);
  const rule = (id: string, severity: 'critical' | 'warning' | 'info', facility: string | null) => ({
    id,
    name: `Rule ${id}`,
    kind: 'open_exceptions' as const,
    facility,
    threshold: 10,
    resolveThreshold: 8,
    severity,
    channels: ['ops-hook', 'chat'],
  });
  await db.insert(alertRules).values([rule('r-crit', 'critical', '*'), rule('r-warn', 'warning', null)]);
  const inserted = await db
    .insert(alerts)
    .values([
      { ruleId: 'r-warn', facility: null, state: 'firing', value: 12, startedAt: ago(5) },
      { ruleId: 'r-crit', facility: 'DC1', state: 'firing', value: 30, startedAt: ago(1) },
      {
        ruleId: 'r-crit',
        facility: 'DC2',
        state: 'firing',
        value: 15,
        startedAt: ago(3),
        acknowledgedAt: ago(2),
        acknowledgedBy: 'ops@example.test',
        acknowledgeNote: 'on it',
      },
      { ruleId: 'r-crit', facility: 'DC3', state: 'pending', value: 11, pendingSince: ago(0.5) },
      { ruleId: 'r-crit', facility: 'DC4', state: 'normal', value: 2, startedAt: ago(30), resolvedAt: ago(20) },
      // Resolved 10 days ago: no longer "recent".
      { ruleId: 'r-crit', facility: 'DC5', state: 'normal', value: 1, startedAt: ago(250), resolvedAt: ago(240) },
    ])
    .returning({ id: alerts.id, facility: alerts.facility });
  for (const a of inserted) ids[a.facility ?? 'all'] = a.id;
  await db.insert(alertTransitions).values([
    { alertId: ids.DC2, at: ago(4), fromState: 'normal', toState: 'pending', value: 11 },
    { alertId: ids.DC2, at: ago(3), fromState: 'pending', toState: 'firing', value: 15 },
    {
      alertId: ids.DC2,
      at: ago(2),
      fromState: 'firing',
      toState: 'firing',
      note: 'acknowledged',
      by: 'ops@example.test',
    },
  ]);
  const [ev] = await db
    .insert(alertEvents)
    .values({ alertId: ids.DC2, event: 'firing', alert: { id: ids.DC2 }, createdAt: ago(3) })
    .returning({ id: alertEvents.id });
  await db.insert(alertDeliveries).values([
    { id: 'dlv-a', eventId: ev.id, channelId: 'ops-hook', status: 'delivered', attempts: 3, deliveredAt: ago(2.9) },
    { id: 'dlv-b', eventId: ev.id, channelId: 'chat', status: 'pending', attempts: 1, lastError: 'HTTP 500' },
  ]);
  await db.insert(alertDeliveryAttempts).values([
    { deliveryId: 'dlv-a', at: ago(2.99), ok: false, statusCode: 500, error: 'HTTP 500', durationMs: 12 },
    { deliveryId: 'dlv-a', at: ago(2.95), ok: false, statusCode: 500, error: 'HTTP 500', durationMs: 9 },
    { deliveryId: 'dlv-a', at: ago(2.9), ok: true, statusCode: 204, durationMs: 8 },
    { deliveryId: 'dlv-b', at: ago(2.99), ok: false, error: 'connect ECONNREFUSED', durationMs: 1 },
  ]);
  await db.insert(alertSilences).values([
    { id: 'now', ruleId: 'r-crit', startsAt: ago(1), endsAt: ago(-1), comment: 'maintenance', createdBy: 'admin' },
    { id: 'later', facility: 'DC1', startsAt: ago(-5), endsAt: ago(-6) },
    { id: 'past', startsAt: ago(50), endsAt: ago(48) },
  ]);
});

describe('alert lists', () => {
  it('lists firing alerts critical first, then the longest firing, with who acknowledged', async () => {
    const page = await listAlerts(h.db, parseAlertFilters({ view: 'firing' }));
    expect(page.total).toBe(3);
    expect(page.rows.map((r) => [r.ruleId, r.facility])).toEqual([
      ['r-crit', 'DC2'],
      ['r-crit', 'DC1'],
      ['r-warn', null],
    ]);
    const acked = page.rows[0];
    expect(acked).toMatchObject({ acknowledgedBy: 'ops@example.test', acknowledgeNote: 'on it', value: 15 });
    expect(acked.threshold).toBe(10);
    expect(acked.since).toBe(acked.startedAt);
    expect(typeof acked.id).toBe('number');
  });

  it('lists pending alerts since they began to hold, and recent ones resolved in the last 7 days', async () => {
    const pending = await listAlerts(h.db, parseAlertFilters({ view: 'pending' }));
    expect(pending.rows.map((r) => r.facility)).toEqual(['DC3']);
    expect(pending.rows[0].since).toBe(pending.rows[0].pendingSince);
    const recent = await listAlerts(h.db, parseAlertFilters({ view: 'recent' }));
    expect(recent.rows.map((r) => r.facility)).toEqual(['DC4']);
    expect(recent.rows[0].since).toBe(recent.rows[0].resolvedAt);
  });

  it('filters by facility, rule and severity, and reads an unknown view as firing', async () => {
    expect((await listAlerts(h.db, parseAlertFilters({ view: 'all', facility: 'DC5' }))).total).toBe(1);
    expect((await listAlerts(h.db, parseAlertFilters({ view: 'all', ruleId: 'r-warn' }))).total).toBe(1);
    expect((await listAlerts(h.db, parseAlertFilters({ view: 'all', severity: 'critical' }))).total).toBe(5);
    expect(parseAlertFilters({ view: 'bogus', page: '-3' })).toMatchObject({ view: 'firing', page: 1 });
  });

  it('counts firing alerts for the navigation and each tab', async () => {
    expect(await firingCount(h.db)).toBe(3);
    expect(await alertCounts(h.db)).toEqual({ firing: 3, pending: 1, recent: 1 });
  });

  it('exports every alert of the filters', async () => {
    const all = [];
    for await (const batch of iterateAlerts(h.db, parseAlertFilters({ view: 'all' }))) all.push(...batch);
    expect(all.map((r) => r.id)).toEqual(Object.values(ids).sort((a, b) => a - b));
  });
});

describe('one alert', () => {
  it('has its transitions newest first and its deliveries with every attempt', async () => {
    const d = await alertDetail(h.db, ids.DC2);
    expect(d?.alert).toMatchObject({ ruleName: 'Rule r-crit', state: 'firing', channels: ['ops-hook', 'chat'] });
    expect(d?.transitions.map((t) => t.toState)).toEqual(['firing', 'firing', 'pending']);
    expect(d?.transitions[0]).toMatchObject({ note: 'acknowledged', by: 'ops@example.test' });
    const hook = d?.deliveries.find((x) => x.id === 'dlv-a');
    expect(hook?.tries.map((t) => [t.ok, t.statusCode])).toEqual([
      [false, 500],
      [false, 500],
      [true, 204],
    ]);
    expect(hook).toMatchObject({ event: 'firing', channelType: 'webhook', status: 'delivered' });
  });

  it('is null when there is no such alert', async () => {
    expect(await alertDetail(h.db, 987654)).toBeNull();
  });
});

describe('deliveries', () => {
  it('lists deliveries with every attempt and error, filtered by status and channel', async () => {
    const all = await listDeliveries(h.db, parseDeliveryFilters({}));
    expect(all.total).toBe(2);
    const pending = await listDeliveries(h.db, parseDeliveryFilters({ status: 'pending' }));
    expect(pending.rows.map((d) => d.id)).toEqual(['dlv-b']);
    expect(pending.rows[0].tries[0].error).toBe('connect ECONNREFUSED');
    expect(pending.rows[0]).toMatchObject({ ruleName: 'Rule r-crit', facility: 'DC2', alertId: ids.DC2 });
    expect((await listDeliveries(h.db, parseDeliveryFilters({ channelId: 'ops-hook' }))).total).toBe(1);
    expect(parseDeliveryFilters({ status: 'nope' }).status).toBeUndefined();
  });

  it('exports one line per attempt', async () => {
    const lines = [];
    for await (const batch of iterateDeliveryAttempts(h.db, parseDeliveryFilters({}))) lines.push(...batch);
    expect(lines.map((l) => [l.id, l.ok])).toEqual([
      ['dlv-a', false],
      ['dlv-a', false],
      ['dlv-a', true],
      ['dlv-b', false],
    ]);
  });
});

describe('configuration lists', () => {
  it('lists rules with their firing alerts', async () => {
    const rules = await listRules(h.db);
    expect(rules.map((r) => [r.id, r.firing])).toEqual([
      ['r-crit', 2],
      ['r-warn', 1],
    ]);
    expect(rules[0].channels).toEqual(['ops-hook', 'chat']);
    expect(await getRule(h.db, 'r-warn')).toMatchObject({ name: 'Rule r-warn', firing: 1, facility: null });
    expect(await getRule(h.db, 'nope')).toBeNull();
  });

  it('never sends a channel secret to a page', async () => {
    const channels = await listChannels(h.db);
    const by = Object.fromEntries(channels.map((c) => [c.id, c]));
    expect(by['ops-hook'].config).toEqual({ url: 'https://example.test/h', secret: MASK });
    expect(by.chat.config.url).toBe(MASK);
    expect(by.pager).toMatchObject({ enabled: false, config: { routingKey: MASK } });
    expect(by.mail.config).toEqual({ to: ['ops@example.test'] });
    expect(by['ops-hook']).toMatchObject({ delivered: 1, pending: 0 });
    expect(JSON.stringify(channels)).not.toMatch(/s3cret|R0UT1NG|hooks\.slack/);
  });

  it('lists silences active first, then scheduled, then ended', async () => {
    const s = await listSilences(h.db);
    expect(s.map((x) => [x.id, x.status])).toEqual([
      ['now', 'active'],
      ['later', 'scheduled'],
      ['past', 'ended'],
    ]);
  });
});
