/**
 * Acknowledging a firing alert (SPEC 9: ops, it, admin; or an admin key): who, when, a note, a
 * transition row, and an 'acknowledged' event for the rule's PagerDuty channels only (the others
 * hear nothing until the alert resolves).
 */
import { eq, sql } from 'drizzle-orm';
import type { Executor } from '@/db';
import { ALERTS_LOCK } from '@/db/locks';
import { alertChannels, alertRules, alerts, alertTransitions, type AlertRow } from '@/db/schema';
import { eventChannels, snapshotOf, writeEvent } from '@/lib/alerts/evaluate';
import { acknowledgeStep } from '@/lib/alerts/state';
import { AppError } from '@/lib/errors';

export async function acknowledgeAlert(
  db: Executor,
  alertId: number,
  input: { by: string; note: string },
  now: Date = new Date(),
): Promise<AlertRow> {
  return db.transaction(async (tx) => {
    // The evaluation's lock: an acknowledge and a pass's writes never interleave.
    await tx.execute(sql`select pg_advisory_xact_lock(${ALERTS_LOCK})`);
    const [row] = Number.isSafeInteger(alertId) ? await tx.select().from(alerts).where(eq(alerts.id, alertId)) : [];
    if (!row) throw new AppError('not_found', `No alert ${alertId}.`);
    const next = acknowledgeStep(snapshotOf(row), now.getTime());
    if (!next)
      throw new AppError(
        'conflict',
        row.state !== 'firing'
          ? `Alert ${alertId} is ${row.state}, not firing.`
          : `Alert ${alertId} is already acknowledged.`,
        [row.state !== 'firing' ? `state: ${row.state}` : `acknowledgedBy: ${row.acknowledgedBy}`],
      );
    const [rule] = await tx.select().from(alertRules).where(eq(alertRules.id, row.ruleId));
    if (!rule) throw new AppError('not_found', `No rule for alert ${alertId}.`);
    const [updated] = await tx
      .update(alerts)
      .set({
        acknowledgedAt: now,
        acknowledgedBy: input.by,
        acknowledgeNote: input.note,
        silencedEvent: next.silencedEvent,
        updatedAt: now,
      })
      .where(eq(alerts.id, alertId))
      .returning();
    await tx.insert(alertTransitions).values({
      alertId,
      at: now,
      fromState: row.state,
      toState: row.state,
      value: row.value,
      note: 'acknowledged',
      by: input.by,
    });
    const channels = await tx.select().from(alertChannels);
    const channelIds = eventChannels(
      'acknowledged',
      rule,
      row.escalatedAt !== null,
      new Map(channels.map((c) => [c.id, c])),
    );
    // Only PagerDuty hears of it; with none, no event is written.
    if (channelIds.length)
      await writeEvent(tx, { alert: updated, rule, event: 'acknowledged', suppressed: false, channelIds, at: now });
    return updated;
  });
}
