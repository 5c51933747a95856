import Link from 'next/link';
import { Suspense } from 'react';
import { signOffReview } from '@/app/(dashboard)/review/actions';
import { ReviewBar, ReviewExportLink } from '@/components/review/review-bar';
import { LifecycleCard } from '@/components/review/lifecycle-card';
import { OwnershipCard } from '@/components/review/ownership-card';
import { ReversalsCard } from '@/components/review/reversals-card';
import { PairsTable } from '@/components/corrections/pairs-table';
import { CausesTable } from '@/components/review/causes-table';
import { Count, FlowsTable } from '@/components/review/flows-table';
import { SignoffCard } from '@/components/review/signoff-card';
import { Badge } from '@/components/ui/badge';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, Td, Th } from '@/components/ui/table';
import { can } from '@/lib/auth/permissions';
import { formatCount, formatValue } from '@/lib/format';
import { AGE_BUCKETS, loadDailyReview } from '@/lib/review/daily';
import { openReview } from '@/lib/review/open';

export const metadata = { title: 'Daily review' };

const TONE_TEXT = { ok: 'within threshold', warn: 'amber', bad: 'red', neutral: 'no threshold' } as const;
const TONE_BADGE = { ok: 'ok', warn: 'warn', bad: 'bad', neutral: 'neutral' } as const;

export default async function DailyReviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { user, p, db, signoff, facilityList, fac, windowQuery: dayWindow } = await openReview('daily', searchParams);
  const review = await loadDailyReview(db, p);
  const outside = review.kpis.filter((k) => k.band === 'below' || k.band === 'above');
  const overThreshold = review.kpis.filter((k) => k.tone === 'warn' || k.tone === 'bad');
  const openTotal = review.openByAge.reduce((a, r) => a + r.total, 0);
  const failedTotal = review.failures.reduce((a, r) => a + r.total, 0);

  return (
    <>
      <PageHeader
        title={`Daily review: ${p.label}`}
        description={`The checks of the morning meeting for one UTC day${p.facility ? ` at ${p.facility}` : ', all facilities'}: what is open and how old, what failed, whether receipts, shipments and adjustments reached the other system, documents that broke their flow, field changes against the ownership matrix, adjustments reversed, corrections keyed twice, and KPIs outside their band.`}
      />
      <div className="space-y-4">
        <ReviewBar period={p} facilities={facilityList} />

        <SignoffCard period={p} signoff={signoff} action={signOffReview} />

        <Card>
          <CardHeader
            title={`KPIs outside their normal band: ${outside.length} of ${review.kpis.length} · amber or red: ${overThreshold.length}`}
            description="The day's value against its normal band (the mean of the seven days before, plus or minus two standard deviations) and against its threshold. Rows that need a look are shaded."
            actions={<ReviewExportLink period={p} table="kpis" />}
          />
          <Table caption="KPIs of the day against their band">
            <thead><tr><Th>KPI</Th><Th align="right">This day</Th><Th align="right">Normal band (7 days before)</Th><Th>Against the band</Th><Th>Threshold</Th></tr></thead>
            <tbody>
              {review.kpis.map((k) => (
                <tr key={k.key} data-testid="kpi-check" className={k.flagged ? 'bg-amber-50/50' : undefined}>
                  <Td>{k.label}</Td>
                  <Td align="right">{formatValue(k.value, k.format)}</Td>
                  <Td align="right">{k.low === null ? '—' : `${formatValue(k.low, k.format)} – ${formatValue(k.high, k.format)}`}</Td>
                  <Td>{k.band === 'above' || k.band === 'below' ? <strong className="text-amber-800">{k.band} its band</strong> : <span className="text-slate-500">{k.band === 'within' ? 'within its band' : 'no band yet'}</span>}</Td>
                  <Td><Badge tone={TONE_BADGE[k.tone]}>{TONE_TEXT[k.tone]}</Badge></Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Card>

        <div className="grid gap-4 2xl:grid-cols-2">
          <Card>
            <CardHeader
              title={`Open exceptions by age: ${formatCount(openTotal)}`}
              description="Open or acknowledged right now, whatever the day, by transaction type and how long they have been open."
              actions={<ReviewExportLink period={p} table="open" />}
            />
            {review.openByAge.length === 0 ? <CardBody><EmptyState title="Nothing open">No exception is open{p.facility ? ` at ${p.facility}` : ''}.</EmptyState></CardBody> : (
              <Table caption="Open exceptions by age and type">
                <thead><tr><Th>Tx type</Th>{AGE_BUCKETS.map(([label]) => <Th key={label} align="right">{label}</Th>)}<Th align="right">Total</Th></tr></thead>
                <tbody>
                  {review.openByAge.map((r) => (
                    <tr key={r.txType} data-testid="open-by-age">
                      <Td><Link href={`/exceptions?state=open&sort=age&txType=${r.txType}${fac}`} className="text-blue-700 hover:underline">{r.txType}</Link></Td>
                      {r.ages.map((a, i) => <Td key={i} align="right" className={a && i >= 3 ? 'font-semibold text-red-800' : undefined}><Count value={a} /></Td>)}
                      <Td align="right" className="font-semibold">{formatCount(r.total)}</Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
          </Card>

          <Card>
            <CardHeader
              title={`Failures of the day: ${formatCount(failedTotal)}`}
              description="Exceptions opened that day, by transaction type and root cause, and how many of them are still open."
              actions={<ReviewExportLink period={p} table="failures" />}
            />
            {review.failures.length === 0 ? <CardBody><EmptyState title="No failures that day" /></CardBody> : (
              <CausesTable
                caption="Failures of the day by type and root cause"
                head="Tx type"
                testId="failures-of-day"
                stillOpen
                rows={review.failures.map((r) => ({ ...r, key: r.txType, label: <Link href={`/exceptions?state=all&txType=${r.txType}&${dayWindow}`} className="text-blue-700 hover:underline">{r.txType}</Link> }))}
              />
            )}
          </Card>
        </div>

        <Card>
          <CardHeader
            title="Receipts, shipments and adjustments between the systems"
            description="Messages created that day by the sending system, against what the receiving system posted, what failed, and what neither has happened to yet (pending or retrying). A gap that stays open is stock one system has and the other does not."
            actions={<ReviewExportLink period={p} table="flows" />}
          />
          <FlowsTable flows={review.flows} caption="Flows of the day between the systems" testId="flow" messagesQuery={can(user.role, 'payloads.read') ? dayWindow : null} />
        </Card>

        <Suspense fallback={<Skeleton className="h-64" />}>
          <LifecycleCard period={p} readsLog={can(user.role, 'payloads.read')} />
        </Suspense>

        <Suspense fallback={<Skeleton className="h-40" />}>
          <OwnershipCard period={p} readsPayloads={can(user.role, 'payloads.read')} />
        </Suspense>

        <Suspense fallback={<Skeleton className="h-40" />}>
          <ReversalsCard period={p} readsLog={can(user.role, 'payloads.read')} />
        </Suspense>

        <Card>
          <CardHeader
            title={`Corrections keyed in both systems: ${formatCount(review.pairs.length)}`}
            description="Pairs of an ERP and a WMS correction of the same facility, SKU and lot and quantity, at most 24 h apart, in corrections made that day."
            actions={<ReviewExportLink period={p} table="pairs" />}
          />
          {review.pairs.length === 0 ? <CardBody><EmptyState title="No correction keyed twice that day" /></CardBody> : (
            <>
              <PairsTable pairs={review.pairs.slice(0, 10)} caption="Corrections keyed in both systems" testId="review-pair" />
              <CardBody className="flex gap-4 text-sm">
                {review.pairs.length > 10 ? <span className="text-slate-500">The 10 newest of {formatCount(review.pairs.length)}; the export has them all.</span> : null}
                {can(user.role, 'corrections.read') ? <Link href={`/corrections?${dayWindow}`} className="text-blue-700 hover:underline">All corrections of the day →</Link> : null}
              </CardBody>
            </>
          )}
        </Card>
      </div>
    </>
  );
}
