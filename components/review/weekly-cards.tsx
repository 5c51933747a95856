import Link from 'next/link';
import { CausesTable } from '@/components/review/causes-table';
import { CountsTable } from '@/components/review/counts-table';
import { Count } from '@/components/review/flows-table';
import { ReviewTableCard, sumOfTotals } from '@/components/review/review-table-card';
import { AT_SYSTEM, RowsTable, Table, Td } from '@/components/ui/table';
import type { ReviewPeriod } from '@/lib/review/period';
import * as weekly from '@/lib/review/weekly';
import { readDb } from '@/lib/http/read';

/**
 * The cards of the weekly review, each reading its own check. A flag that turns a SKU into a link
 * to another page is the role's capability, checked by the page on the server.
 */
type Week = { period: ReviewPeriod };
const windowOf = (p: ReviewPeriod) => `range=custom&from=${p.from.toISOString()}&to=${p.to.toISOString()}`;
const skuLink = (href: string, sku: string) => (
  <Link href={href} className="text-blue-700 hover:underline">
    {sku}
  </Link>
);

export async function CausesByFacilityCard({ period: p }: Week) {
  const causes = await weekly.causesByFacility(await readDb(), p);
  return (
    <ReviewTableCard period={p} table="causes" count={sumOfTotals(causes)} rows={causes}>
      <CausesTable
        caption="Exceptions of the week by facility and root cause"
        head="Facility"
        testId="weekly-cause"
        rows={causes.map((r) => ({
          ...r,
          key: r.facility,
          label: (
            <Link
              href={`/exceptions?state=all&facility=${encodeURIComponent(r.facility)}&${windowOf(p)}`}
              className="text-blue-700 hover:underline"
            >
              {r.facility}
            </Link>
          ),
        }))}
      />
    </ReviewTableCard>
  );
}

export async function CausesByCustomerCard({ period: p }: Week) {
  const customers = await weekly.causesByCustomer(await readDb(), p);
  return (
    <ReviewTableCard period={p} table="customers" rows={customers}>
      <CausesTable
        caption="Exceptions of the week by customer and root cause"
        head="Customer"
        testId="weekly-customer"
        stillOpen
        rows={customers.map((r) => ({ ...r, key: r.customer, label: r.customer }))}
      />
    </ReviewTableCard>
  );
}

export async function TopSkusOfWeekCard({ period: p, reconciles }: Week & { reconciles: boolean }) {
  const skus = await weekly.topSkus(await readDb(), p);
  const recon = (facility: string, sku: string) =>
    `/reconciliation?facility=${encodeURIComponent(facility)}&sku=${encodeURIComponent(sku)}`;
  return (
    <ReviewTableCard period={p} table="skus" rows={skus}>
      <Table
        caption="Top discrepancy causes by SKU"
        columns={[
          'SKU',
          'Facilities',
          ['Exceptions', 'right'],
          'Main root cause',
          ['Differences', 'right'],
          'Kinds',
          'Suspected source',
        ]}
      >
        <tbody>
          {skus.map((s) => (
            <tr key={s.sku} data-testid="weekly-sku">
              <Td className="font-mono">
                {reconciles && s.facilities.length === 1 ? skuLink(recon(s.facilities[0], s.sku), s.sku) : s.sku}
              </Td>
              <Td className="text-xs">{s.facilities.join(', ')}</Td>
              <Td align="right">
                <Count value={s.exceptions} />
              </Td>
              <Td className="text-xs">{s.mainCause ? s.mainCause.replace('_', ' ') : '—'}</Td>
              <Td align="right">
                <Count value={s.differences} />
              </Td>
              <Td className="text-xs">{s.kinds.join(', ') || '—'}</Td>
              <Td className="text-xs">{s.sources.join(', ') || '—'}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </ReviewTableCard>
  );
}

export async function RepeatedIssuesCard({ period: p, readsMasterData }: Week & { readsMasterData: boolean }) {
  const repeated = await weekly.repeatedItemIssues(await readDb(), p);
  return (
    <ReviewTableCard period={p} table="repeated" rows={repeated}>
      <CountsTable
        caption="Items with repeated UOM, lot or status issues"
        head="SKU"
        columns={['UOM', 'Lot', 'Status']}
        testId="weekly-repeated"
        labelClassName="font-mono"
        rows={repeated.map((r) => ({
          key: r.sku,
          label: readsMasterData ? skuLink(`/master-data?sku=${encodeURIComponent(r.sku)}`, r.sku) : r.sku,
          counts: [r.uom, r.lot, r.status],
          total: r.total,
        }))}
      />
    </ReviewTableCard>
  );
}

export async function UnreviewedChangesCard({ period: p }: Week) {
  const changes = await weekly.unreviewedChanges(await readDb(), p);
  return (
    <ReviewTableCard period={p} table="changes" rows={changes}>
      <RowsTable
        caption="Changes without integration review"
        rows={changes}
        rowKey={(c) => c.changeId}
        testId="weekly-change"
        columns={[...AT_SYSTEM, { head: 'Kind', cell: (c) => c.kind }, { head: 'Summary', cell: (c) => c.summary }]}
      />
    </ReviewTableCard>
  );
}
