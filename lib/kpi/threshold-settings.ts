/**
 * Thresholds (SPEC 4): green / amber / red per KPI and facility, '*' for every facility. Stored in
 * the units of /api/v1/kpis (rates as fractions, durations in ms); the admin form speaks the units
 * people read on the tiles (%, seconds) and converts.
 */
import 'server-only';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { inserted, type Executor } from '@/db';
import { thresholds } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { formNumber, parseOrFail, storableText } from '@/lib/validation';
import { formatValue, type ValueFormat } from '@/lib/format';
import { TILE_DEFS } from '@/lib/kpi/tiles';

/** The KPIs a threshold can colour: every tile. */
export const THRESHOLD_KPIS = TILE_DEFS.map((d) => ({ key: d.key, label: d.label, format: d.format }));
const KEYS = THRESHOLD_KPIS.map((k) => k.key) as [string, ...string[]];
const formatOf = (kpi: string): ValueFormat => THRESHOLD_KPIS.find((k) => k.key === kpi)?.format ?? 'count';

/** The unit the form uses for a KPI, and its factor to the stored unit. */
export function formUnit(format: ValueFormat): { unit: string; factor: number } {
  switch (format) {
    case 'percent':
      return { unit: '%', factor: 0.01 };
    case 'duration':
      return { unit: 's', factor: 1000 };
    case 'minutes':
      return { unit: 'min', factor: 1 };
    case 'money':
      return { unit: 'USD', factor: 1 };
    default:
      return { unit: 'count', factor: 1 };
  }
}

const FACILITY = /^(\*|[A-Za-z0-9][A-Za-z0-9._-]{0,63})$/;
const number = formNumber(
  z.number({ message: 'must be a number' }).finite('must be a number').min(0, 'must be 0 or more'),
);

/** One threshold in stored units. */
export const thresholdInput = z
  .object({
    kpi: z.enum(KEYS, { message: 'must be one of the KPIs' }),
    facility: z
      .string({ message: 'is required' })
      .trim()
      .regex(FACILITY, 'must be a facility code, or * for every facility'),
    amber: number,
    red: number,
    worse: z.enum(['up', 'down'], { message: "must be 'up' (higher is worse) or 'down' (lower is worse)" }),
  })
  .superRefine((t, ctx) => {
    const format = formatOf(t.kpi);
    if (format === 'percent') {
      for (const f of ['amber', 'red'] as const)
        if (t[f] > 1) ctx.addIssue({ code: 'custom', path: [f], message: 'a rate is at most 100%' });
    }
    const shown = formatValue(t.amber, format);
    if (t.worse === 'up' && t.red < t.amber)
      ctx.addIssue({
        code: 'custom',
        path: ['red'],
        message: `must be at least amber (${shown}) when higher is worse`,
      });
    if (t.worse === 'down' && t.red > t.amber)
      ctx.addIssue({ code: 'custom', path: ['red'], message: `must be at most amber (${shown}) when lower is worse` });
  });
export type ThresholdInput = z.infer<typeof thresholdInput>;

/** Validates a threshold in stored units; an AppError with field errors when it is not valid. */
export const parseThreshold = (value: unknown): ThresholdInput =>
  parseOrFail(thresholdInput, value, 'The threshold was not saved.');

/** A level in the form's units (% for rates, seconds for durations) from one in stored units. */
const inFormUnits = (v: number, factor: number) => String(Number((v / factor).toPrecision(12)));

/**
 * A threshold from the admin form, in the form's units (% for rates, seconds for durations):
 * converted, then validated as the API validates. Numbers are rounded off to what the unit can
 * mean (1.5 % is 0.015, not 0.015000000000000001).
 */
export const thresholdFormInput = z.preprocess((value) => {
  if (!value || typeof value !== 'object') return value;
  const form = value as Record<string, unknown>;
  const { factor } = formUnit(formatOf(typeof form.kpi === 'string' ? form.kpi : ''));
  const scale = (v: unknown) => {
    if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(Number(v))) return v;
    return Number((Number(v) * factor).toPrecision(12));
  };
  return { ...form, amber: scale(form.amber), red: scale(form.red) };
}, thresholdInput);

export const parseThresholdForm = (form: Record<string, unknown>): ThresholdInput =>
  parseOrFail(thresholdFormInput, form, 'The threshold was not saved.');

/** The KPIs the form offers, each with the unit its levels are typed in. */
export const thresholdChoices = () =>
  THRESHOLD_KPIS.map((k) => ({ key: k.key, label: k.label, unit: formUnit(k.format).unit }));

/** The levels that apply now, by 'kpi|facility', in the form's units: the form fills them in. */
export function formLevels(list: ThresholdRow[]): Record<string, { amber: string; red: string; worse: 'up' | 'down' }> {
  return Object.fromEntries(
    list.map((r) => {
      const { factor } = formUnit(r.format);
      return [
        `${r.kpi}|${r.facility}`,
        { amber: inFormUnits(r.amber, factor), red: inFormUnits(r.red, factor), worse: r.worse },
      ];
    }),
  );
}

/** Sets the threshold of a KPI at a facility ('*': every facility without its own). */
export async function saveThreshold(db: Executor, t: ThresholdInput): Promise<{ created: boolean }> {
  const [r] = await db
    .insert(thresholds)
    .values(t)
    .onConflictDoUpdate({
      target: [thresholds.kpi, thresholds.facility],
      set: { amber: t.amber, red: t.red, worse: t.worse },
    })
    .returning({ created: inserted });
  return r;
}

/** Removes a threshold; a 404 AppError when there is none. */
export async function removeThreshold(db: Executor, kpi: string, facility: string): Promise<void> {
  // Text no row can hold (a hand-made request with a NUL) names no threshold.
  if (!storableText(kpi) || !storableText(facility)) throw new AppError('not_found', 'No such threshold');
  const gone = await db
    .delete(thresholds)
    .where(and(eq(thresholds.kpi, kpi), eq(thresholds.facility, facility)))
    .returning({ kpi: thresholds.kpi });
  if (!gone.length) throw new AppError('not_found', `No threshold for ${kpi} at ${facility}`);
}

export interface ThresholdRow {
  kpi: string;
  label: string;
  format: ValueFormat;
  facility: string;
  amber: number;
  red: number;
  worse: 'up' | 'down';
}

/** Every threshold, by KPI in tile order, the default ('*') before a facility's own. */
export async function listThresholds(db: Executor): Promise<ThresholdRow[]> {
  const all = await db.select().from(thresholds);
  const order = new Map(THRESHOLD_KPIS.map((k, i) => [k.key, i]));
  return all
    .map((t) => {
      const k = THRESHOLD_KPIS.find((x) => x.key === t.kpi);
      return {
        kpi: t.kpi,
        label: k?.label ?? t.kpi,
        format: k?.format ?? 'count',
        facility: t.facility,
        amber: t.amber,
        red: t.red,
        worse: t.worse,
      };
    })
    .sort(
      (a, b) =>
        (order.get(a.kpi) ?? 99) - (order.get(b.kpi) ?? 99) ||
        (a.facility === '*'
          ? -1
          : b.facility === '*'
            ? 1
            : a.facility < b.facility
              ? -1
              : a.facility > b.facility
                ? 1
                : 0),
    );
}
