import Link from 'next/link';
import { CountsTable } from '@/components/review/counts-table';
import { ReviewTableCard } from '@/components/review/review-table-card';
import { CardBody } from '@/components/ui/card';
import { Table, Td } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { FLOW_STEPS, LIFECYCLE_KINDS, LIFECYCLE_LABELS } from '@/lib/detect/lifecycle';
import { lifecycleFindingsIn } from '@/lib/detect/lifecycle-log';
import { formatCount } from '@/lib/format';
import type { ReviewPeriod } from '@/lib/review/period';
import { readDb } from '@/lib/http/read';

/**
 * The lifecycle checks of the flow steps created in a review's period (SPEC 5). It reads every step
 * of the period with its prerequisite (~0.4 s for a day at ten million messages), so the page
 * streams it behind its own Suspense boundary.
 */
export async function LifecycleCard({ period: p, readsLog }: { period: ReviewPeriod; readsLog: boolean }) {
  const findings = await lifecycleFindingsIn(await readDb(), p);
  const bySteps = FLOW_STEPS.map((txType) => {
    const mine = findings.filter((f) => f.txType === txType);
    return {
      txType,
      counts: LIFECYCLE_KINDS.map((k) => mine.filter((f) => f.kinds.includes(k)).length),
      total: mine.length,
    };
  }).filter((r) => r.total > 0);
  return (
    <ReviewTableCard period={p} table="lifecycle" rows={findings}>
      <>
        <CountsTable
          caption="Lifecycle findings by step"
          head="Step"
          columns={LIFECYCLE_KINDS.map((k) => LIFECYCLE_LABELS[k])}
          testId="lifecycle-step"
          rows={bySteps.map((r) => ({ key: r.txType, label: r.txType, counts: r.counts, total: r.total }))}
        />
        <Table
          caption="The day's first lifecycle findings"
          columns={['Created', 'Document', 'Step', 'Facility', 'Status', 'Finding']}
        >
          <tbody>
            {findings.slice(0, 10).map((f) => (
              <tr key={f.messageId} data-testid="lifecycle-finding">
                <Td>
                  <Time iso={f.createdAt} />
                </Td>
                <Td className="font-mono text-xs">
                  {readsLog ? (
                    <Link
                      href={`/messages?q=${encodeURIComponent(f.correlationKey)}`}
                      className="text-blue-700 hover:underline"
                    >
                      {f.correlationKey}
                    </Link>
                  ) : (
                    f.correlationKey
                  )}
                </Td>
                <Td>{f.txType}</Td>
                <Td>{f.facility}</Td>
                <Td className="text-xs">{f.status}</Td>
                <Td className="text-xs">{f.kinds.map((k) => LIFECYCLE_LABELS[k]).join('; ')}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
        {findings.length > 10 ? (
          <CardBody className="text-sm text-slate-500">
            The first 10 of {formatCount(findings.length)}; the export has them all.
          </CardBody>
        ) : null}
      </>
    </ReviewTableCard>
  );
}
