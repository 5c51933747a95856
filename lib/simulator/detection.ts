/**
 * The queries the scenarios' expectations read the product's findings with, over one loaded
 * simulation. The regression suite builds them and hands them to each `expect`, so the scenario
 * modules (and everything that simulates) stay free of the detectors at run time.
 */
import { sql, type SQL } from 'drizzle-orm';
import { rows, textArray, type Db } from '@/db';
import { lifecycleFindingsIn } from '@/lib/detect/lifecycle-log';
import { ownershipConflictsIn } from '@/lib/detect/ownership-log';
import { reversalsIn } from '@/lib/detect/reversals-log';
import { computeKpis, type KpiScope } from '@/lib/kpi/kpis';
import { reconcileNow } from '@/lib/recon/reconcile';

export function detectionQueries(db: Db, window: { from: Date; to: Date }, until: Date) {
  const everywhere = { ...window, facility: null };
  const lifecycleFindings = () => lifecycleFindingsIn(db, everywhere, until);
  return {
    rows: <T>(query: SQL) => rows<T>(db, query),
    /** The KPIs of the whole period, or of a part of it. */
    kpis: (scope: Omit<KpiScope, 'from' | 'to'> = {}) => computeKpis(db, { ...window, ...scope }),
    reconcile: (facility: string) => reconcileNow(db, facility, 'test'),
    lifecycleFindings,
    ownershipConflicts: () => ownershipConflictsIn(db, everywhere),
    reversals: () => reversalsIn(db, everywhere),

    /** The SKUs of the master data audit's findings of one kind. */
    async findingsFor(kind: string) {
      const found = await rows<{ sku: string }>(
        db,
        sql`select sku from master_data_findings where kind = ${kind} order by sku`,
      );
      return found.map((r) => r.sku);
    },

    /** How many exceptions carry `code`, their root cause and how many of them are resolved. */
    exceptionsWith: async (code: string) =>
      (
        await rows<{ n: number; cause: string; resolved: number }>(
          db,
          sql`select count(*)::int as n, min(root_cause) as cause,
                count(*) filter (where state = 'resolved')::int as resolved
              from exceptions where error_code = ${code}`,
        )
      )[0],

    /** The documents whose latest receipt the lifecycle check finds short of, or beyond, its order. */
    async quantityFindings(kind: 'open_quantity' | 'over_received') {
      const found = await lifecycleFindings();
      return [...new Set(found.filter((f) => f.kinds.includes(kind)).map((f) => f.correlationKey))].sort();
    },

    /** Of these documents (purchase orders), those that had a receipt before the simulation ended. */
    async withReceipts(docs: string[]) {
      const r = await rows<{ doc: string }>(
        db,
        sql`select distinct correlation_key as doc from integration_messages
            where tx_type = 'receipt' and correlation_key = any(${textArray(docs)}::text[])`,
      );
      return r.map((x) => x.doc).sort();
    },
  };
}

export type DetectionQueries = ReturnType<typeof detectionQueries>;
