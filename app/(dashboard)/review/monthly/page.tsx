import Link from 'next/link';
import { signOffReview } from '@/app/(dashboard)/review/actions';
import { ReviewBar, ReviewExportLink } from '@/components/review/review-bar';
import { SignoffCard } from '@/components/review/signoff-card';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th } from '@/components/ui/table';
import { getDb } from '@/db';
import { can } from '@/lib/auth/permissions';
import { requireCapability } from '@/lib/auth/session';
import { formatDuration } from '@/lib/format';
import { facilities } from '@/lib/kpi/series';
import { loadMonthlyReview } from '@/lib/review/monthly';
import { reviewPeriod } from '@/lib/review/period';
import { getSignoff } from '@/lib/review/signoff';

export const metadata = { title: 'Monthly review' };

const n = (v: number) => v.toLocaleString('en-US');

export default async function MonthlyReviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireCapability('overview.read');
  const raw = await searchParams;
  const flat = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])) as Record<string, string | undefined>;
  const p = reviewPeriod('monthly', flat);
  const db = await getDb();
  const [review, signoff, facilityList] = await Promise.all([loadMonthlyReview(db, p), getSignoff(db, 'monthly', p.key, p.facility), facilities(db)]);
  const fac = p.facility ? `&facility=${encodeURIComponent(p.facility)}` : '';
  const window = `range=custom&from=${p.from.toISOString()}&to=${p.to.toISOString()}${fac}`;
  const sum = review.totals.reduce((a, f) => ({ sent: a.sent + f.sent, posted: a.posted + f.posted, failed: a.failed + f.failed, waiting: a.waiting + f.waiting }), { sent: 0, posted: 0, failed: 0, waiting: 0 });

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
            <Table caption="Transaction totals by type across both systems">
              <thead><tr><Th>Tx type</Th><Th>Direction</Th><Th align="right">Sent</Th><Th align="right">Posted</Th><Th align="right">Failed</Th><Th align="right">Not yet</Th><Th align="right">Unposted</Th><Th align="right">Avg delay</Th></tr></thead>
              <tbody>
                {review.totals.map((f) => (
                  <tr key={`${f.txType}-${f.direction}`} data-testid="monthly-total">
                    <Td>{can(user.role, 'payloads.read') ? <Link href={`/messages?txType=${f.txType}&${window}`} className="text-blue-700 hover:underline">{f.txType}</Link> : f.txType}</Td>
                    <Td className="text-xs">{f.direction === 'wms_to_erp' ? 'WMS → ERP' : 'ERP → WMS'}</Td>
                    <Td align="right">{n(f.sent)}</Td>
                    <Td align="right">{n(f.posted)}</Td>
                    <Td align="right" className={f.failed ? 'text-red-800' : undefined}>{n(f.failed)}</Td>
                    <Td align="right" className={f.waiting ? 'text-amber-800' : undefined}>{n(f.waiting)}</Td>
                    <Td align="right">{f.sent ? `${(((f.sent - f.posted) / f.sent) * 100).toFixed(2)}%` : '—'}</Td>
                    <Td align="right">{f.avgDelayMs === null ? '—' : formatDuration(f.avgDelayMs)}</Td>
                  </tr>
                ))}
                <tr className="border-t-2 border-slate-300 font-semibold">
                  <Td>All types</Td>
                  <Td />
                  <Td align="right">{n(sum.sent)}</Td>
                  <Td align="right">{n(sum.posted)}</Td>
                  <Td align="right">{n(sum.failed)}</Td>
                  <Td align="right">{n(sum.waiting)}</Td>
                  <Td align="right">{sum.sent ? `${(((sum.sent - sum.posted) / sum.sent) * 100).toFixed(2)}%` : '—'}</Td>
                  <Td />
                </tr>
              </tbody>
            </Table>
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
