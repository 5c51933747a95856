/**
 * A rule's value for a scope at a moment, read from the KPI functions of lib/kpi (computeKpis: the
 * same numbers as the tiles; no KPI is defined twice) and, for the kinds that are no KPI (a new
 * exception group, an overdue review), from their own small queries. One evaluation pass asks
 * computeKpis once per distinct (window, txType, facility) and shares the answer across rules.
 */
import { sql } from 'drizzle-orm';
import { rows, type Executor } from '@/db';
import type { AlertRuleRow } from '@/db/schema';
import type { NumericKpi, RuleConfig } from '@/lib/alerts/config-schema';
import { parseDuration } from '@/lib/alerts/duration';
import { NEW_ALERT, step, type RuleTiming } from '@/lib/alerts/state';
import { computeKpis, type Kpis } from '@/lib/kpi/kpis';
import { facilities } from '@/lib/kpi/series';
import { getSignoff } from '@/lib/review/signoff';

export type RuleLike = Pick<RuleConfig, 'kind' | 'kpi' | 'window' | 'txType'> & { dueBy?: string | null };

/** The rule fields the values need, from a stored rule. */
export const ruleLike = (r: AlertRuleRow): RuleLike => ({
  kind: r.kind,
  kpi: (r.kpi as NumericKpi | null) ?? null,
  window: r.window,
  txType: r.txType,
  dueBy: (r.options?.dueBy as string | undefined) ?? null,
});

/** The window a kind reads over when its rule names none. */
const DEFAULT_WINDOW = '1h';

/** A KPI of computeKpis as one number (manualCorrections: its total). */
export function kpiValue(k: Kpis, name: NumericKpi): number | null {
  if (name === 'manualCorrections') return k.manualCorrections.total;
  return k[name];
}

/** Computes rule values, sharing computeKpis (and the other queries) between rules of one pass. */
export class RuleValueReader {
  private cache = new Map<string, Promise<unknown>>();
  constructor(private readonly db: Executor) {}

  private once<T>(key: string, f: () => Promise<T>): Promise<T> {
    let p = this.cache.get(key) as Promise<T> | undefined;
    if (!p) this.cache.set(key, (p = f()));
    return p;
  }

  kpis(windowS: number, txType: string | null, facility: string | null, at: Date): Promise<Kpis> {
    return this.once(`kpi|${windowS}|${txType ?? ''}|${facility ?? ''}|${at.getTime()}`, () =>
      // The p95 from the delay sketches, never the raw log (SPEC 4 allows it): a pass reads rollups.
      computeKpis(
        this.db,
        { from: new Date(at.getTime() - windowS * 1000), to: at, facility, txType },
        { exactP95Limit: 0 },
      ),
    );
  }

  async value(rule: RuleLike, facility: string | null, at: Date): Promise<number | null> {
    // Kinds that read no window (open exceptions now, the latest reconciliation) share one.
    const windowed = rule.kind === 'kpi' || rule.kind === 'new_exception_group';
    const windowS = parseDuration((windowed && rule.window) || DEFAULT_WINDOW);
    switch (rule.kind) {
      case 'kpi':
        return kpiValue(await this.kpis(windowS, rule.txType, facility, at), rule.kpi ?? 'messages');
      case 'open_exceptions':
        return (await this.kpis(windowS, rule.txType, facility, at)).openExceptions;
      case 'oldest_exception_age': {
        const oldest = (await this.kpis(windowS, rule.txType, facility, at)).oldestOpenException;
        // Its age at `at` (computeKpis measures it at the database's now).
        return oldest ? Math.max(0, Math.floor((at.getTime() - Date.parse(oldest.openedAt)) / 1000)) : 0;
      }
      case 'mismatch_value':
        return (await this.kpis(windowS, rule.txType, facility, at)).mismatchValue;
      case 'new_exception_group':
        return this.once(`groups|${windowS}|${rule.txType ?? ''}|${facility ?? ''}|${at.getTime()}`, () =>
          newGroups(this.db, new Date(at.getTime() - windowS * 1000), at, facility, rule.txType),
        );
      case 'review_overdue':
        return this.once(`review|${rule.dueBy}|${facility ?? ''}|${at.getTime()}`, () =>
          reviewOverdueSeconds(this.db, rule.dueBy ?? '09:00', facility, at),
        );
    }
  }
}

/**
 * Exception groups (fingerprints) seen for the first time in [from, to), or regressed there: an
 * exception of the group opened after the group's last resolution.
 */
export async function newGroups(
  db: Executor,
  from: Date,
  to: Date,
  facility: string | null,
  txType: string | null,
): Promise<number> {
  const fac = facility ? sql`and e.facility = ${facility}` : sql``;
  const tx = txType ? sql`and e.tx_type = ${txType}` : sql``;
  const [r] = await rows<{ n: number }>(
    db,
    sql`select count(distinct e.fingerprint)::float8 as n from exceptions e
        where e.opened_at >= ${from.toISOString()}::timestamptz and e.opened_at < ${to.toISOString()}::timestamptz
          ${fac} ${tx}
          and (not exists (select 1 from exceptions p where p.fingerprint = e.fingerprint
                 and p.opened_at < ${from.toISOString()}::timestamptz)
            or e.opened_at > (select max(r.resolved_at) from exceptions r
                 where r.fingerprint = e.fingerprint and r.state = 'resolved'))`,
  );
  return Number(r?.n ?? 0);
}

/**
 * Seconds past the day's due time (`dueBy`, UTC) that yesterday's daily review has gone without a
 * sign-off (for the facility, or for all facilities); 0 before the due time or once signed.
 */
export async function reviewOverdueSeconds(
  db: Executor,
  dueBy: string,
  facility: string | null,
  at: Date,
): Promise<number> {
  const day = at.toISOString().slice(0, 10);
  const due = Date.parse(`${day}T${dueBy}:00Z`);
  if (at.getTime() < due) return 0;
  const yesterday = new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const signed =
    (await getSignoff(db, 'daily', yesterday, facility)) ??
    (facility ? await getSignoff(db, 'daily', yesterday, null) : null);
  return signed ? 0 : Math.floor((at.getTime() - due) / 1000);
}

/** The hours of [from, to] a series has a point at (each hour's start, UTC). */
function hoursOf(from: Date, to: Date): Date[] {
  const out: Date[] = [];
  for (let t = Math.ceil(from.getTime() / 3_600_000) * 3_600_000; t <= to.getTime(); t += 3_600_000)
    out.push(new Date(t));
  return out;
}

/** Runs `f` over `items`, `n` at a time, keeping their order. */
async function pooled<T, R>(items: T[], n: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await f(items[i]);
      }
    }),
  );
  return out;
}

export type ValueSeries = Array<{ facility: string | null; points: Array<{ at: string; value: number | null }> }>;

/**
 * A rule's value at each hour of [from, to], as an evaluation at that hour would have read it, per
 * scope ('*': each facility): the rule form's 7-day preview and the alert page's chart.
 */
export async function ruleValueSeries(
  db: Executor,
  rule: RuleLike & { facility: string | null },
  from: Date,
  to: Date,
): Promise<ValueSeries> {
  const scopes = rule.facility === '*' ? await facilities(db) : [rule.facility];
  const hours = hoursOf(from, to);
  const reader = new RuleValueReader(db);
  const jobs = scopes.flatMap((facility) => hours.map((at) => ({ facility, at })));
  const values = await pooled(jobs, 4, (j) => reader.value(rule, j.facility, j.at));
  return scopes.map((facility, s) => ({
    facility,
    points: hours.map((at, i) => ({ at: at.toISOString(), value: values[s * hours.length + i] })),
  }));
}

/**
 * When a rule would have fired over a series of its values (evaluated at each point, no silences):
 * the times of the firing notifications, pendingFor and hysteresis included.
 */
export function firedAt(
  points: Array<{ at: string; value: number | null }>,
  rule: Pick<RuleConfig, 'op' | 'threshold' | 'resolveThreshold' | 'pendingFor' | 'notifyResolved'>,
): string[] {
  const timing: RuleTiming = {
    op: rule.op,
    threshold: rule.threshold,
    resolveThreshold: rule.resolveThreshold,
    pendingForS: parseDuration(rule.pendingFor),
    repeatEveryS: null,
    escalateAfterS: null,
    notifyResolved: rule.notifyResolved,
  };
  let s = NEW_ALERT;
  const out: string[] = [];
  for (const p of points) {
    const r = step(timing, s, { now: Date.parse(p.at), value: p.value, silenced: false });
    s = r.next;
    if (r.events.some((e) => e.event === 'firing')) out.push(p.at);
  }
  return out;
}
