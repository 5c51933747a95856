/**
 * The period of a recurring review (SPEC 6), read from the URL so a link pasted in a meeting shows
 * the same review: `?day=YYYY-MM-DD`, `?week=YYYY-MM-DD` (any day of an ISO week, Monday first) or
 * `?month=YYYY-MM`, with `?facility=`. Periods are UTC. Without one (or with one that is not a
 * period, or lies ahead), the last whole period: yesterday, last week, last month.
 */
import { z } from 'zod';
import type { ReviewCadence } from '@/db/schema';
import { DAY_MS, isCalendarDay, utcDay } from '@/lib/time';

export interface ReviewPeriod {
  cadence: ReviewCadence;
  /** The URL parameter and its value for this period. */
  param: 'day' | 'week' | 'month';
  value: string;
  /** The first day of the period, YYYY-MM-DD: the key of its sign-off. */
  key: string;
  from: Date;
  to: Date;
  facility: string | null;
  label: string;
  /** The parameter values of the periods before and after (null when that one lies ahead). */
  previous: string;
  next: string | null;
  /** Why the period in the URL was not used (not a period, or ahead), when one was given. */
  notice?: string;
}

const dayStart = (s: string) => new Date(`${s}T00:00:00Z`);
/** Monday (UTC) of the week holding `d`. */
const monday = (d: Date) => new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY_MS);
const monthStart = (d: Date, add = 0) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + add, 1));
const monthValue = (d: Date) => d.toISOString().slice(0, 7);
const fmt = (d: Date, o: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat('en-GB', { ...o, timeZone: 'UTC' }).format(d);

/** The start of the period that `value` names, or null when it names none. */
function startOf(cadence: ReviewCadence, value: string | undefined): Date | null {
  if (!value) return null;
  if (cadence === 'monthly')
    return /^\d{4}-\d{2}$/.test(value) && isCalendarDay(`${value}-01`) ? dayStart(`${value}-01`) : null;
  if (!isCalendarDay(value)) return null;
  return cadence === 'weekly' ? monday(dayStart(value)) : dayStart(value);
}

/** The start of the period `n` periods after the one starting at `from` (before it when `n` < 0). */
function shift(cadence: ReviewCadence, from: Date, n: number): Date {
  if (cadence === 'daily') return new Date(from.getTime() + n * DAY_MS);
  if (cadence === 'weekly') return new Date(from.getTime() + n * 7 * DAY_MS);
  return monthStart(from, n);
}

const PARAM = { daily: 'day', weekly: 'week', monthly: 'month' } as const;

export function reviewPeriod(
  cadence: ReviewCadence,
  params: Record<string, string | undefined>,
  now = new Date(),
): ReviewPeriod {
  const param = PARAM[cadence];
  const current =
    cadence === 'daily'
      ? dayStart(utcDay(now))
      : cadence === 'weekly'
        ? monday(dayStart(utcDay(now)))
        : monthStart(now);
  const raw = params[param]?.trim();
  const asked = startOf(cadence, raw);
  // The current period may be opened (a review run late in the day); a later one may not.
  const from = asked && asked <= current ? asked : shift(cadence, current, -1);
  const wanted = cadence === 'monthly' ? 'a month, YYYY-MM' : 'a calendar day, YYYY-MM-DD';
  const why = !raw
    ? null
    : !asked
      ? `${param} ${JSON.stringify(raw.slice(0, 40))} is not ${wanted}`
      : asked > current
        ? `${param} ${raw} lies ahead`
        : null;
  const to = shift(cadence, from, 1);
  const valueOf = (d: Date) => (cadence === 'monthly' ? monthValue(d) : utcDay(d));
  const facility =
    z
      .string()
      .trim()
      .min(1)
      .max(64)
      .optional()
      .catch(undefined)
      .parse(params.facility || undefined) ?? null;
  const label =
    cadence === 'daily'
      ? fmt(from, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })
      : cadence === 'weekly'
        ? `week of ${fmt(from, { day: 'numeric', month: 'long' })} to ${fmt(new Date(to.getTime() - DAY_MS), { day: 'numeric', month: 'long', year: 'numeric' })}`
        : fmt(from, { month: 'long', year: 'numeric' });
  return {
    cadence,
    param,
    value: valueOf(from),
    key: utcDay(from),
    from,
    to,
    facility,
    label,
    previous: valueOf(shift(cadence, from, -1)),
    next: to <= current ? valueOf(to) : null,
    ...(why ? { notice: `The ${param} in the address was not used (${why}); showing the last whole ${param}.` } : {}),
  };
}

/** The query string of a review period (and facility), with one of them changed. */
export function periodQuery(p: ReviewPeriod, change: { value?: string; facility?: string | null } = {}) {
  const facility = change.facility === undefined ? p.facility : change.facility;
  return new URLSearchParams({ [p.param]: change.value ?? p.value, ...(facility ? { facility } : {}) }).toString();
}
