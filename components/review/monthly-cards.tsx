import { FlowsTable } from '@/components/review/flows-table';
import { reviewCsvHref } from '@/components/review/review-bar';
import { Table, Td } from '@/components/ui/table';
import { TableCard } from '@/components/ui/table-card';
import { monthTotals, sharedFields } from '@/lib/review/monthly';
import type { ReviewPeriod } from '@/lib/review/period';
import { readDb } from '@/lib/http/read';

/** `messagesQuery` links each type to its messages of the month: only for roles that read the log (the page checks). */
export async function MonthTotalsCard({
  period: p,
  messagesQuery,
}: {
  period: ReviewPeriod;
  messagesQuery: string | null;
}) {
  const totals = await monthTotals(await readDb(), p);
  return (
    <TableCard
      title="Transaction totals by type, reconciled across both systems"
      description={
        'Messages created in the month by the sending system, against what the receiving system posted, what failed ' +
        'and what neither has happened to yet. Every unposted message is a posting one system has and the other ' +
        'lacks.'
      }
      csvHref={reviewCsvHref(p, 'totals')}
      rows={totals}
      empty={{ title: 'No messages in this month' }}
    >
      <FlowsTable
        flows={totals}
        caption="Transaction totals by type across both systems"
        testId="monthly-total"
        messagesQuery={messagesQuery}
        total
      />
    </TableCard>
  );
}

export async function SharedFieldsCard({ period: p }: { period: ReviewPeriod }) {
  const shared = await sharedFields(await readDb());
  return (
    <TableCard
      title={`Shared fields in the ownership matrix: ${shared.length}`}
      description={
        'Fields both systems may change. Confirm the precedence rule still holds; a field that one system should own ' +
        'belongs to it alone (Admin → Ownership matrix).'
      }
      csvHref={reviewCsvHref(p, 'shared')}
      rows={shared}
      empty={{ title: 'No shared field', text: 'Every field has one owner.' }}
    >
      <Table caption="Shared fields" columns={['Data object', 'Field', 'Precedence']}>
        <tbody>
          {shared.map((s) => (
            <tr key={`${s.dataObject}.${s.field}`} data-testid="monthly-shared">
              <Td>{s.dataObject}</Td>
              <Td className="font-mono text-xs">{s.field}</Td>
              <Td>{s.precedence ?? <span className="text-amber-800">none set</span>}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </TableCard>
  );
}
