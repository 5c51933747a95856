import Link from 'next/link';
import { signOffReview } from '@/app/(dashboard)/review/actions';
import { ReviewBar, ReviewExportLink } from '@/components/review/review-bar';
import { CausesTable } from '@/components/review/causes-table';
import { Count } from '@/components/review/flows-table';
import { SignoffCard } from '@/components/review/signoff-card';
import { Badge } from '@/components/ui/badge';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { can } from '@/lib/auth/permissions';
import { openReview } from '@/lib/review/open';
import { loadWeeklyReview } from '@/lib/review/weekly';
import { formatCount } from '@/lib/format';

export const metadata = { title: 'Weekly review' };


export default async function WeeklyReviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { user, p, db, signoff, facilityList } = await openReview('weekly', searchParams);
  const review = await loadWeeklyReview(db, p);
  const window = `range=custom&from=${p.from.toISOString()}&to=${p.to.toISOString()}`;
  const reconciles = can(user.role, 'reconciliation.read');
  const exceptionTotal = review.causes.reduce((a, r) => a + r.total, 0);

  return (
    <>
      <PageHeader
        title={`Weekly review: ${p.label}`}
        description={`The discrepancy drill-down for one week (UTC, Monday to Sunday)${p.facility ? ` at ${p.facility}` : ', all facilities'}: where exceptions came from, the SKUs behind them and behind stock differences, items whose UOM, lot or status trouble repeats, and changes nobody reviewed for integration.`}
      />
      <div className="space-y-4">
        <ReviewBar period={p} facilities={facilityList} />
        <SignoffCard period={p} signoff={signoff} action={signOffReview} />

        <Card>
          <CardHeader
            title={`Exceptions of the week by facility and root cause: ${formatCount(exceptionTotal)}`}
            description="Where the week's failures came from, and why."
            actions={<ReviewExportLink period={p} table="causes" />}
          />
          {review.causes.length === 0 ? <CardBody><EmptyState title="No exceptions opened this week" /></CardBody> : (
            <CausesTable
              caption="Exceptions of the week by facility and root cause"
              head="Facility"
              testId="weekly-cause"
              rows={review.causes.map((r) => ({ ...r, key: r.facility, label: <Link href={`/exceptions?state=all&facility=${encodeURIComponent(r.facility)}&${window}`} className="text-blue-700 hover:underline">{r.facility}</Link> }))}
            />
          )}
        </Card>

        <Card>
          <CardHeader
            title={`Exceptions of the week by customer: ${formatCount(review.customers.length)}${review.customers.length === 20 ? ' or more' : ''}`}
            description="Whom the week's failures hit: exceptions by the customer their messages name (senders give it on outbound documents as customer), most first, and why."
            actions={<ReviewExportLink period={p} table="customers" />}
          />
          {review.customers.length === 0 ? (
            <CardBody><EmptyState title="No customer named">None of this week&apos;s exceptions is on a message that names a customer.</EmptyState></CardBody>
          ) : (
            <CausesTable caption="Exceptions of the week by customer and root cause" head="Customer" testId="weekly-customer" stillOpen rows={review.customers.map((r) => ({ ...r, key: r.customer, label: r.customer }))} />
          )}
        </Card>

        <Card>
          <CardHeader
            title="Top discrepancy causes by SKU"
            description="SKUs by exceptions opened this week plus stock differences in the latest reconciliation of each facility (as the mismatches KPI counts them), with the main root cause and the suspected source (the last message type before the snapshot)."
            actions={<ReviewExportLink period={p} table="skus" />}
          />
          {review.skus.length === 0 ? <CardBody><EmptyState title="No SKU behind an exception or a difference this week" /></CardBody> : (
            <Table caption="Top discrepancy causes by SKU">
              <thead><tr><Th>SKU</Th><Th>Facilities</Th><Th align="right">Exceptions</Th><Th>Main root cause</Th><Th align="right">Differences</Th><Th>Kinds</Th><Th>Suspected source</Th></tr></thead>
              <tbody>
                {review.skus.map((s) => (
                  <tr key={s.sku} data-testid="weekly-sku">
                    <Td className="font-mono">{reconciles && s.facilities.length === 1 ? <Link href={`/reconciliation?facility=${encodeURIComponent(s.facilities[0])}&sku=${encodeURIComponent(s.sku)}`} className="text-blue-700 hover:underline">{s.sku}</Link> : s.sku}</Td>
                    <Td className="text-xs">{s.facilities.join(', ')}</Td>
                    <Td align="right"><Count value={s.exceptions} /></Td>
                    <Td className="text-xs">{s.mainCause ? s.mainCause.replace('_', ' ') : '—'}</Td>
                    <Td align="right"><Count value={s.differences} /></Td>
                    <Td className="text-xs">{s.kinds.join(', ') || '—'}</Td>
                    <Td className="text-xs">{s.sources.join(', ') || '—'}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </Card>

        <div className="grid gap-4 2xl:grid-cols-2">
          <Card>
            <CardHeader
              title={`Items with repeated UOM, lot or status issues: ${formatCount(review.repeated.length)}`}
              description="Counted over this week's exceptions (UOM…, LOT… and status errors), the differences of every reconciliation finished this week, and what the master data audit finds now. Two or more make an item repeated."
              actions={<ReviewExportLink period={p} table="repeated" />}
            />
            {review.repeated.length === 0 ? <CardBody><EmptyState title="No item with a repeated issue" /></CardBody> : (
              <Table caption="Items with repeated UOM, lot or status issues">
                <thead><tr><Th>SKU</Th><Th align="right">UOM</Th><Th align="right">Lot</Th><Th align="right">Status</Th><Th align="right">Total</Th></tr></thead>
                <tbody>
                  {review.repeated.map((r) => (
                    <tr key={r.sku} data-testid="weekly-repeated">
                      <Td className="font-mono">{can(user.role, 'masterdata.read') ? <Link href={`/master-data?sku=${encodeURIComponent(r.sku)}`} className="text-blue-700 hover:underline">{r.sku}</Link> : r.sku}</Td>
                      <Td align="right"><Count value={r.uom} /></Td>
                      <Td align="right"><Count value={r.lot} /></Td>
                      <Td align="right"><Count value={r.status} /></Td>
                      <Td align="right" className="font-semibold">{formatCount(r.total)}</Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
          </Card>

          <Card>
            <CardHeader
              title={`Changes without integration review: ${formatCount(review.changes.length)}`}
              description="Mapping, configuration and release changes of the week that the integration team did not review (changes carry no facility)."
              actions={<ReviewExportLink period={p} table="changes" />}
            />
            {review.changes.length === 0 ? <CardBody><EmptyState title="Every change of the week was reviewed" /></CardBody> : (
              <Table caption="Changes without integration review">
                <thead><tr><Th>At</Th><Th>System</Th><Th>Kind</Th><Th>Summary</Th></tr></thead>
                <tbody>
                  {review.changes.map((c) => (
                    <tr key={c.changeId} data-testid="weekly-change">
                      <Td><Time iso={c.at} /></Td>
                      <Td><Badge tone={c.system === 'erp' ? 'info' : 'neutral'}>{c.system.toUpperCase()}</Badge></Td>
                      <Td>{c.kind}</Td>
                      <Td>{c.summary}</Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
          </Card>
        </div>
      </div>
    </>
  );
}
