import Link from 'next/link';
import { Table, Td } from '@/components/ui/table';
import { formatCount, formatDuration } from '@/lib/format';
import type { Flow } from '@/lib/review/daily';

const share = (part: number, whole: number) => (whole ? `${((part / whole) * 100).toFixed(1)}%` : '—');

/** A count, or a grey 0: the numbers that matter stand out in a wide table. */
export function Count({ value }: { value: number }) {
  return value ? <>{formatCount(value)}</> : <span className="text-slate-400">0</span>;
}

/**
 * Messages one system sent against what the other posted, failed or has not taken yet, per
 * transaction type and direction; a type links to its messages in the window for roles that read
 * the log (`messagesQuery` set), and `total` adds a row for all types.
 */
export function FlowsTable({
  flows,
  caption,
  testId,
  messagesQuery,
  total = false,
}: {
  flows: Flow[];
  caption: string;
  testId: string;
  messagesQuery: string | null;
  total?: boolean;
}) {
  const sum = flows.reduce(
    (a, f) => ({
      sent: a.sent + f.sent,
      posted: a.posted + f.posted,
      failed: a.failed + f.failed,
      waiting: a.waiting + f.waiting,
    }),
    { sent: 0, posted: 0, failed: 0, waiting: 0 },
  );
  return (
    <Table
      caption={caption}
      columns={[
        'Tx type',
        'Direction',
        ['Sent', 'right'],
        ['Posted', 'right'],
        ['Failed', 'right'],
        ['Not yet', 'right'],
        ['Posted share', 'right'],
        ['Avg delay', 'right'],
      ]}
    >
      <tbody>
        {flows.map((f) => (
          <tr key={`${f.txType}-${f.direction}`} data-testid={testId}>
            <Td>
              {messagesQuery ? (
                <Link href={`/messages?txType=${f.txType}&${messagesQuery}`} className="text-blue-700 hover:underline">
                  {f.txType}
                </Link>
              ) : (
                f.txType
              )}
            </Td>
            <Td className="text-xs">{f.direction === 'wms_to_erp' ? 'WMS → ERP' : 'ERP → WMS'}</Td>
            <Td align="right">{formatCount(f.sent)}</Td>
            <Td align="right">{formatCount(f.posted)}</Td>
            <Td align="right" className={f.failed ? 'text-red-800' : undefined}>
              {formatCount(f.failed)}
            </Td>
            <Td align="right" className={f.waiting ? 'text-amber-800' : undefined}>
              {formatCount(f.waiting)}
            </Td>
            <Td align="right">{share(f.posted, f.sent)}</Td>
            <Td align="right">{f.avgDelayMs === null ? '—' : formatDuration(f.avgDelayMs)}</Td>
          </tr>
        ))}
        {total ? (
          <tr className="border-t-2 border-slate-300 font-semibold">
            <Td>All types</Td>
            <Td />
            <Td align="right">{formatCount(sum.sent)}</Td>
            <Td align="right">{formatCount(sum.posted)}</Td>
            <Td align="right">{formatCount(sum.failed)}</Td>
            <Td align="right">{formatCount(sum.waiting)}</Td>
            <Td align="right">{share(sum.posted, sum.sent)}</Td>
            <Td />
          </tr>
        ) : null}
      </tbody>
    </Table>
  );
}
