/**
 * The admin forms of alerts (rules, channels, silences, acknowledge) as zod schemas over form data,
 * and their values turned into the configuration file's items (SPEC 9), which `applyAlertConfig`
 * validates and saves. A form has flat fields; the file has lists and nested matchers, so the
 * file's field paths (`rules[0].threshold`) are turned back into the form's names here.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '@/db';
import {
  ALERT_CHANNEL_TYPES,
  ALERT_RULE_KINDS,
  ALERT_SEVERITIES,
  alertChannels,
  type AlertChannelType,
} from '@/db/schema';
import { AppError } from '@/lib/errors';
import { formNumber, storableString } from '@/lib/validation';
import { MASK, type RuleRow } from './config-lists';

/** An item's id: what the configuration file keys it by. */
const itemId = storableString()
  .trim()
  .min(1, 'required')
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only');
const optionalText = (max: number) => storableString().trim().max(max).optional();
const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean());
const list = z.array(z.string().trim().min(1).max(100)).default([]);

export const ruleForm = z.object({
  id: itemId,
  name: storableString().trim().min(1, 'required').max(200),
  kind: z.enum(ALERT_RULE_KINDS, { message: 'choose a kind' }),
  kpi: optionalText(100),
  facility: optionalText(64),
  txType: optionalText(64),
  window: optionalText(20),
  op: z.enum(['>', '<'], { message: 'choose > or <' }),
  threshold: formNumber(z.number({ message: 'expected a number' }).finite()),
  resolveThreshold: formNumber(z.number({ message: 'expected a number' }).finite()).optional(),
  pendingFor: optionalText(20),
  severity: z.enum(ALERT_SEVERITIES, { message: 'choose a severity' }),
  channels: list,
  notifyResolved: checkbox,
  repeatEvery: optionalText(20),
  escalateAfter: optionalText(20),
  escalateTo: list,
  enabled: checkbox,
});
export type RuleForm = z.output<typeof ruleForm>;

/** The form's rule as the configuration file writes it: blank fields left out, so their defaults apply. */
export function ruleFromForm(f: RuleForm): Record<string, unknown> {
  const rule: Record<string, unknown> = {
    id: f.id,
    name: f.name,
    kind: f.kind,
    op: f.op,
    threshold: f.threshold,
    severity: f.severity,
    channels: f.channels,
    notifyResolved: f.notifyResolved,
    escalateTo: f.escalateTo,
    enabled: f.enabled,
  };
  // The scope: "*" for each facility, a code, or blank for all facilities together (null in the file).
  rule.facility = f.facility ? f.facility : null;
  for (const k of ['kpi', 'txType', 'window', 'pendingFor', 'repeatEvery', 'escalateAfter'] as const)
    if (f[k]) rule[k] = f[k];
  if (f.resolveThreshold !== undefined) rule.resolveThreshold = f.resolveThreshold;
  return rule;
}

/** A saved rule as the configuration file writes it (for the preview and the alert's chart). */
export function ruleFromRow(r: RuleRow): Record<string, unknown> & { id: string; threshold: number } {
  const rule: Record<string, unknown> & { id: string; threshold: number } = {
    id: r.id,
    name: r.name,
    kind: r.kind,
    facility: r.facility,
    op: r.op,
    threshold: r.threshold,
    pendingFor: r.pendingFor,
    severity: r.severity,
    channels: r.channels,
    notifyResolved: r.notifyResolved,
    escalateTo: r.escalateTo,
    enabled: r.enabled,
  };
  if (r.resolveThreshold !== null) rule.resolveThreshold = r.resolveThreshold;
  for (const k of ['kpi', 'txType', 'window', 'repeatEvery', 'escalateAfter'] as const) if (r[k]) rule[k] = r[k];
  return rule;
}

export const channelForm = z.object({
  id: itemId,
  type: z.enum(ALERT_CHANNEL_TYPES, { message: 'choose a type' }),
  enabled: checkbox,
  /** email: addresses separated by commas, spaces or lines. */
  to: optionalText(2000),
  url: optionalText(2000),
  secret: optionalText(500),
  routingKey: optionalText(200),
});
export type ChannelForm = z.output<typeof channelForm>;

/** The fields of each channel type (SPEC 9), beside id and type. */
export const CHANNEL_FIELDS: Record<AlertChannelType, readonly ('to' | 'url' | 'secret' | 'routingKey')[]> = {
  email: ['to'],
  webhook: ['url', 'secret'],
  slack: ['url'],
  teams: ['url'],
  pagerduty: ['routingKey', 'url'],
};
/** The fields kept when the form leaves them blank or masked: a saved secret is never shown, so never retyped. */
const SECRET: Record<AlertChannelType, readonly string[]> = {
  email: [],
  webhook: ['secret'],
  slack: ['url'],
  teams: ['url'],
  pagerduty: ['routingKey'],
};

/**
 * The form's channel as the file writes it. A secret left blank (or still masked) keeps the saved
 * one, so changing a channel's other fields does not need the secret again.
 */
export async function channelFromForm(db: Executor, f: ChannelForm): Promise<Record<string, unknown>> {
  const [saved] = await db.select().from(alertChannels).where(eq(alertChannels.id, f.id));
  const keep = saved && saved.type === f.type ? saved.config : {};
  const out: Record<string, unknown> = { id: f.id, type: f.type, enabled: f.enabled };
  for (const k of CHANNEL_FIELDS[f.type]) {
    const v = f[k];
    if (k === 'to') out.to = (v ?? '').split(/[\s,;]+/).filter(Boolean);
    else if (v && v !== MASK) out[k] = v;
    else if (SECRET[f.type].includes(k) && keep[k] !== undefined) out[k] = keep[k];
  }
  return out;
}

export const silenceForm = z
  .object({
    id: itemId.optional(),
    ruleId: optionalText(100),
    facility: optionalText(64),
    /** UTC, as a datetime-local input sends it ("2026-12-07T10:00"); blank is now. */
    startsAt: optionalText(40),
    endsAt: optionalText(40),
    /** Instead of an end time: how long from the start ("2h"). */
    duration: optionalText(20),
    comment: optionalText(500),
  })
  .superRefine((f, ctx) => {
    if (!f.endsAt && !f.duration)
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'give an end time or a duration' });
  });
export type SilenceForm = z.output<typeof silenceForm>;

/** A datetime-local value read as UTC (the form says so); an ISO time with a zone as given. */
export function utcTime(text: string, field: string): Date {
  const withZone = /(Z|[+-]\d\d:?\d\d)$/i.test(text) ? text : `${text.length === 16 ? `${text}:00` : text}Z`;
  const d = new Date(withZone);
  if (Number.isNaN(d.getTime()))
    throw new AppError('validation_failed', 'Nothing was saved.', [`${field}: not a time`]);
  return d;
}

/** The form's silence as the file writes it; `seconds` turns a duration into seconds (al-core's parseDuration). */
export function silenceFromForm(
  f: SilenceForm,
  by: string,
  seconds: (text: string) => number,
  now = new Date(),
): Record<string, unknown> {
  const startsAt = f.startsAt ? utcTime(f.startsAt, 'startsAt') : now;
  let endsAt: Date;
  if (f.endsAt) endsAt = utcTime(f.endsAt, 'endsAt');
  else {
    let s: number;
    try {
      s = seconds(f.duration!);
    } catch {
      throw new AppError('validation_failed', 'Nothing was saved.', ['duration: a duration such as 30m, 2h or 1d']);
    }
    endsAt = new Date(startsAt.getTime() + s * 1000);
  }
  if (endsAt <= startsAt)
    throw new AppError('validation_failed', 'Nothing was saved.', ['endsAt: must be after the start']);
  const matchers: Record<string, string> = {};
  if (f.ruleId) matchers.ruleId = f.ruleId;
  if (f.facility) matchers.facility = f.facility;
  return {
    id:
      f.id ??
      `silence-${startsAt.toISOString().slice(0, 16).replace(/[-:T]/g, '')}-${Math.random().toString(36).slice(2, 6)}`,
    matchers,
    startsAt: startsAt.toISOString(),
    endsAt: endsAt.toISOString(),
    comment: f.comment ?? '',
    createdBy: by,
  };
}

/**
 * An AppError of `applyAlertConfig` with the form's field names: `rules[0].threshold: …` becomes
 * `threshold: …`, `silences[0].matchers.ruleId: …` becomes `ruleId: …`. Anything else is thrown again.
 */
export function formError(e: unknown): AppError {
  if (!(e instanceof AppError)) throw e;
  const details = e.details.map((d) =>
    typeof d === 'string' ? d.replace(/^(rules|channels|silences)\[\d+\]\.(matchers\.)?/, '') : d,
  );
  return new AppError(e.code, e.message, details, e.extra);
}

export const acknowledgeForm = z.object({
  id: formNumber(z.number({ message: 'expected an alert id' }).int().positive()),
  note: storableString().trim().min(1, 'say what is being done').max(1000),
});

export const removeForm = z.object({ id: itemId });

/** The numeric KPIs of SPEC 4 a `kpi` rule can name (lib/kpi `Kpis`), offered as suggestions in the form. */
export const KPI_NAMES = [
  'failedMessageRate',
  'firstPassFailureRate',
  'avgProcessingDelayMs',
  'p95ProcessingDelayMs',
  'messages',
  'duplicateCount',
  'openExceptions',
  'duplicateManualCorrections',
  'mismatches',
  'mismatchValue',
  'reconciliationMinutes',
] as const;
