/**
 * Configuration as code (SPEC 9): a file `{ channels, rules, silences }` upserted by id, all or
 * nothing in one transaction; the same records exported; one record removed (the admin pages).
 */
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Executor } from '@/db';
import {
  alertChannels,
  alertRules,
  alertSilences,
  alerts,
  alertTransitions,
  type AlertChannelRow,
  type AlertRuleRow,
} from '@/db/schema';
import {
  alertConfigSchema,
  issueLines,
  MASK,
  type AlertConfig,
  type ChannelConfig,
  type RuleConfig,
  type SilenceConfig,
} from '@/lib/alerts/config-schema';
import { AppError } from '@/lib/errors';

export * from '@/lib/alerts/config-schema';

type SilenceRow = typeof alertSilences.$inferSelect;

/** The secret fields of each channel type (email's SMTP credentials live in SMTP_URL, not here). */
const SECRET_FIELDS: Record<ChannelConfig['type'], string[]> = {
  email: [],
  webhook: ['secret'],
  slack: ['url'],
  teams: ['url'],
  pagerduty: ['routingKey'],
};

/** A stored channel in the file's form (fields in a fixed order). */
export function channelFromRow(row: AlertChannelRow): ChannelConfig {
  const c = row.config as Record<string, unknown>;
  const base = { id: row.id, enabled: row.enabled };
  switch (row.type) {
    case 'email':
      return { ...base, type: 'email', to: (c.to as string[]) ?? [] };
    case 'webhook':
      return { ...base, type: 'webhook', url: String(c.url ?? ''), secret: String(c.secret ?? '') };
    case 'slack':
    case 'teams':
      return { ...base, type: row.type, url: String(c.url ?? '') };
    case 'pagerduty':
      return { ...base, type: 'pagerduty', routingKey: String(c.routingKey ?? ''), url: (c.url as string) ?? null };
  }
}

/** A stored rule in the file's form. */
export function ruleFromRow(r: AlertRuleRow): RuleConfig {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    kpi: (r.kpi as RuleConfig['kpi']) ?? null,
    facility: r.facility,
    txType: r.txType,
    window: r.window,
    op: r.op,
    threshold: r.threshold,
    resolveThreshold: r.resolveThreshold,
    pendingFor: r.pendingFor,
    severity: r.severity,
    channels: r.channels,
    notifyResolved: r.notifyResolved,
    repeatEvery: r.repeatEvery,
    escalateAfter: r.escalateAfter,
    escalateTo: r.escalateTo,
    dueBy: (r.options?.dueBy as string | undefined) ?? null,
    enabled: r.enabled,
  };
}

export function silenceFromRow(s: SilenceRow): SilenceConfig {
  return {
    id: s.id,
    matchers: { ruleId: s.ruleId, facility: s.facility },
    startsAt: new Date(s.startsAt).toISOString(),
    endsAt: new Date(s.endsAt).toISOString(),
    comment: s.comment,
    createdBy: s.createdBy,
  };
}

/** Canonical JSON of a record in the file's form: the same text for the same record. */
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function channelRow(c: ChannelConfig) {
  const { id, type, enabled, ...config } = c;
  return { id, type, enabled, config: config as Record<string, unknown>, updatedAt: new Date() };
}

function ruleRow(r: RuleConfig) {
  const { dueBy, ...rest } = r;
  return { ...rest, options: dueBy ? { dueBy } : {}, updatedAt: new Date() };
}

function silenceRow(s: SilenceConfig) {
  return {
    id: s.id,
    ruleId: s.matchers.ruleId,
    facility: s.matchers.facility,
    startsAt: new Date(s.startsAt),
    endsAt: new Date(s.endsAt),
    comment: s.comment,
    createdBy: s.createdBy,
  };
}

const invalid = (lines: string[]) =>
  new AppError('validation_failed', 'The alert configuration is not valid; nothing was applied.', lines);

/**
 * Upserts the file's channels, rules and silences by id, in one transaction: a file with any error
 * applies nothing and throws a 422 whose details name each bad field by its path. A masked secret
 * ('********', as `alerts export` writes it) keeps the one stored.
 */
export async function applyAlertConfig(
  db: Executor,
  input: unknown,
  opts: { by?: string } = {},
): Promise<{ created: string[]; updated: string[]; unchanged: string[] }> {
  const parsed = alertConfigSchema.safeParse(input);
  if (!parsed.success) throw invalid(issueLines(parsed.error));
  const file = parsed.data;
  const lines: string[] = [];
  for (const key of ['channels', 'rules', 'silences'] as const) {
    const seen = new Set<string>();
    file[key].forEach((item, i) => {
      if (seen.has(item.id)) lines.push(`${key}[${i}].id: "${item.id}" appears twice in the file`);
      seen.add(item.id);
    });
  }
  if (lines.length) throw invalid(lines);

  return db.transaction(async (tx) => {
    const [storedChannels, storedRules, storedSilences] = await Promise.all([
      tx.select().from(alertChannels),
      tx.select().from(alertRules),
      tx.select().from(alertSilences),
    ]);
    const channelById = new Map(storedChannels.map((c) => [c.id, c]));
    const ruleById = new Map(storedRules.map((r) => [r.id, r]));
    const silenceById = new Map(storedSilences.map((s) => [s.id, s]));

    // A masked secret takes the stored one, which must exist (on a channel of the same type).
    const channels = file.channels.map((c, i) => {
      const stored = channelById.get(c.id);
      const out = { ...c } as Record<string, unknown>;
      for (const field of SECRET_FIELDS[c.type]) {
        if (out[field] !== MASK) continue;
        if (stored && stored.type === c.type) out[field] = (stored.config as Record<string, unknown>)[field];
        else lines.push(`channels[${i}].${field}: "${MASK}" keeps a stored secret, and this channel has none`);
      }
      return out as ChannelConfig;
    });
    const knownChannels = new Set([...channelById.keys(), ...channels.map((c) => c.id)]);
    file.rules.forEach((r, i) => {
      for (const key of ['channels', 'escalateTo'] as const)
        r[key].forEach((id, j) => {
          if (!knownChannels.has(id)) lines.push(`rules[${i}].${key}[${j}]: no channel "${id}" in the file or stored`);
        });
    });
    if (lines.length) throw invalid(lines);

    const created: string[] = [];
    const updated: string[] = [];
    const unchanged: string[] = [];
    const note = (kind: string, id: string, before: unknown, after: unknown) => {
      if (before === undefined) created.push(`${kind}:${id}`);
      else if (same(before, after)) unchanged.push(`${kind}:${id}`);
      else updated.push(`${kind}:${id}`);
      return before === undefined || !same(before, after);
    };

    for (const c of channels) {
      const before = channelById.get(c.id);
      if (!note('channel', c.id, before && channelFromRow(before), c)) continue;
      const row = channelRow(c);
      await tx.insert(alertChannels).values(row).onConflictDoUpdate({ target: alertChannels.id, set: row });
    }
    for (const r of file.rules) {
      const before = ruleById.get(r.id);
      if (!note('rule', r.id, before && ruleFromRow(before), r)) continue;
      const row = ruleRow(r);
      await tx.insert(alertRules).values(row).onConflictDoUpdate({ target: alertRules.id, set: row });
      // Another scope ('*' for a facility, …) makes other alerts: the old ones go, with their history.
      if (before && (before.facility ?? null) !== r.facility) await dropAlerts(tx, r.id);
      else if (before?.enabled && !r.enabled) await quietAlerts(tx, r.id, opts.by ?? null);
    }
    for (const s of file.silences) {
      const before = silenceById.get(s.id);
      const next = { ...s, createdBy: s.createdBy ?? before?.createdBy ?? opts.by ?? null };
      if (!note('silence', s.id, before && silenceFromRow(before), next)) continue;
      const row = silenceRow(next);
      await tx.insert(alertSilences).values(row).onConflictDoUpdate({ target: alertSilences.id, set: row });
    }
    return { created, updated, unchanged };
  });
}

/**
 * A rule switched off: its pending and firing alerts go back to normal, each with a transition
 * saying why, and no notification (nothing evaluates them any more, so /alerts would show them
 * firing for ever).
 */
async function quietAlerts(tx: Executor, ruleId: string, by: string | null) {
  const now = new Date();
  const moving = await tx
    .select({ id: alerts.id, state: alerts.state, value: alerts.value })
    .from(alerts)
    .where(and(eq(alerts.ruleId, ruleId), ne(alerts.state, 'normal')));
  if (!moving.length) return;
  await tx
    .update(alerts)
    .set({ state: 'normal', pendingSince: null, silencedEvent: null, resolvedAt: now, updatedAt: now })
    .where(
      inArray(
        alerts.id,
        moving.map((m) => m.id),
      ),
    );
  await tx.insert(alertTransitions).values(
    moving.map((m) => ({
      alertId: m.id,
      at: now,
      fromState: m.state,
      toState: 'normal' as const,
      value: m.value,
      note: 'rule disabled',
      by,
    })),
  );
}

/** The alerts of a rule and their transitions (the outbox and its deliveries stay: they were sent). */
async function dropAlerts(tx: Executor, ruleId: string) {
  const ids = (await tx.select({ id: alerts.id }).from(alerts).where(eq(alerts.ruleId, ruleId))).map((a) => a.id);
  if (!ids.length) return;
  await tx.delete(alertTransitions).where(inArray(alertTransitions.alertId, ids));
  await tx.delete(alerts).where(inArray(alerts.id, ids));
}

/**
 * Removes one rule (with its alerts), channel or silence: 404 when there is none; a channel that
 * rules still name is kept (409, naming them).
 */
export async function removeAlertConfigItem(
  db: Executor,
  kind: 'rule' | 'channel' | 'silence',
  id: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    if (kind === 'rule') {
      const gone = await tx.delete(alertRules).where(eq(alertRules.id, id)).returning({ id: alertRules.id });
      if (!gone.length) throw new AppError('not_found', `No alert rule "${id}".`);
      await dropAlerts(tx, id);
    } else if (kind === 'channel') {
      const users = await tx
        .select({ id: alertRules.id })
        .from(alertRules)
        .where(
          sql`${alertRules.channels} @> ${JSON.stringify([id])}::jsonb or ${alertRules.escalateTo} @> ${JSON.stringify([id])}::jsonb`,
        );
      if (users.length)
        throw new AppError('conflict', `The channel "${id}" is used by rules: ${users.map((u) => u.id).join(', ')}.`, [
          `id: used by rules ${users.map((u) => u.id).join(', ')}`,
        ]);
      const gone = await tx.delete(alertChannels).where(eq(alertChannels.id, id)).returning({ id: alertChannels.id });
      if (!gone.length) throw new AppError('not_found', `No alert channel "${id}".`);
    } else {
      const gone = await tx.delete(alertSilences).where(eq(alertSilences.id, id)).returning({ id: alertSilences.id });
      if (!gone.length) throw new AppError('not_found', `No silence "${id}".`);
    }
  });
}

/** Every channel, rule and silence in the file's form; secrets masked unless `withSecrets`. */
export async function exportAlertConfig(db: Executor, opts: { withSecrets?: boolean } = {}): Promise<AlertConfig> {
  const [channels, rules, silences] = await Promise.all([
    db.select().from(alertChannels).orderBy(asc(alertChannels.id)),
    db.select().from(alertRules).orderBy(asc(alertRules.id)),
    db.select().from(alertSilences).orderBy(asc(alertSilences.id)),
  ]);
  return {
    channels: channels.map((row) => {
      const c = channelFromRow(row) as Record<string, unknown>;
      if (!opts.withSecrets) for (const f of SECRET_FIELDS[row.type]) if (c[f]) c[f] = MASK;
      return c as ChannelConfig;
    }),
    rules: rules.map(ruleFromRow),
    silences: silences.map(silenceFromRow),
  };
}
