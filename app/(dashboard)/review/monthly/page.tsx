import { signOffReview } from '@/app/(dashboard)/review/actions';
import { MonthTotalsCard, SharedFieldsCard } from '@/components/review/monthly-cards';
import { ReviewBar } from '@/components/review/review-bar';
import { SignoffCard } from '@/components/review/signoff-card';
import { CardSlot } from '@/components/ui/card-slot';
import { PageHeader } from '@/components/ui/page-header';
import { can } from '@/lib/auth/permissions';
import { flatParams, type RawParams } from '@/lib/http/search-params';
import { openReview } from '@/lib/review/open';

export const metadata = { title: 'Monthly review' };

export default async function MonthlyReviewPage({ searchParams }: { searchParams: Promise<RawParams> }) {
  const { user, p, signoff, facilityList, windowQuery } = await openReview('monthly', flatParams(await searchParams));
  const where = p.facility ? ` at ${p.facility}` : ', all facilities';
  return (
    <>
      <PageHeader
        title={`Monthly review: ${p.label}`}
        description={
          `Before the books close${where}: every transaction type sent by one ` +
          'system against what the other posted, and the fields both systems own.'
        }
      />
      <div className="space-y-4">
        <ReviewBar period={p} facilities={facilityList} />
        <SignoffCard period={p} signoff={signoff} action={signOffReview} />
        <CardSlot name="totals" rows={8}>
          <MonthTotalsCard period={p} messagesQuery={can(user.role, 'payloads.read') ? windowQuery : null} />
        </CardSlot>
        <CardSlot name="shared">
          <SharedFieldsCard period={p} />
        </CardSlot>
      </div>
    </>
  );
}
