import { signOffReview } from '@/app/(dashboard)/review/actions';
import { ReviewBar, ReviewExportLink } from '@/components/review/review-bar';
import { FlowsTable } from '@/components/review/flows-table';
import { SignoffCard } from '@/components/review/signoff-card';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th } from '@/components/ui/table';
import { can } from '@/lib/auth/permissions';
import { loadMonthlyReview } from '@/lib/review/monthly';
import { openReview } from '@/lib/review/open';

export const metadata = { title: 'Monthly review' };


export default async function MonthlyReviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { user, p, db, signoff, facilityList, windowQuery } = await openReview('monthly', searchParams);
  const review = await loadMonthlyReview(db, p);

  return (
    <>
      <PageHeader
        title={`Monthly review: ${p.label}`}
        description={`Before the books close${p.facility ? ` at ${p.facility}` : ', all facilities'}: every transaction type sent by one system against what the other posted, and the fields both systems own.`}
      />
      <div className="space-y-4">
        <ReviewBar period={p} facilities={facilityList} />
        <SignoffCard period={p} signoff={signoff} action={signOffReview} />

        <Card>
          <CardHeader
            title="Transaction totals by type, reconciled across both systems"
            description="Messages created in the month by the sending system, against what the receiving system posted, what failed and what neither has happened to yet. Every unposted message is a posting one system has and the other lacks."
            actions={<ReviewExportLink period={p} table="totals" />}
          />
          {review.totals.length === 0 ? <CardBody><EmptyState title="No messages in this month" /></CardBody> : (
            <FlowsTable flows={review.totals} caption="Transaction totals by type across both systems" testId="monthly-total" messagesQuery={can(user.role, 'payloads.read') ? windowQuery : null} total />
          )}
        </Card>

        <Card>
          <CardHeader
            title={`Shared fields in the ownership matrix: ${review.shared.length}`}
            description="Fields both systems may change. Confirm the precedence rule still holds; a field that one system should own belongs to it alone (Admin → Ownership matrix)."
            actions={<ReviewExportLink period={p} table="shared" />}
          />
          {review.shared.length === 0 ? <CardBody><EmptyState title="No shared field">Every field has one owner.</EmptyState></CardBody> : (
            <Table caption="Shared fields">
              <thead><tr><Th>Data object</Th><Th>Field</Th><Th>Precedence</Th></tr></thead>
              <tbody>
                {review.shared.map((s) => (
                  <tr key={`${s.dataObject}.${s.field}`} data-testid="monthly-shared">
                    <Td>{s.dataObject}</Td>
                    <Td className="font-mono text-xs">{s.field}</Td>
                    <Td>{s.precedence ?? <span className="text-amber-800">none set</span>}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </Card>
      </div>
    </>
  );
}
