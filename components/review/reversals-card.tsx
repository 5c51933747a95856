import Link from 'next/link';
import { ReviewTableCard } from '@/components/review/review-table-card';
import { CardBody } from '@/components/ui/card';
import { Table, Td } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { reversalsIn } from '@/lib/detect/reversals-log';
import type { ReviewPeriod } from '@/lib/review/period';
import { formatCount } from '@/lib/format';
import { msToIso as iso } from '@/lib/time';
import { readDb } from '@/lib/http/read';

/** Stock adjustments and counts undone within a day by their own document (streamed: it reads those documents). */
export async function ReversalsCard({ period: p, readsLog }: { period: ReviewPeriod; readsLog: boolean }) {
  const reversals = await reversalsIn(await readDb(), p);
  return (
    <ReviewTableCard period={p} table="reversals" rows={reversals}>
      <Table
        caption="Reversed adjustments"
        columns={['Reversed', 'Document', 'Facility', 'SKU', 'Location', 'Lot', ['Quantity', 'right'], 'Original']}
      >
        <tbody>
          {reversals.slice(0, 10).map(({ original: o, reversal: r }) => (
            <tr key={r.messageId} data-testid="reversal">
              <Td>
                <Time iso={iso(r.createdMs)} />
              </Td>
              <Td className="font-mono text-xs">
                {readsLog ? (
                  <Link
                    href={`/messages?q=${encodeURIComponent(r.correlationKey)}`}
                    className="text-blue-700 hover:underline"
                  >
                    {r.correlationKey}
                  </Link>
                ) : (
                  r.correlationKey
                )}
              </Td>
              <Td>{r.facility}</Td>
              <Td className="font-mono">{r.sku ?? '—'}</Td>
              <Td className="text-xs">{r.location ?? '—'}</Td>
              <Td className="text-xs">{r.lot ?? '—'}</Td>
              <Td align="right">
                {o.quantity} → {r.quantity} {r.uom}
              </Td>
              <Td className="text-xs">
                {o.txType} · <Time iso={iso(o.createdMs)} />
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
      {reversals.length > 10 ? (
        <CardBody className="text-sm text-slate-500">
          The first 10 of {formatCount(reversals.length)}; the export has them all.
        </CardBody>
      ) : null}
    </ReviewTableCard>
  );
}
