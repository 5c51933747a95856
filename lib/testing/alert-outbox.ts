/**
 * Outbox rows as the evaluation writes them (an event with its alert object, one delivery per
 * channel), inserted directly so delivery is tested on its own.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '@/db';
import { alertChannels, alertDeliveries, alertEvents, type AlertEvent } from '@/db/schema';

export const sampleAlert = (id: number, over: Record<string, unknown> = {}) => ({
  id,
  ruleId: 'failed-rate',
  ruleName: 'Failed message rate',
  severity: 'critical',
  facility: 'DC1',
  value: 0.12,
  threshold: 0.05,
  state: 'firing',
  startedAt: '2026-12-07T02:00:00.000Z',
  resolvedAt: null,
  acknowledgedBy: null,
  url: 'http://localhost:3000/?facility=DC1',
  ...over,
});

export async function addChannel(
  db: Db,
  id: string,
  type: (typeof alertChannels.$inferInsert)['type'],
  config: Record<string, unknown>,
  enabled = true,
) {
  await db
    .insert(alertChannels)
    .values({ id, type, config, enabled })
    .onConflictDoUpdate({ target: alertChannels.id, set: { type, config, enabled } });
}

/** One event of alert `alertId` and a pending delivery to each channel; returns the delivery ids. */
export async function addEvent(
  db: Db,
  alertId: number,
  event: AlertEvent,
  channels: string[],
  opts: { alert?: Record<string, unknown>; createdAt?: Date; status?: 'pending' | 'suppressed' } = {},
): Promise<{ eventId: number; deliveries: string[] }> {
  const at = opts.createdAt ?? new Date();
  const [e] = await db
    .insert(alertEvents)
    .values({ alertId, event, alert: opts.alert ?? sampleAlert(alertId), createdAt: at })
    .returning({ id: alertEvents.id });
  const deliveries = channels.map(() => randomUUID());
  if (channels.length) {
    await db.insert(alertDeliveries).values(
      channels.map((channelId, i) => ({
        id: deliveries[i],
        eventId: e.id,
        channelId,
        status: opts.status ?? ('pending' as const),
        nextAttemptAt: at,
        createdAt: at,
      })),
    );
  }
  return { eventId: e.id, deliveries };
}
