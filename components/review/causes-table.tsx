import type { ReactNode } from 'react';
import { CountsTable } from '@/components/review/counts-table';
import { ROOT_CAUSES } from '@/db/schema';
import { formatCount } from '@/lib/format';
import type { CauseCounts } from '@/lib/review/daily';

export interface CauseRow extends CauseCounts {
  key: string;
  /** The first cell: the row's name, or a link to its exceptions. */
  label: ReactNode;
}

const CAUSE_HEADS = ROOT_CAUSES.map((c) => c.replace('_', ' '));

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
    <CountsTable
      caption={caption}
      head={head}
      columns={CAUSE_HEADS}
      after={stillOpen ? ['Still open'] : []}
      testId={testId}
      rows={rows.map((r) => ({
        key: r.key,
        label: r.label,
        counts: r.byCause,
        total: r.total,
        after: stillOpen ? [formatCount(r.open)] : [],
      }))}
    />
  );
}
