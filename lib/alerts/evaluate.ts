/**
 * One evaluation pass of SPEC 9: every enabled rule's value for each of its scopes, the state
 * machine (state.ts) stepped, and what it decides stored — the alert, its transitions, the outbox
 * events and one delivery per channel — in one transaction.
 *
 * Two servers evaluating at once: values are read outside any lock (the slow part), then the
 * writes run under a transaction-scoped advisory lock (ALERTS_LOCK) after re-reading the alerts.
 * A row lock (FOR UPDATE) would not do alone: an alert seen for the first time has no row to lock,
 * and two servers inserting it would collide. Under the lock the second server sees the first's
 * new state and steps from it, so an event is emitted once; an alert another server evaluated at
 * a later moment is left alone (time never runs backwards for an alert).
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, lte, gt, sql } from 'drizzle-orm';
import type { Db, Executor } from '@/db';
import { ALERTS_LOCK } from '@/db/locks';
import {
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
import { step, type AlertSnapshot, type RuleTiming } from '@/lib/alerts/state';
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
    if (fresh.length) {
      const made = await tx
        .insert(alerts)
        .values(fresh.map((s) => ({ ruleId: s.rule.id, facility: s.facility })))
        .returning();
      for (const a of made) byScope.set(scopeKey(a.ruleId, a.facility), a);
    }

    // Alerts whose state did not change: value and time only, in one statement.
    const quiet: { id: number; v: number | null }[] = [];
    for (const [i, { rule, facility }] of scoped.entries()) {
      const row = byScope.get(scopeKey(rule.id, facility))!;
      if (row.evaluatedAt && ms(row.evaluatedAt)! > now.getTime()) continue;
      const silenced = silences.some(
        (s) => (s.ruleId === null || s.ruleId === rule.id) && (s.facility === null || s.facility === facility),
      );
      const prev = snapshotOf(row);
      const r = step(ruleTiming(rule), prev, { now: now.getTime(), value: values[i], silenced });
      const n = r.next;
      if (
        !r.transitions.length &&
        !r.events.length &&
        JSON.stringify(n) === JSON.stringify({ ...prev, value: values[i] })
      ) {
        quiet.push({ id: row.id, v: values[i] });
        continue;
      }
      const [updated] = await tx
        .update(alerts)
        .set({
          state: n.state,
          value: n.value,
          pendingSince: date(n.pendingSince),
          startedAt: date(n.startedAt),
          resolvedAt: date(n.resolvedAt),
          acknowledgedAt: date(n.acknowledgedAt),
          // A new episode starts unacknowledged.
          ...(n.acknowledgedAt === null ? { acknowledgedBy: null, acknowledgeNote: null } : {}),
          lastNotifiedAt: date(n.lastNotifiedAt),
          escalatedAt: date(n.escalatedAt),
          silencedEvent: n.silencedEvent,
          evaluatedAt: now,
          updatedAt: now,
        })
        .where(eq(alerts.id, row.id))
        .returning();
      if (r.transitions.length || r.events.some((e) => e.event === 'escalated')) {
        await tx.insert(alertTransitions).values([
          ...r.transitions.map((t) => ({
            alertId: row.id,
            at: now,
            fromState: t.from,
            toState: t.to,
            value: n.value,
          })),
          ...r.events
            .filter((e) => e.event === 'escalated')
            .map(() => ({
              alertId: row.id,
              at: now,
              fromState: n.state,
              toState: n.state,
              value: n.value,
              note: 'escalated',
            })),
        ]);
      }
      out.transitions += r.transitions.length;
      for (const e of r.events) {
        await writeEvent(tx, {
          alert: updated,
          rule,
          event: e.event,
          suppressed: e.suppressed,
          channelIds: eventChannels(e.event, rule, n.escalatedAt !== null, channelById),
          at: now,
        });
        out.events++;
      }
    }
    if (quiet.length)
      await tx.execute(sql`update alerts a set value = (x->>'v')::float8, evaluated_at = ${now.toISOString()}::timestamptz
        from jsonb_array_elements(${JSON.stringify(quiet)}::jsonb) x where a.id = (x->>'id')::bigint`);
  });
  return out;
}
