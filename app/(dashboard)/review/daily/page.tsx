import { signOffReview } from '@/app/(dashboard)/review/actions';
import { FailuresCard, FlowsCard, KpiBandCard, OpenByAgeCard, ReviewPairsCard } from '@/components/review/daily-cards';
import { LifecycleCard } from '@/components/review/lifecycle-card';
import { OwnershipCard } from '@/components/review/ownership-card';
import { ReversalsCard } from '@/components/review/reversals-card';
import { ReviewBar } from '@/components/review/review-bar';
import { SignoffCard } from '@/components/review/signoff-card';
import { CardSlot } from '@/components/ui/card-slot';
import { PageHeader } from '@/components/ui/page-header';
import { can } from '@/lib/auth/permissions';
import { flatParams, type RawParams } from '@/lib/http/search-params';
import { openReview } from '@/lib/review/open';

export const metadata = { title: 'Daily review' };

export default async function DailyReviewPage({ searchParams }: { searchParams: Promise<RawParams> }) {
  const { user, p, signoff, facilityList, windowQuery } = await openReview('daily', flatParams(await searchParams));
  const day = { period: p, query: windowQuery };
  const readsLog = can(user.role, 'payloads.read');
  const where = p.facility ? ` at ${p.facility}` : ', all facilities';

  return (
    <>
      <PageHeader
        title={`Daily review: ${p.label}`}
        description={
          `The checks of the morning meeting for one UTC day${where}: ` +
          'what is open and how old, what failed, whether receipts, shipments and adjustments reached the other ' +
          'system, documents that broke their flow, field changes against the ownership matrix, adjustments ' +
          'reversed, corrections keyed twice, and KPIs outside their band.'
        }
      />
      <div className="space-y-4">
        <ReviewBar period={p} facilities={facilityList} />
        <SignoffCard period={p} signoff={signoff} action={signOffReview} />
        <CardSlot name="kpi-band" rows={8}>
          <KpiBandCard period={p} />
        </CardSlot>
        <div className="grid gap-4 2xl:grid-cols-2">
          <CardSlot name="open-by-age">
            <OpenByAgeCard period={p} />
          </CardSlot>
          <CardSlot name="failures">
            <FailuresCard {...day} />
          </CardSlot>
        </div>
        <CardSlot name="flows">
          <FlowsCard {...day} readsLog={readsLog} />
        </CardSlot>
        <CardSlot name="lifecycle" rows={6}>
          <LifecycleCard period={p} readsLog={readsLog} />
        </CardSlot>
        <CardSlot name="ownership">
          <OwnershipCard period={p} readsPayloads={readsLog} />
        </CardSlot>
        <CardSlot name="reversals">
          <ReversalsCard period={p} readsLog={readsLog} />
        </CardSlot>
        <CardSlot name="pairs">
          <ReviewPairsCard {...day} readsCorrections={can(user.role, 'corrections.read')} />
        </CardSlot>
      </div>
    </>
  );
}
