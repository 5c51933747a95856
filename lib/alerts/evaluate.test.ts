import { describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { alertDeliveries, alertEvents, alerts, alertTransitions } from '@/db/schema';
import { testDb } from '@/lib/testing/db';
import { rejectsWithAppError } from '@/lib/testing/errors';
import { send } from '@/lib/testing/send';
import { testMessage } from '@/lib/testing/records';
import { applyAlertConfig } from '@/lib/alerts/config';
import { evaluateAlerts, firedAt, ruleValueSeries } from '@/lib/alerts/evaluate';
import { acknowledgeAlert } from '@/lib/alerts/acknowledge';

const h = testDb();
const T = Date.parse('2025-06-02T12:00:00Z');
const at = (min: number) => new Date(T + min * 60_000);
const iso = (min: number) => at(min).toISOString();

const config = {
  channels: [
    { id: 'hook', type: 'webhook', url: 'http://127.0.0.1:9/h', secret: 's' },
    { id: 'off', type: 'slack', url: 'https://hooks.example/x', enabled: false },
    { id: 'pd', type: 'pagerduty', routingKey: 'rk' },
  ],
  rules: [
    {
      id: 'fail',
      name: 'Failure rate',
      kind: 'kpi',
      kpi: 'failedMessageRate',
      facility: '*',
      window: '1h',
      threshold: 0.5,
      resolveThreshold: 0.2,
      severity: 'critical',
      channels: ['hook', 'off', 'pd'],
      repeatEvery: '20m',
      escalateAfter: '30m',
      escalateTo: ['pd'],
    },
    { id: 'open', name: 'Open exceptions', kind: 'open_exceptions', threshold: 0, channels: ['hook'] },
  ],
  silences: [{ id: 's1', matchers: { ruleId: 'open' }, startsAt: iso(-60), endsAt: iso(10) }],
};

async function eventsOf(ruleId: string, facility: string | null) {
  const [a] = (await h.db.select().from(alerts).where(eq(alerts.ruleId, ruleId))).filter(
    (x) => x.facility === facility,
  );
  const evs = await h.db.select().from(alertEvents).where(eq(alertEvents.alertId, a.id)).orderBy(asc(alertEvents.id));
  const out = [];
  for (const e of evs) {
    const ds = await h.db.select().from(alertDeliveries).where(eq(alertDeliveries.eventId, e.id));
    out.push({
      event: e.event,
      at: new Date(e.createdAt).toISOString(),
      to: ds.map((d) => `${d.channelId}:${d.status}`).sort(),
    });
  }
  return { alert: a, events: out };
}

describe('evaluateAlerts', () => {
  it('fires once per scope, repeats, escalates, stays quiet once acknowledged, resolves', async () => {
    await send(h.db, [
      ...[1, 2, 3].map((i) => testMessage(`F${i}`, iso(-10), { facility: 'DC1', status: 'failed' })),
      testMessage('D1', iso(-10), { facility: 'DC1' }),
      ...[1, 2, 3, 4].map((i) => testMessage(`G${i}`, iso(-10), { facility: 'DC2' })),
    ]);
    await applyAlertConfig(h.db, config);

    const first = await evaluateAlerts(h.db, at(0));
    expect(first).toMatchObject({ rules: 2, alerts: 3, events: 2 });
    let dc1 = await eventsOf('fail', 'DC1');
    expect(dc1.alert).toMatchObject({ state: 'firing', value: 0.75 });
    // The disabled channel gets no delivery.
    expect(dc1.events).toEqual([{ event: 'firing', at: iso(0), to: ['hook:pending', 'pd:pending'] }]);
    expect((await eventsOf('fail', 'DC2')).alert).toMatchObject({ state: 'normal', value: 0 });
    const ev = (await h.db.select().from(alertEvents).where(eq(alertEvents.alertId, dc1.alert.id)))[0];
    expect(ev.alert).toMatchObject({
      id: dc1.alert.id,
      ruleId: 'fail',
      ruleName: 'Failure rate',
      severity: 'critical',
      facility: 'DC1',
      value: 0.75,
      threshold: 0.5,
      state: 'firing',
      startedAt: iso(0),
      resolvedAt: null,
      acknowledgedBy: null,
    });
    expect(String(ev.alert.url)).toMatch(/\/\?facility=DC1$/);

    // Silenced: the state changes, the delivery is suppressed; released when the silence ends.
    let open = await eventsOf('open', null);
    expect(open.alert).toMatchObject({ state: 'firing', value: 3, silencedEvent: 'firing' });
    expect(open.events).toEqual([{ event: 'firing', at: iso(0), to: ['hook:suppressed'] }]);

    // Two servers at the same moment: one of them emits, the other finds nothing to do.
    const [a, b] = await Promise.all([evaluateAlerts(h.db, at(1)), evaluateAlerts(h.db, at(1))]);
    expect(a.events + b.events).toBe(0);

    await evaluateAlerts(h.db, at(11));
    open = await eventsOf('open', null);
    expect(open.events.map((e) => `${e.event}@${e.at}:${e.to}`)).toEqual([
      `firing@${iso(0)}:hook:suppressed`,
      `firing@${iso(11)}:hook:pending`,
    ]);

    await evaluateAlerts(h.db, at(19));
    await evaluateAlerts(h.db, at(21));
    await Promise.all([evaluateAlerts(h.db, at(31)), evaluateAlerts(h.db, at(31))]);
    dc1 = await eventsOf('fail', 'DC1');
    expect(dc1.events.map((e) => `${e.event}@${e.at}:${e.to.join(',')}`)).toEqual([
      `firing@${iso(0)}:hook:pending,pd:pending`,
      `repeat@${iso(21)}:hook:pending,pd:pending`,
      `escalated@${iso(31)}:pd:pending`,
    ]);

    const acked = await acknowledgeAlert(h.db, dc1.alert.id, { by: 'ops@example.com', note: 'on it' }, at(32));
    expect(acked).toMatchObject({ acknowledgedBy: 'ops@example.com', acknowledgeNote: 'on it' });
    expect((await rejectsWithAppError(acknowledgeAlert(h.db, dc1.alert.id, { by: 'x', note: '' }))).status).toBe(409);
    const dc2 = (await eventsOf('fail', 'DC2')).alert;
    expect((await rejectsWithAppError(acknowledgeAlert(h.db, dc2.id, { by: 'x', note: '' }))).status).toBe(409);
    expect((await rejectsWithAppError(acknowledgeAlert(h.db, 999_999, { by: 'x', note: '' }))).status).toBe(404);

    // Acknowledged: no repeat at 41 (due), then resolved when the failures leave the window.
    await evaluateAlerts(h.db, at(42));
    await evaluateAlerts(h.db, at(45));
    await evaluateAlerts(h.db, at(51));
    dc1 = await eventsOf('fail', 'DC1');
    expect(dc1.events.slice(3).map((e) => `${e.event}@${e.at}:${e.to.join(',')}`)).toEqual([
      `acknowledged@${iso(32)}:pd:pending`,
      `resolved@${iso(51)}:hook:pending,pd:pending`,
    ]);
    expect(dc1.alert).toMatchObject({ state: 'normal', value: 0, acknowledgedBy: 'ops@example.com' });
    const moves = await h.db
      .select()
      .from(alertTransitions)
      .where(eq(alertTransitions.alertId, dc1.alert.id))
      .orderBy(asc(alertTransitions.id));
    expect(moves.map((m) => `${m.fromState}>${m.toState}${m.note ? ` ${m.note}` : ''}`)).toEqual([
      'normal>firing',
      'firing>firing escalated',
      'firing>firing acknowledged',
      'firing>normal',
    ]);
    // Every delivery row has its own id.
    const ids = (await h.db.select({ id: alertDeliveries.id }).from(alertDeliveries)).map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("gives a rule's hourly values per facility and when it would have fired", async () => {
    const rule = { kind: 'kpi' as const, kpi: 'failedMessageRate' as const, window: '1h', txType: null, facility: '*' };
    const series = await ruleValueSeries(h.db, rule, at(-90), at(60));
    expect(series.map((s) => s.facility)).toEqual(['DC1', 'DC2']);
    expect(series[0].points).toEqual([
      { at: iso(-60), value: 0 },
      { at: iso(0), value: 0.75 },
      { at: iso(60), value: 0 },
    ]);
    const timing = { op: '>' as const, threshold: 0.5, resolveThreshold: 0.2, notifyResolved: true };
    expect(firedAt(series[0].points, { ...timing, pendingFor: '0s' })).toEqual([iso(0)]);
    expect(firedAt(series[1].points, { ...timing, pendingFor: '0s' })).toEqual([]);
    // Held for less than pendingFor: it would not have fired.
    expect(firedAt(series[0].points, { ...timing, pendingFor: '2h' })).toEqual([]);
  });
});
