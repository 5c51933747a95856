import type { ReactNode } from 'react';
import { Count } from '@/components/review/flows-table';
import { Table, Td, Th } from '@/components/ui/table';
import { ROOT_CAUSES } from '@/db/schema';
import { formatCount } from '@/lib/format';
import type { CauseCounts } from '@/lib/review/daily';

export interface CauseRow extends CauseCounts {
  key: string;
  /** The first cell: the row's name, or a link to its exceptions. */
  label: ReactNode;
}

/**
 * Exceptions per row (type, facility, customer) and root cause, with the total and, if asked, how many are still open.
 */
export function CausesTable({
  rows,
  caption,
  head,
  testId,
  stillOpen = false,
}: {
  rows: CauseRow[];
  caption: string;
  head: string;
  testId: string;
  stillOpen?: boolean;
}) {
  return (
    <Table caption={caption}>
      <thead>
        <tr>
          <Th>{head}</Th>
          {ROOT_CAUSES.map((c) => (
            <Th key={c} align="right">
              {c.replace('_', ' ')}
            </Th>
          ))}
          <Th align="right">Total</Th>
          {stillOpen ? <Th align="right">Still open</Th> : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key} data-testid={testId}>
            <Td>{r.label}</Td>
            {r.byCause.map((c, i) => (
              <Td key={i} align="right">
                <Count value={c} />
              </Td>
            ))}
            <Td align="right" className="font-semibold">
              {formatCount(r.total)}
            </Td>
            {stillOpen ? <Td align="right">{formatCount(r.open)}</Td> : null}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
