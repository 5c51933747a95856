import type { ReactNode } from 'react';
import { Count } from '@/components/review/flows-table';
import { Table, Td, Th } from '@/components/ui/table';
import { formatCount } from '@/lib/format';

export interface CountsRow {
  key: string;
  /** The first cell: the row's name, or a link to it. */
  label: ReactNode;
  counts: number[];
  total: number;
  /** Cells after the total (a "Still open" count). */
  after?: ReactNode[];
}

/**
 * Counts per row and column (root cause, age bucket, finding kind) with a bold total: the shape of
 * the review's pivot tables. A 0 is grey so the numbers that matter stand out.
 */
export function CountsTable({
  caption,
  head,
  columns,
  after = [],
  rows,
  testId,
  labelClassName,
  countClassName,
}: {
  caption: string;
  head: string;
  columns: readonly string[];
  /** Headers of the columns after the total. */
  after?: readonly string[];
  rows: CountsRow[];
  testId: string;
  labelClassName?: string;
  /** A class for a count cell that needs a look (an old age bucket). */
  countClassName?: (value: number, column: number) => string | undefined;
}) {
  return (
    <Table caption={caption}>
      <thead>
        <tr>
          <Th>{head}</Th>
          {columns.map((c) => (
            <Th key={c} align="right">
              {c}
            </Th>
          ))}
          <Th align="right">Total</Th>
          {after.map((c) => (
            <Th key={c} align="right">
              {c}
            </Th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key} data-testid={testId}>
            <Td className={labelClassName}>{r.label}</Td>
            {r.counts.map((c, i) => (
              <Td key={i} align="right" className={countClassName?.(c, i)}>
                <Count value={c} />
              </Td>
            ))}
            <Td align="right" className="font-semibold">
              {formatCount(r.total)}
            </Td>
            {(r.after ?? []).map((cell, i) => (
              <Td key={i} align="right">
                {cell}
              </Td>
            ))}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
