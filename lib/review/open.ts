/** What every review page reads first: the user, its period and facility, its sign-off, the facilities. */
import 'server-only';
import type { ReviewCadence } from '@/db/schema';
import { requireCapability } from '@/lib/auth/session';
import { facilities } from '@/lib/kpi/series';
import { reviewPeriod } from '@/lib/review/period';
import { getSignoff } from '@/lib/review/signoff';
import { readDb } from '@/lib/http/read';

/** `params`: the page's query, one value per key (lib/http/search-params `flatParams`). */
export async function openReview(cadence: ReviewCadence, params: Record<string, string | undefined>) {
  const user = await requireCapability('overview.read');
  const p = reviewPeriod(cadence, params);
  const db = await readDb();
  const [signoff, facilityList] = await Promise.all([getSignoff(db, cadence, p.key, p.facility), facilities(db)]);
  const fac = p.facility ? `&facility=${encodeURIComponent(p.facility)}` : '';
  /** The period as a custom window of the other pages, with the facility. */
  const windowQuery = `range=custom&from=${p.from.toISOString()}&to=${p.to.toISOString()}${fac}`;
  return { user, p, db, signoff, facilityList, fac, windowQuery };
}
