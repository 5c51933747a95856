import Link from 'next/link';
import { PairsTable } from '@/components/corrections/pairs-table';
import { CausesTable } from '@/components/review/causes-table';
import { CountsTable } from '@/components/review/counts-table';
import { FlowsTable } from '@/components/review/flows-table';
import { ReviewTableCard, sumOfTotals } from '@/components/review/review-table-card';
import { Badge } from '@/components/ui/badge';
import { CardBody } from '@/components/ui/card';
import { Table, Td } from '@/components/ui/table';
import { duplicateCorrectionPairs } from '@/lib/corrections/queries';
import { formatCount, formatValue } from '@/lib/format';
import { AGE_BUCKETS, comparedFlows, failuresOfDay, kpiChecks, openExceptionsByAge } from '@/lib/review/daily';
import type { ReviewPeriod } from '@/lib/review/period';
import { readDb } from '@/lib/http/read';

/**
 * The cards of the daily review, each reading its own check so each streams on its own. `query` is
 * the day as a custom window of the other pages (with the facility); a flag that opens a link to
 * another page is the role's capability, checked by the page on the server.
 */
interface DayProps {
  period: ReviewPeriod;
  query: string;
}

const TONE_TEXT = { ok: 'within threshold', warn: 'amber', bad: 'red', neutral: 'no threshold' } as const;
const TONE_BADGE = { ok: 'ok', warn: 'warn', bad: 'bad', neutral: 'neutral' } as const;

export async function KpiBandCard({ period: p }: { period: ReviewPeriod }) {
  const kpis = await kpiChecks(await readDb(), p);
  const outside = kpis.filter((k) => k.band === 'below' || k.band === 'above');
  const over = kpis.filter((k) => k.tone === 'warn' || k.tone === 'bad');
  return (
    <ReviewTableCard
      period={p}
      table="kpis"
      title={`KPIs outside their normal band: ${outside.length} of ${kpis.length} · amber or red: ${over.length}`}
    >
      <Table
        caption="KPIs of the day against their band"
        columns={[
          'KPI',
          ['This day', 'right'],
          ['Normal band (7 days before)', 'right'],
          'Against the band',
          'Threshold',
        ]}
      >
        <tbody>
          {kpis.map((k) => (
            <tr key={k.key} data-testid="kpi-check" className={k.flagged ? 'bg-amber-50/50' : undefined}>
              <Td>{k.label}</Td>
              <Td align="right">{formatValue(k.value, k.format)}</Td>
              <Td align="right">
                {k.low === null ? '—' : `${formatValue(k.low, k.format)} – ${formatValue(k.high, k.format)}`}
              </Td>
              <Td>
                {k.band === 'above' || k.band === 'below' ? (
                  <strong className="text-amber-800">{k.band} its band</strong>
                ) : (
                  <span className="text-slate-500">{k.band === 'within' ? 'within its band' : 'no band yet'}</span>
                )}
              </Td>
              <Td>
                <Badge tone={TONE_BADGE[k.tone]}>{TONE_TEXT[k.tone]}</Badge>
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </ReviewTableCard>
  );
}

export async function OpenByAgeCard({ period: p }: { period: ReviewPeriod }) {
  const rows = await openExceptionsByAge(await readDb(), p.facility);
  const fac = p.facility ? `&facility=${encodeURIComponent(p.facility)}` : '';
  return (
    <ReviewTableCard period={p} table="open" count={sumOfTotals(rows)} rows={rows}>
      <CountsTable
        caption="Open exceptions by age and type"
        head="Tx type"
        columns={AGE_BUCKETS.map(([label]) => label)}
        testId="open-by-age"
        countClassName={(a, i) => (a && i >= 3 ? 'font-semibold text-red-800' : undefined)}
        rows={rows.map((r) => ({
          key: r.txType,
          label: (
            <Link
              href={`/exceptions?state=open&sort=age&txType=${r.txType}${fac}`}
              className="text-blue-700 hover:underline"
            >
              {r.txType}
            </Link>
          ),
          counts: r.ages,
          total: r.total,
        }))}
      />
    </ReviewTableCard>
  );
}

export async function FailuresCard({ period: p, query }: DayProps) {
  const failures = await failuresOfDay(await readDb(), p);
  return (
    <ReviewTableCard period={p} table="failures" count={sumOfTotals(failures)} rows={failures}>
      <CausesTable
        caption="Failures of the day by type and root cause"
        head="Tx type"
        testId="failures-of-day"
        stillOpen
        rows={failures.map((r) => ({
          ...r,
          key: r.txType,
          label: (
            <Link href={`/exceptions?state=all&txType=${r.txType}&${query}`} className="text-blue-700 hover:underline">
              {r.txType}
            </Link>
          ),
        }))}
      />
    </ReviewTableCard>
  );
}

export async function FlowsCard({ period: p, query, readsLog }: DayProps & { readsLog: boolean }) {
  const flows = await comparedFlows(await readDb(), p);
  return (
    <ReviewTableCard period={p} table="flows">
      <FlowsTable
        flows={flows}
        caption="Flows of the day between the systems"
        testId="flow"
        messagesQuery={readsLog ? query : null}
      />
    </ReviewTableCard>
  );
}

export async function ReviewPairsCard({
  period: p,
  query,
  readsCorrections,
}: DayProps & { readsCorrections: boolean }) {
  const pairs = await duplicateCorrectionPairs(await readDb(), p);
  return (
    <ReviewTableCard period={p} table="pairs" rows={pairs}>
      <>
        <PairsTable pairs={pairs.slice(0, 10)} caption="Corrections keyed in both systems" testId="review-pair" />
        <CardBody className="flex gap-4 text-sm">
          {pairs.length > 10 ? (
            <span className="text-slate-500">
              The 10 newest of {formatCount(pairs.length)}; the export has them all.
            </span>
          ) : null}
          {readsCorrections ? (
            <Link href={`/corrections?${query}`} className="text-blue-700 hover:underline">
              All corrections of the day →
            </Link>
          ) : null}
        </CardBody>
      </>
    </ReviewTableCard>
  );
}
