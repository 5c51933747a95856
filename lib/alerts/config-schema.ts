/**
 * The alert configuration file of SPEC 9 (`{ channels, rules, silences }`) as zod schemas: the one
 * form the CLI, `/api/v1/alert-config` and the admin forms read and write. Errors name the field by
 * its path in the file (`rules[2].threshold: expected a number`).
 */
import { z } from 'zod';
import { ALERT_CHANNEL_TYPES, ALERT_RULE_KINDS, ALERT_SEVERITIES } from '@/db/schema';
import { DURATION_HINT, parseDurationOrNaN } from '@/lib/alerts/duration';
import { storableText } from '@/lib/validation';

/** The numeric KPIs of SPEC 4 a `kpi` rule may watch (`manualCorrections`: its total). */
export const NUMERIC_KPIS = [
  'messages',
  'failedMessageRate',
  'firstPassFailureRate',
  'avgProcessingDelayMs',
  'p95ProcessingDelayMs',
  'duplicateCount',
  'openExceptions',
  'manualCorrections',
  'duplicateManualCorrections',
  'mismatches',
  'mismatchValue',
  'reconciliationMinutes',
] as const;
export type NumericKpi = (typeof NUMERIC_KPIS)[number];

/** How a secret is shown by `alerts export` without `--with-secrets`; applied back, it keeps the stored one. */
export const MASK = '********';

const oneOf = (list: readonly string[]) => `expected one of ${list.join(', ')}`;
const text = (max: number) =>
  z
    .string({ error: 'expected a string' })
    .trim()
    .min(1, 'must not be empty')
    .max(max, `at most ${max} characters`)
    .refine(storableText, 'must not contain NUL characters');
const optionalText = (max: number) =>
  text(max)
    .nullable()
    .optional()
    .transform((v) => v ?? null);

export const idSchema = z
  .string({ error: 'expected a string' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'expected an id: letters, digits, ".", "_", ":" or "-", at most 64');

const duration = z
  .string({ error: `expected ${DURATION_HINT}` })
  .trim()
  .refine((s) => Number.isFinite(parseDurationOrNaN(s)), `expected ${DURATION_HINT}`);
const optionalDuration = duration
  .nullable()
  .optional()
  .transform((v) => v ?? null);
const number = z.number({ error: 'expected a number' }).finite('expected a finite number');
const bool = (dflt: boolean) => z.boolean({ error: 'expected true or false' }).default(dflt);
const idList = z.array(idSchema, { error: 'expected a list of ids' }).default([]);
const httpUrl = z
  .string({ error: 'expected a URL' })
  .refine((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol), 'expected an http:// or https:// URL');
/** A URL or the mask (an exported file applied back keeps the stored secret URL). */
const secretUrl = z.union([z.literal(MASK), httpUrl], { error: 'expected an http:// or https:// URL' });
const instant = z
  .string({ error: 'expected an ISO 8601 time' })
  .refine((s) => z.iso.datetime({ offset: true }).safeParse(s).success, 'expected an ISO 8601 time with a zone')
  .transform((s) => new Date(s).toISOString());

const channelBase = { id: idSchema, enabled: bool(true) };
export const channelSchema = z.discriminatedUnion(
  'type',
  [
    z
      .object({
        ...channelBase,
        type: z.literal('email'),
        to: z
          .array(z.email('expected an email address'), { error: 'expected a list of email addresses' })
          .min(1, 'expected at least one address'),
      })
      .strict(),
    z.object({ ...channelBase, type: z.literal('webhook'), url: httpUrl, secret: text(512) }).strict(),
    z.object({ ...channelBase, type: z.literal('slack'), url: secretUrl }).strict(),
    z.object({ ...channelBase, type: z.literal('teams'), url: secretUrl }).strict(),
    z
      .object({
        ...channelBase,
        type: z.literal('pagerduty'),
        routingKey: text(128),
        url: httpUrl
          .nullable()
          .optional()
          .transform((v) => v ?? null),
      })
      .strict(),
  ],
  { error: (i) => (i.code === 'invalid_union' ? oneOf(ALERT_CHANNEL_TYPES) : undefined) },
);

export const ruleSchema = z
  .object({
    id: idSchema,
    name: text(200),
    kind: z.enum(ALERT_RULE_KINDS, { error: oneOf(ALERT_RULE_KINDS) }),
    kpi: z
      .enum(NUMERIC_KPIS, { error: oneOf(NUMERIC_KPIS) })
      .nullable()
      .optional()
      .transform((v) => v ?? null),
    facility: optionalText(64),
    txType: optionalText(64),
    window: optionalDuration,
    op: z.enum(['>', '<'], { error: 'expected ">" or "<"' }).default('>'),
    threshold: number,
    resolveThreshold: number
      .nullable()
      .optional()
      .transform((v) => v ?? null),
    pendingFor: duration.default('0s'),
    severity: z.enum(ALERT_SEVERITIES, { error: oneOf(ALERT_SEVERITIES) }).default('warning'),
    channels: idList,
    notifyResolved: bool(true),
    repeatEvery: optionalDuration,
    escalateAfter: optionalDuration,
    escalateTo: idList,
    /** review_overdue: the time of day (UTC, HH:MM) by which yesterday's daily review is signed off. */
    dueBy: z
      .string({ error: 'expected a time of day, HH:MM' })
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time of day, HH:MM (UTC)')
      .nullable()
      .optional()
      .transform((v) => v ?? null),
    enabled: bool(true),
  })
  .strict()
  .superRefine((r, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (r.kind === 'kpi' && !r.kpi) issue('kpi', `required for kind kpi: ${oneOf(NUMERIC_KPIS)}`);
    if (r.kind !== 'kpi' && r.kpi) issue('kpi', 'only for kind kpi');
    if (r.kind === 'review_overdue' && !r.dueBy) issue('dueBy', 'required for kind review_overdue: HH:MM (UTC)');
    if (
      r.resolveThreshold !== null &&
      (r.op === '>' ? r.resolveThreshold > r.threshold : r.resolveThreshold < r.threshold)
    )
      issue(
        'resolveThreshold',
        `must be ${r.op === '>' ? 'at most' : 'at least'} threshold (${r.threshold}) for op ${r.op}`,
      );
    if (r.escalateAfter && !r.escalateTo.length) issue('escalateTo', 'required with escalateAfter');
    if (!r.escalateAfter && r.escalateTo.length) issue('escalateAfter', 'required with escalateTo');
  });

export const silenceSchema = z
  .object({
    id: idSchema,
    matchers: z
      .object(
        {
          ruleId: idSchema
            .nullable()
            .optional()
            .transform((v) => v ?? null),
          facility: optionalText(64),
        },
        { error: 'expected an object' },
      )
      .strict()
      .default({ ruleId: null, facility: null }),
    startsAt: instant,
    endsAt: instant,
    comment: optionalText(2000),
    createdBy: optionalText(200),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (!(s.endsAt > s.startsAt)) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be after startsAt' });
  });

const list = <T extends z.ZodType>(item: T) => z.array(item, { error: 'expected a list' }).default([]);
export const alertConfigSchema = z
  .object(
    { channels: list(channelSchema), rules: list(ruleSchema), silences: list(silenceSchema) },
    { error: 'expected an object { channels, rules, silences }' },
  )
  .strict();

export type ChannelConfig = z.output<typeof channelSchema>;
export type RuleConfig = z.output<typeof ruleSchema>;
export type SilenceConfig = z.output<typeof silenceSchema>;
export type AlertConfig = z.output<typeof alertConfigSchema>;
/** What a file may hold (defaults left out). */
export type AlertConfigInput = z.input<typeof alertConfigSchema>;

/** `rules[2].threshold` for a zod path. */
export function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out || 'file';
}

/** Each issue as `path: message`, unknown fields named one by one. */
export function issueLines(error: z.ZodError): string[] {
  const out: string[] = [];
  for (const i of error.issues) {
    if (i.code === 'unrecognized_keys') {
      for (const k of i.keys) out.push(`${pathText([...i.path, k])}: unknown field`);
    } else out.push(`${pathText(i.path)}: ${i.message}`);
  }
  return [...new Set(out)];
}
