/**
 * What the v1 API serves of alerts (SPEC 9): alerts as the webhook's alert object, filtered by
 * state; the acknowledge body.
 */
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '@/db';
import { ALERT_STATES, alertRules, alerts, type AlertState } from '@/db/schema';
import { alertObject, dashboardBaseUrl, type AlertObject } from '@/lib/alerts/alert-object';
import { storableText } from '@/lib/validation';

export const alertStateQuery = z.object({
  state: z.enum(ALERT_STATES, { error: `expected one of ${ALERT_STATES.join(', ')}` }).optional(),
});

export const acknowledgeBody = z
  .object(
    {
      note: z
        .string({ error: 'expected a string' })
        .trim()
        .max(2000, 'at most 2,000 characters')
        .refine(storableText, 'must not contain NUL characters')
        .default(''),
    },
    { error: 'expected an object { note }' },
  )
  .strict();

/** Alerts of existing rules (firing first, then pending, then normal; latest first), as alert objects. */
export async function listAlertObjects(db: Executor, state?: AlertState): Promise<AlertObject[]> {
  const list = await db
    .select({ alert: alerts, rule: alertRules })
    .from(alerts)
    .innerJoin(alertRules, eq(alertRules.id, alerts.ruleId))
    .where(and(state ? eq(alerts.state, state) : undefined))
    .orderBy(
      sql`case ${alerts.state} when 'firing' then 0 when 'pending' then 1 else 2 end`,
      desc(alerts.startedAt),
      asc(alerts.id),
    );
  const base = dashboardBaseUrl();
  return list.map(({ alert, rule }) => alertObject(alert, rule, base));
}

/** One alert as the alert object (after an acknowledge). */
export async function alertObjectById(db: Executor, id: number): Promise<AlertObject | null> {
  const [r] = await db
    .select({ alert: alerts, rule: alertRules })
    .from(alerts)
    .innerJoin(alertRules, eq(alertRules.id, alerts.ruleId))
    .where(eq(alerts.id, id));
  return r ? alertObject(r.alert, r.rule, dashboardBaseUrl()) : null;
}
