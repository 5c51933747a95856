import { signOffReview } from '@/app/(dashboard)/review/actions';
import { ReviewBar } from '@/components/review/review-bar';
import { SignoffCard } from '@/components/review/signoff-card';
import {
  CausesByCustomerCard,
  CausesByFacilityCard,
  RepeatedIssuesCard,
  TopSkusOfWeekCard,
  UnreviewedChangesCard,
} from '@/components/review/weekly-cards';
import { CardSlot } from '@/components/ui/card-slot';
import { PageHeader } from '@/components/ui/page-header';
import { can } from '@/lib/auth/permissions';
import { flatParams, type RawParams } from '@/lib/http/search-params';
import { openReview } from '@/lib/review/open';

export const metadata = { title: 'Weekly review' };

export default async function WeeklyReviewPage({ searchParams }: { searchParams: Promise<RawParams> }) {
  const { user, p, signoff, facilityList } = await openReview('weekly', flatParams(await searchParams));
  const where = p.facility ? ` at ${p.facility}` : ', all facilities';
  return (
    <>
      <PageHeader
        title={`Weekly review: ${p.label}`}
        description={
          `The discrepancy drill-down for one week (UTC, Monday to Sunday)${where}: ` +
          'where exceptions came from, the SKUs behind them and behind stock differences, items whose UOM, lot or ' +
          'status trouble repeats, and changes nobody reviewed for integration.'
        }
      />
      <div className="space-y-4">
        <ReviewBar period={p} facilities={facilityList} />
        <SignoffCard period={p} signoff={signoff} action={signOffReview} />
        <CardSlot name="causes">
          <CausesByFacilityCard period={p} />
        </CardSlot>
        <CardSlot name="customers">
          <CausesByCustomerCard period={p} />
        </CardSlot>
        <CardSlot name="skus" rows={8}>
          <TopSkusOfWeekCard period={p} reconciles={can(user.role, 'reconciliation.read')} />
        </CardSlot>
        <div className="grid gap-4 2xl:grid-cols-2">
          <CardSlot name="repeated">
            <RepeatedIssuesCard period={p} readsMasterData={can(user.role, 'masterdata.read')} />
          </CardSlot>
          <CardSlot name="changes">
            <UnreviewedChangesCard period={p} />
          </CardSlot>
        </div>
      </div>
    </>
  );
}
