/**
 * The weekly discrepancy drill-down (SPEC 6): the top causes of discrepancies by facility and SKU,
 * items whose UOM, lot or status trouble repeats, and changes made without integration review.
 */
import 'server-only';
import { sql } from 'drizzle-orm';
import { andFacility, inWindow, isoText, rows, type Executor } from '@/db';
import { exceptionsByCause, type CauseCounts, type ReviewScope } from '@/lib/review/daily';

export interface CausesOfFacility extends CauseCounts {
  facility: string;
}

export interface CausesOfCustomer extends CauseCounts {
  customer: string;
}

/** How many customers `causesByCustomer` lists unless told: as many means there may be more. */
export const CUSTOMERS_LISTED = 20;

/**
 * Exceptions opened in the window per customer (the `customer` of their messages, where the sender
 * gives one) and root cause, the most troubled first.
 */
export async function causesByCustomer(
  db: Executor,
  p: ReviewScope,
  limit = CUSTOMERS_LISTED,
): Promise<CausesOfCustomer[]> {
  return (await exceptionsByCause(db, p, 'customer')).slice(0, limit).map(({ key, ...c }) => ({ customer: key, ...c }));
}

/** Exceptions opened in the window per facility and root cause, the most troubled facility first. */
export async function causesByFacility(db: Executor, p: ReviewScope): Promise<CausesOfFacility[]> {
  return (await exceptionsByCause(db, p, 'facility')).map(({ key, ...c }) => ({ facility: key, ...c }));
}

/**
 * The latest succeeded reconciliation of each facility, whatever the window: the stock picture the
 * `mismatches` KPI counts (SPEC 4).
 */
const latestRuns = (p: ReviewScope) => sql`(
  select distinct on (facility) id from reconciliation_runs
  where status = 'succeeded' ${andFacility('facility', p.facility)}
  order by facility, finished_at desc, id desc)`;

export interface SkuCause {
  sku: string;
  facilities: string[];
  exceptions: number;
  /** The most frequent root cause of those exceptions, or null. */
  mainCause: string | null;
  /** Differences of that SKU in the latest reconciliation of each facility (whatever the window, as `mismatches`). */
  differences: number;
  kinds: string[];
  /** Suspected sources of those differences (the txType of the last message before the snapshot). */
  sources: string[];
}

/** The SKUs behind the most exceptions opened in the window and the most stock differences now. */
export async function topSkus(db: Executor, p: ReviewScope, limit = 20): Promise<SkuCause[]> {
  const r = await rows<SkuCause>(
    db,
    sql`with e as (
          select sku, count(*)::int as n, array_agg(distinct facility order by facility) as facilities, mode() within
            group (order by root_cause) as cause
          from exceptions where sku is not null and ${inWindow('opened_at', p)} ${andFacility('facility', p.facility)}
          group by sku
        ), d as (
          select sku, count(*)::int as n, array_agg(distinct facility order by facility) as facilities,
            array_agg(distinct kind order by kind) as kinds, array_agg(distinct suspected_source order by
              suspected_source) as sources
          from reconciliation_differences where run_id in ${latestRuns(p)}
          group by sku
        )
        select coalesce(e.sku, d.sku) as sku,
          array(select distinct f from unnest(coalesce(e.facilities, '{}') || coalesce(d.facilities, '{}')) f order by
            f) as facilities,
          coalesce(e.n, 0) as exceptions, e.cause as "mainCause", coalesce(d.n, 0) as differences,
          coalesce(d.kinds, '{}') as kinds, coalesce(d.sources, '{}') as sources
        from e full join d on d.sku = e.sku
        order by coalesce(e.n, 0) + coalesce(d.n, 0) desc, 1
        limit ${limit}`,
  );
  return r.map((x) => ({ ...x, exceptions: Number(x.exceptions), differences: Number(x.differences) }));
}

export interface RepeatedIssue {
  sku: string;
  uom: number;
  lot: number;
  status: number;
  total: number;
}

/**
 * Items whose UOM, lot or status trouble comes back: counted over the window's exceptions (error
 * codes UOM…, LOT…, and master data errors naming a status), the differences of every reconciliation
 * finished in the window (`uom`, `lot`), and what the master data audit finds now (base UOM or
 * conversion factors, lot control, status). Two or more in all make an item repeated.
 */
export async function repeatedItemIssues(db: Executor, p: ReviewScope, limit = 50): Promise<RepeatedIssue[]> {
  const r = await rows<RepeatedIssue>(
    db,
    sql`with issues(sku, what) as (
          select sku, case when error_code ~* '^UOM' then 'uom' when error_code ~* '^LOT' then 'lot' else 'status' end
          from exceptions
          where sku is not null and ${inWindow('opened_at', p)} ${andFacility('facility', p.facility)}
            and (error_code ~* '^(UOM|LOT)' or (root_cause = 'master_data' and (error_code ~* 'STATUS|BLOCKED|INACTIVE'
              or error_message ~* 'status')))
          union all
          select d.sku, d.kind from reconciliation_differences d join reconciliation_runs r on r.id = d.run_id
          where r.status = 'succeeded' and ${inWindow('r.finished_at', p)} ${andFacility('r.facility', p.facility)} and
            d.kind in ('uom', 'lot')
          union all
          select sku, case kind when 'lot_control' then 'lot' when 'status' then 'status' else 'uom' end
          from master_data_findings where kind in ('base_uom', 'conversion', 'lot_control', 'status')
        )
        select sku, count(*) filter (where what = 'uom')::int as uom, count(*) filter (where what = 'lot')::int as lot,
          count(*) filter (where what = 'status')::int as status, count(*)::int as total
        from issues group by sku having count(*) >= 2
        order by total desc, sku limit ${limit}`,
  );
  return r.map((x) => ({
    sku: x.sku,
    uom: Number(x.uom),
    lot: Number(x.lot),
    status: Number(x.status),
    total: Number(x.total),
  }));
}

export interface UnreviewedChange {
  changeId: string;
  at: string;
  system: string;
  kind: string;
  summary: string;
}

/** Change-log entries of the window that integration did not review (every facility: changes carry none). */
export function unreviewedChanges(db: Executor, p: ReviewScope): Promise<UnreviewedChange[]> {
  return rows<UnreviewedChange>(
    db,
    sql`select change_id as "changeId", ${isoText('at')} as at, system, kind, summary from change_log
        where not integration_reviewed and ${inWindow('at', p)} order by at desc, change_id`,
  );
}
