/**
 * One evaluation pass of SPEC 9: every enabled rule's value for each of its scopes, the state
 * machine (state.ts) stepped, and what it decides stored — the alert, its transitions, the outbox
 * events and one delivery per channel — in one transaction.
 *
 * Two servers evaluating at once: values are read outside any lock (the slow part), then the
 * writes run under a transaction-scoped advisory lock (ALERTS_LOCK) after re-reading the alerts.
 * A row lock (FOR UPDATE) would not do alone: an alert seen for the first time has no row to lock,
 * and two servers inserting it would collide. Under the lock the second server sees the first's
 * new state and steps from it, so an event is emitted once; a pass whose moment is older than the
 * last one stored (app_meta `alerts.lastPassAt`) writes nothing (time never runs backwards). Alerts
 * whose state moved are written in a few statements whatever their number (`storeChanges`).
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, lte, gt, sql } from 'drizzle-orm';
import type { Db, Executor } from '@/db';
import { ALERTS_LOCK } from '@/db/locks';
import {
  appMeta,
  alertChannels,
  alertDeliveries,
  alertEvents,
  alertRules,
  alerts,
  alertSilences,
  alertTransitions,
  type AlertChannelRow,
  type AlertEvent,
  type AlertRow,
  type AlertRuleRow,
} from '@/db/schema';
import { alertObject, dashboardBaseUrl } from '@/lib/alerts/alert-object';
import { parseDuration } from '@/lib/alerts/duration';
import { RuleValueReader, ruleLike } from '@/lib/alerts/rule-values';
import { step, type AlertSnapshot, type RuleTiming, type StepResult } from '@/lib/alerts/state';
import { facilities } from '@/lib/kpi/series';

export { firedAt, ruleValueSeries, type ValueSeries } from '@/lib/alerts/rule-values';

const ms = (d: Date | string | null) => (d === null ? null : new Date(d).getTime());
const date = (n: number | null) => (n === null ? null : new Date(n));
const seconds = (d: string | null) => (d ? parseDuration(d) : null);

export function ruleTiming(
  r: Pick<
    AlertRuleRow,
    'op' | 'threshold' | 'resolveThreshold' | 'pendingFor' | 'repeatEvery' | 'escalateAfter' | 'notifyResolved'
  >,
): RuleTiming {
  return {
    op: r.op,
    threshold: r.threshold,
    resolveThreshold: r.resolveThreshold,
    pendingForS: parseDuration(r.pendingFor),
    repeatEveryS: seconds(r.repeatEvery),
    escalateAfterS: seconds(r.escalateAfter),
    notifyResolved: r.notifyResolved,
  };
}

export function snapshotOf(a: AlertRow): AlertSnapshot {
  return {
    state: a.state,
    value: a.value,
    pendingSince: ms(a.pendingSince),
    startedAt: ms(a.startedAt),
    resolvedAt: ms(a.resolvedAt),
    acknowledgedAt: ms(a.acknowledgedAt),
    lastNotifiedAt: ms(a.lastNotifiedAt),
    escalatedAt: ms(a.escalatedAt),
    silencedEvent: a.silencedEvent,
  };
}

const scopeKey = (ruleId: string, facility: string | null) => `${ruleId}\u0000${facility ?? ''}`;

/** The channels an event of a rule goes to (SPEC 9); PagerDuty incidents opened by an escalation are closed too. */
export function eventChannels(
  event: AlertEvent,
  rule: Pick<AlertRuleRow, 'channels' | 'escalateTo'>,
  escalated: boolean,
  channelById: Map<string, Pick<AlertChannelRow, 'type' | 'enabled'>>,
): string[] {
  const pd = (ids: string[]) => ids.filter((id) => channelById.get(id)?.type === 'pagerduty');
  const ids =
    event === 'escalated'
      ? rule.escalateTo
      : event === 'acknowledged'
        ? [...pd(rule.channels), ...(escalated ? pd(rule.escalateTo) : [])]
        : event === 'resolved'
          ? [...rule.channels, ...(escalated ? pd(rule.escalateTo) : [])]
          : rule.channels;
  // Disabled (or removed) channels get no delivery rows.
  return [...new Set(ids)].filter((id) => channelById.get(id)?.enabled);
}

/**
 * Writes one outbox event and its deliveries (one per channel, `suppressed` under a silence) with
 * the alert object as it is now. Call inside the transaction that changed the alert.
 */
export async function writeEvent(
  tx: Executor,
  args: { alert: AlertRow; rule: AlertRuleRow; event: AlertEvent; suppressed: boolean; channelIds: string[]; at: Date },
): Promise<void> {
  const [ev] = await tx
    .insert(alertEvents)
    .values({
      alertId: args.alert.id,
      event: args.event,
      alert: { ...alertObject(args.alert, args.rule, dashboardBaseUrl()) },
      createdAt: args.at,
    })
    .returning({ id: alertEvents.id });
  if (!args.channelIds.length) return;
  await tx.insert(alertDeliveries).values(
    args.channelIds.map((channelId) => ({
      id: randomUUID(),
      eventId: ev.id,
      channelId,
      status: args.suppressed ? ('suppressed' as const) : ('pending' as const),
      nextAttemptAt: args.at,
      createdAt: args.at,
    })),
  );
}

export async function evaluateAlerts(
  db: Db,
  now: Date = new Date(),
): Promise<{ rules: number; alerts: number; transitions: number; events: number }> {
  const rules = await db.select().from(alertRules).where(eq(alertRules.enabled, true));
  const out = { rules: rules.length, alerts: 0, transitions: 0, events: 0 };
  if (!rules.length) return out;
  const facilityList = rules.some((r) => r.facility === '*') ? await facilities(db) : [];

  // The values first, outside the lock: reads only, shared between rules.
  const reader = new RuleValueReader(db);
  const scoped = rules.flatMap((rule) =>
    (rule.facility === '*' ? facilityList : [rule.facility]).map((facility) => ({ rule, facility })),
  );
  const values = await Promise.all(scoped.map((s) => reader.value(ruleLike(s.rule), s.facility, now)));
  out.alerts = scoped.length;

  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${ALERTS_LOCK})`);
    // Another server already stored a later moment: this pass's values are older, and are dropped.
    const [last] = await tx.select({ value: appMeta.value }).from(appMeta).where(eq(appMeta.key, LAST_PASS_KEY));
    if (last && Date.parse(String(last.value)) > now.getTime()) {
      out.alerts = 0;
      return;
    }
    await tx
      .insert(appMeta)
      .values({ key: LAST_PASS_KEY, value: now.toISOString() })
      .onConflictDoUpdate({ target: appMeta.key, set: { value: now.toISOString(), updatedAt: now } });
    const [existing, channels, silences] = await Promise.all([
      tx
        .select()
        .from(alerts)
        .where(
          inArray(
            alerts.ruleId,
            rules.map((r) => r.id),
          ),
        ),
      tx.select().from(alertChannels),
      tx
        .select()
        .from(alertSilences)
        .where(and(lte(alertSilences.startsAt, now), gt(alertSilences.endsAt, now))),
    ]);
    const byScope = new Map(existing.map((a) => [scopeKey(a.ruleId, a.facility), a]));
    const channelById = new Map(channels.map((c) => [c.id, c]));

    // Alerts seen for the first time: inserted together.
    const fresh = scoped.filter((s) => !byScope.has(scopeKey(s.rule.id, s.facility)));
    for (const part of chunks(fresh, 5000)) {
      const made = await tx
        .insert(alerts)
        .values(part.map((s) => ({ ruleId: s.rule.id, facility: s.facility })))
        .returning();
      for (const a of made) byScope.set(scopeKey(a.ruleId, a.facility), a);
    }

    const quiet: { id: number; v: number | null }[] = [];
    const changed: { row: AlertRow; rule: AlertRuleRow; r: StepResult }[] = [];
    for (const [i, { rule, facility }] of scoped.entries()) {
      const row = byScope.get(scopeKey(rule.id, facility))!;
      const silenced = silences.some(
        (s) => (s.ruleId === null || s.ruleId === rule.id) && (s.facility === null || s.facility === facility),
      );
      const prev = snapshotOf(row);
      const r = step(ruleTiming(rule), prev, { now: now.getTime(), value: values[i], silenced });
      if (!r.transitions.length && !r.events.length && sameExceptValue(r.next, prev)) {
        if (values[i] !== row.value) quiet.push({ id: row.id, v: values[i] });
      } else changed.push({ row, rule, r });
    }
    // Values that moved without a change of state: one statement.
    if (quiet.length)
      await tx.execute(sql`update alerts a set value = (x->>'v')::float8, evaluated_at = ${now.toISOString()}::timestamptz
        from jsonb_array_elements(${JSON.stringify(quiet)}::jsonb) x where a.id = (x->>'id')::bigint`);
    if (!changed.length) return;
    await storeChanges(tx, changed, now, channelById, out);
  });
  return out;
}

const LAST_PASS_KEY = 'alerts.lastPassAt';

/** Whether a step changed nothing but the value (most alerts, most passes: no write but the value). */
function sameExceptValue(a: AlertSnapshot, b: AlertSnapshot): boolean {
  for (const k of Object.keys(a) as (keyof AlertSnapshot)[]) if (k !== 'value' && a[k] !== b[k]) return false;
  return true;
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

const isoOrNull = (n: number | null) => (n === null ? null : new Date(n).toISOString());

/**
 * The alerts whose state moved, stored in a few statements whatever their number: the rows, their
 * transitions, the outbox events (each with the alert object as it is now) and their deliveries.
 */
async function storeChanges(
  tx: Executor,
  changed: { row: AlertRow; rule: AlertRuleRow; r: StepResult }[],
  now: Date,
  channelById: Map<string, AlertChannelRow>,
  out: { transitions: number; events: number },
) {
  const at = now.toISOString();
  const rows = changed.map(({ row, r: { next: n } }) => ({
    id: row.id,
    state: n.state,
    value: n.value,
    pending_since: isoOrNull(n.pendingSince),
    started_at: isoOrNull(n.startedAt),
    resolved_at: isoOrNull(n.resolvedAt),
    acknowledged_at: isoOrNull(n.acknowledgedAt),
    last_notified_at: isoOrNull(n.lastNotifiedAt),
    escalated_at: isoOrNull(n.escalatedAt),
    silenced_event: n.silencedEvent,
  }));
  for (const part of chunks(rows, 2000))
    await tx.execute(sql`update alerts a set state = x.state, value = x.value, pending_since = x.pending_since,
        started_at = x.started_at, resolved_at = x.resolved_at, acknowledged_at = x.acknowledged_at,
        -- a new episode starts unacknowledged
        acknowledged_by = case when x.acknowledged_at is null then null else a.acknowledged_by end,
        acknowledge_note = case when x.acknowledged_at is null then null else a.acknowledge_note end,
        last_notified_at = x.last_notified_at, escalated_at = x.escalated_at, silenced_event = x.silenced_event,
        evaluated_at = ${at}::timestamptz, updated_at = ${at}::timestamptz
      from jsonb_to_recordset(${JSON.stringify(part)}::jsonb) as x(id bigint, state text, value float8,
        pending_since timestamptz, started_at timestamptz, resolved_at timestamptz, acknowledged_at timestamptz,
        last_notified_at timestamptz, escalated_at timestamptz, silenced_event text)
      where a.id = x.id`);

  const transitions = changed.flatMap(({ row, r }) => [
    ...r.transitions.map((t) => ({ alertId: row.id, at: now, fromState: t.from, toState: t.to, value: r.next.value })),
    ...r.events
      .filter((e) => e.event === 'escalated')
      .map(() => ({
        alertId: row.id,
        at: now,
        fromState: r.next.state,
        toState: r.next.state,
        value: r.next.value,
        note: 'escalated',
      })),
  ]);
  for (const part of chunks(transitions, 2000)) await tx.insert(alertTransitions).values(part);
  out.transitions += changed.reduce((n, c) => n + c.r.transitions.length, 0);

  const base = dashboardBaseUrl();
  const events = changed.flatMap(({ row, rule, r }) => {
    const n = r.next;
    const after: AlertRow = {
      ...row,
      state: n.state,
      value: n.value,
      startedAt: date(n.startedAt),
      resolvedAt: date(n.resolvedAt),
      acknowledgedBy: n.acknowledgedAt === null ? null : row.acknowledgedBy,
    };
    return r.events.map((e) => ({
      alertId: row.id,
      event: e.event,
      suppressed: e.suppressed,
      alert: { ...alertObject(after, rule, base) },
      channelIds: eventChannels(e.event, rule, n.escalatedAt !== null, channelById),
    }));
  });
  out.events += events.length;
  for (const part of chunks(events, 1000)) {
    const made = await tx
      .insert(alertEvents)
      .values(part.map((e) => ({ alertId: e.alertId, event: e.event, alert: e.alert, createdAt: now })))
      .returning({ id: alertEvents.id, alertId: alertEvents.alertId, event: alertEvents.event });
    // An alert emits an event at most once a pass: (alert, event) finds its row.
    const idOf = new Map(made.map((m) => [`${m.alertId}|${m.event}`, m.id]));
    const deliveries = part.flatMap((e) =>
      e.channelIds.map((channelId) => ({
        id: randomUUID(),
        eventId: idOf.get(`${e.alertId}|${e.event}`)!,
        channelId,
        status: e.suppressed ? ('suppressed' as const) : ('pending' as const),
        nextAttemptAt: now,
        createdAt: now,
      })),
    );
    for (const d of chunks(deliveries, 2000)) await tx.insert(alertDeliveries).values(d);
  }
}
