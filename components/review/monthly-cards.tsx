import { FlowsTable } from '@/components/review/flows-table';
import { ReviewTableCard } from '@/components/review/review-table-card';
import { Table, Td } from '@/components/ui/table';
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
    <ReviewTableCard period={p} table="totals" rows={totals}>
      <FlowsTable
        flows={totals}
        caption="Transaction totals by type across both systems"
        testId="monthly-total"
        messagesQuery={messagesQuery}
        total
      />
    </ReviewTableCard>
  );
}

export async function SharedFieldsCard({ period: p }: { period: ReviewPeriod }) {
  const shared = await sharedFields(await readDb());
  return (
    <ReviewTableCard period={p} table="shared" rows={shared}>
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
    </ReviewTableCard>
  );
}
