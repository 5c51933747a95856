/**
 * The monthly review (SPEC 6): transaction totals by type reconciled across both systems, and the
 * fields both systems own, whose precedence rule the month's review confirms.
 */
import 'server-only';
import { asc, eq } from 'drizzle-orm';
import type { Executor } from '@/db';
import { ownershipMatrix } from '@/db/schema';
import { flowsBetweenSystems, type Flow, type ReviewScope } from '@/lib/review/daily';

/** Every transaction type with traffic in the month, sent against posted, from the daily rollups. */
export const monthTotals = (db: Executor, p: ReviewScope): Promise<Flow[]> =>
  flowsBetweenSystems(db, p, { grain: 'daily' });

export function sharedFields(db: Executor) {
  return db
    .select({
      dataObject: ownershipMatrix.dataObject,
      field: ownershipMatrix.field,
      precedence: ownershipMatrix.precedence,
    })
    .from(ownershipMatrix)
    .where(eq(ownershipMatrix.owner, 'shared'))
    .orderBy(asc(ownershipMatrix.dataObject), asc(ownershipMatrix.field));
}

export interface MonthlyReview {
  totals: Flow[];
  shared: Awaited<ReturnType<typeof sharedFields>>;
}

export async function loadMonthlyReview(db: Executor, p: ReviewScope): Promise<MonthlyReview> {
  const [totals, shared] = await Promise.all([monthTotals(db, p), sharedFields(db)]);
  return { totals, shared };
}
