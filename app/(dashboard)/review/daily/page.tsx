import Link from 'next/link';
import { signOffReview } from '@/app/(dashboard)/review/actions';
import { SignoffForm } from '@/components/review/signoff-form';
import { Badge } from '@/components/ui/badge';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { getDb } from '@/db';
import { ROOT_CAUSES } from '@/db/schema';
import { can } from '@/lib/auth/permissions';
import { requireCapability } from '@/lib/auth/session';
import { formatDuration, formatValue } from '@/lib/format';
import { facilities } from '@/lib/kpi/series';
import { AGE_BUCKETS, dailyParams, loadDailyReview } from '@/lib/review/daily';
import { utcDay } from '@/lib/time';
import { getSignoff } from '@/lib/review/signoff';

export const metadata = { title: 'Daily review' };

const n = (v: number) => v.toLocaleString('en-US');
const DAY_MS = 86_400_000;
const TONE_TEXT = { ok: 'within threshold', warn: 'amber', bad: 'red', neutral: 'no threshold' } as const;
const TONE_BADGE = { ok: 'ok', warn: 'warn', bad: 'bad', neutral: 'neutral' } as const;

function ExportLink({ table, q }: { table: string; q: string }) {
  return (
    <a href={`/api/export/review/daily?${q}&table=${table}`} download className="shrink-0 text-xs text-blue-700 hover:underline">
      Export CSV
    </a>
  );
}

export default async function DailyReviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireCapability('overview.read');
  const raw = await searchParams;
  const flat = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])) as Record<string, string | undefined>;
  const p = dailyParams(flat);
  const db = await getDb();
  const [review, signoff, facilityList] = await Promise.all([loadDailyReview(db, p), getSignoff(db, 'daily', p.day, p.facility), facilities(db)]);

  const q = new URLSearchParams({ day: p.day, ...(p.facility ? { facility: p.facility } : {}) }).toString();
  const dayLink = (offset: number) => `?${new URLSearchParams({ day: utcDay(new Date(p.from.getTime() + offset * DAY_MS)), ...(p.facility ? { facility: p.facility } : {}) })}`;
  const isLatest = p.day >= utcDay(new Date());
  const fac = p.facility ? `&facility=${encodeURIComponent(p.facility)}` : '';
  const dayWindow = `range=custom&from=${p.from.toISOString()}&to=${p.to.toISOString()}${fac}`;
  const title = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(p.from);
  const outside = review.kpis.filter((k) => k.outside);
  const openTotal = review.openByAge.reduce((a, r) => a + r.total, 0);
  const failedTotal = review.failures.reduce((a, r) => a + r.total, 0);

  return (
    <>
      <PageHeader
        title={`Daily review: ${title}`}
        description={`The checks of the morning meeting for one UTC day${p.facility ? ` at ${p.facility}` : ', all facilities'}: what is open and how old, what failed, whether receipts, shipments and adjustments reached the other system, corrections keyed twice, and KPIs outside their band.`}
      />
      <div className="space-y-4">
        <form method="get" className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white px-3 py-2 text-sm shadow-sm" data-testid="review-bar">
          <div className="flex flex-col text-xs text-slate-600">
            <label htmlFor="rv-day">Day (UTC)</label>
            <input id="rv-day" type="date" name="day" defaultValue={p.day} max={utcDay(new Date())} className="mt-0.5 rounded border border-slate-300 px-2 py-1 text-sm text-slate-900" />
          </div>
          <div className="flex flex-col text-xs text-slate-600">
            <label htmlFor="rv-facility">Facility</label>
            <select id="rv-facility" name="facility" defaultValue={p.facility ?? ''} className="mt-0.5 rounded border border-slate-300 px-2 py-1 text-sm text-slate-900">
              <option value="">All facilities</option>
              {facilityList.map((f) => <option key={f} value={f}>{f}</option>)}
            </select>
          </div>
          <button type="submit" className="rounded-md bg-slate-800 px-3 py-1.5 font-medium text-white">Show</button>
          <nav aria-label="Other days" className="ml-auto flex gap-3 text-sm">
            <Link href={dayLink(-1)} className="text-blue-700 hover:underline">← Previous day</Link>
            {isLatest ? <span className="text-slate-400">Next day →</span> : <Link href={dayLink(1)} className="text-blue-700 hover:underline">Next day →</Link>}
          </nav>
        </form>

        <Card>
          <CardHeader title="Sign-off" description="One sign-off per day and facility: who ran the review, when, and what was decided." />
          <CardBody>
            {signoff ? (
              <div data-testid="signoff" className="text-sm">
                <p>
                  <Badge tone="ok">Signed off</Badge> by <strong>{signoff.signedByName ?? signoff.signedBy}</strong>
                  {signoff.role ? <span className="text-slate-500"> ({signoff.role})</span> : null} at <Time iso={signoff.at} />
                </p>
                {signoff.notes ? <p className="mt-2 whitespace-pre-wrap rounded bg-slate-50 px-3 py-2 text-slate-700">{signoff.notes}</p> : <p className="mt-2 text-slate-500">No notes.</p>}
              </div>
            ) : (
              <SignoffForm action={signOffReview} cadence="daily" period={p.day} facility={p.facility} />
            )}
          </CardBody>
        </Card>

        <Card>
          <CardHeader
            title={`KPIs outside their normal band: ${outside.length} of ${review.kpis.length}`}
            description="The day's value against its threshold (amber, red) and against its normal band: the mean of the seven days before, plus or minus two standard deviations."
            actions={<ExportLink table="kpis" q={q} />}
          />
          <Table caption="KPIs of the day against their band">
            <thead><tr><Th>KPI</Th><Th align="right">This day</Th><Th align="right">Normal band (7 days before)</Th><Th>Threshold</Th><Th>Check</Th></tr></thead>
            <tbody>
              {review.kpis.map((k) => (
                <tr key={k.key} data-testid="kpi-check" className={k.outside ? 'bg-amber-50/50' : undefined}>
                  <Td>{k.label}</Td>
                  <Td align="right">{formatValue(k.value, k.format)}</Td>
                  <Td align="right">{k.low === null ? '—' : `${formatValue(k.low, k.format)} – ${formatValue(k.high, k.format)}`}</Td>
                  <Td><Badge tone={TONE_BADGE[k.tone]}>{TONE_TEXT[k.tone]}</Badge></Td>
                  <Td>{k.outside ? <strong className="text-amber-800">outside its band</strong> : <span className="text-slate-500">normal</span>}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Card>

        <div className="grid gap-4 2xl:grid-cols-2">
          <Card>
            <CardHeader
              title={`Open exceptions by age: ${n(openTotal)}`}
              description="Open or acknowledged right now, whatever the day, by transaction type and how long they have been open."
              actions={<ExportLink table="open" q={q} />}
            />
            {review.openByAge.length === 0 ? <CardBody><EmptyState title="Nothing open">No exception is open{p.facility ? ` at ${p.facility}` : ''}.</EmptyState></CardBody> : (
              <Table caption="Open exceptions by age and type">
                <thead><tr><Th>Tx type</Th>{AGE_BUCKETS.map(([label]) => <Th key={label} align="right">{label}</Th>)}<Th align="right">Total</Th></tr></thead>
                <tbody>
                  {review.openByAge.map((r) => (
                    <tr key={r.txType} data-testid="open-by-age">
                      <Td><Link href={`/exceptions?state=open&sort=age&txType=${r.txType}${fac}`} className="text-blue-700 hover:underline">{r.txType}</Link></Td>
                      {r.ages.map((a, i) => <Td key={i} align="right" className={a && i >= 3 ? 'font-semibold text-red-800' : undefined}>{a ? n(a) : <span className="text-slate-400">0</span>}</Td>)}
                      <Td align="right" className="font-semibold">{n(r.total)}</Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
          </Card>

          <Card>
            <CardHeader
              title={`Failures of the day: ${n(failedTotal)}`}
              description="Exceptions opened that day, by transaction type and root cause, and how many of them are still open."
              actions={<ExportLink table="failures" q={q} />}
            />
            {review.failures.length === 0 ? <CardBody><EmptyState title="No failures that day" /></CardBody> : (
              <Table caption="Failures of the day by type and root cause">
                <thead><tr><Th>Tx type</Th>{ROOT_CAUSES.map((c) => <Th key={c} align="right">{c.replace('_', ' ')}</Th>)}<Th align="right">Total</Th><Th align="right">Still open</Th></tr></thead>
                <tbody>
                  {review.failures.map((r) => (
                    <tr key={r.txType} data-testid="failures-of-day">
                      <Td><Link href={`/exceptions?state=all&txType=${r.txType}&${dayWindow}`} className="text-blue-700 hover:underline">{r.txType}</Link></Td>
                      {r.byCause.map((c, i) => <Td key={i} align="right">{c ? n(c) : <span className="text-slate-400">0</span>}</Td>)}
                      <Td align="right" className="font-semibold">{n(r.total)}</Td>
                      <Td align="right">{n(r.open)}</Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
          </Card>
        </div>

        <Card>
          <CardHeader
            title="Receipts, shipments and adjustments between the systems"
            description="Messages created that day by the sending system, against what the receiving system posted, what failed, and what neither has happened to yet (pending or retrying). A gap that stays open is stock one system has and the other does not."
            actions={<ExportLink table="flows" q={q} />}
          />
          <Table caption="Flows of the day between the systems">
            <thead><tr><Th>Tx type</Th><Th>Direction</Th><Th align="right">Sent</Th><Th align="right">Posted</Th><Th align="right">Failed</Th><Th align="right">Not yet</Th><Th align="right">Posted share</Th><Th align="right">Avg delay</Th></tr></thead>
            <tbody>
              {review.flows.map((f) => (
                <tr key={`${f.txType}-${f.direction}`} data-testid="flow">
                  <Td>{can(user.role, 'payloads.read') ? <Link href={`/messages?txType=${f.txType}&${dayWindow}`} className="text-blue-700 hover:underline">{f.txType}</Link> : f.txType}</Td>
                  <Td className="text-xs">{f.direction === 'wms_to_erp' ? 'WMS → ERP' : 'ERP → WMS'}</Td>
                  <Td align="right">{n(f.sent)}</Td>
                  <Td align="right">{n(f.posted)}</Td>
                  <Td align="right" className={f.failed ? 'text-red-800' : undefined}>{n(f.failed)}</Td>
                  <Td align="right" className={f.waiting ? 'text-amber-800' : undefined}>{n(f.waiting)}</Td>
                  <Td align="right">{f.sent ? `${((f.posted / f.sent) * 100).toFixed(1)}%` : '—'}</Td>
                  <Td align="right">{f.avgDelayMs === null ? '—' : formatDuration(f.avgDelayMs)}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Card>

        <Card>
          <CardHeader
            title={`Corrections keyed in both systems: ${n(review.pairs.length)}`}
            description="Pairs of an ERP and a WMS correction of the same facility, SKU and lot and quantity, at most 24 h apart, in corrections made that day."
            actions={<ExportLink table="pairs" q={q} />}
          />
          {review.pairs.length === 0 ? <CardBody><EmptyState title="No correction keyed twice that day" /></CardBody> : (
            <>
              <Table caption="Corrections keyed in both systems">
                <thead><tr><Th>Facility</Th><Th>SKU</Th><Th>Lot</Th><Th align="right">Quantity</Th><Th>ERP</Th><Th>WMS</Th></tr></thead>
                <tbody>
                  {review.pairs.slice(0, 10).map((x) => (
                    <tr key={x.erp.correctionId} data-testid="review-pair">
                      <Td>{x.erp.facility}</Td>
                      <Td className="font-mono">{x.erp.sku}</Td>
                      <Td className="text-xs">{x.erp.lot ?? '—'}</Td>
                      <Td align="right">{x.erp.quantityDelta} {x.erp.uom}</Td>
                      <Td className="text-xs">{x.erp.userName ?? '—'} · <Time iso={x.erp.at} /></Td>
                      <Td className="text-xs">{x.wms.userName ?? '—'} · <Time iso={x.wms.at} /></Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
              <CardBody className="flex gap-4 text-sm">
                {review.pairs.length > 10 ? <span className="text-slate-500">The 10 newest of {n(review.pairs.length)}; the export has them all.</span> : null}
                {can(user.role, 'corrections.read') ? <Link href={`/corrections?${dayWindow}`} className="text-blue-700 hover:underline">All corrections of the day →</Link> : null}
              </CardBody>
            </>
          )}
        </Card>
      </div>
    </>
  );
}
