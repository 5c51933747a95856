import Link from 'next/link';
import { CausesTable } from '@/components/review/causes-table';
import { CountsTable } from '@/components/review/counts-table';
import { Count } from '@/components/review/flows-table';
import { reviewCsvHref } from '@/components/review/review-bar';
import { AT_SYSTEM, RowsTable, Table, Td } from '@/components/ui/table';
import { TableCard } from '@/components/ui/table-card';
import { formatCount } from '@/lib/format';
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
  const total = causes.reduce((a, r) => a + r.total, 0);
  return (
    <TableCard
      title={`Exceptions of the week by facility and root cause: ${formatCount(total)}`}
      description="Where the week's failures came from, and why."
      csvHref={reviewCsvHref(p, 'causes')}
      rows={causes}
      empty={{ title: 'No exceptions opened this week' }}
    >
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
    </TableCard>
  );
}

export async function CausesByCustomerCard({ period: p }: Week) {
  const customers = await weekly.causesByCustomer(await readDb(), p);
  // The query returns the 20 customers most hit: 20 means there may be more.
  const more = customers.length === 20 ? ' or more' : '';
  return (
    <TableCard
      title={`Exceptions of the week by customer: ${formatCount(customers.length)}${more}`}
      description={
        "Whom the week's failures hit: exceptions by the customer their messages name (senders give it on outbound " +
        'documents as customer), most first, and why.'
      }
      csvHref={reviewCsvHref(p, 'customers')}
      rows={customers}
      empty={{
        title: 'No customer named',
        text: <>None of this week&apos;s exceptions is on a message that names a customer.</>,
      }}
    >
      <CausesTable
        caption="Exceptions of the week by customer and root cause"
        head="Customer"
        testId="weekly-customer"
        stillOpen
        rows={customers.map((r) => ({ ...r, key: r.customer, label: r.customer }))}
      />
    </TableCard>
  );
}

export async function TopSkusOfWeekCard({ period: p, reconciles }: Week & { reconciles: boolean }) {
  const skus = await weekly.topSkus(await readDb(), p);
  const recon = (facility: string, sku: string) =>
    `/reconciliation?facility=${encodeURIComponent(facility)}&sku=${encodeURIComponent(sku)}`;
  return (
    <TableCard
      title="Top discrepancy causes by SKU"
      description={
        'SKUs by exceptions opened this week plus stock differences in the latest reconciliation of each facility ' +
        '(as the mismatches KPI counts them), with the main root cause and the suspected source (the last message ' +
        'type before the snapshot).'
      }
      csvHref={reviewCsvHref(p, 'skus')}
      rows={skus}
      empty={{ title: 'No SKU behind an exception or a difference this week' }}
    >
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
    </TableCard>
  );
}

export async function RepeatedIssuesCard({ period: p, readsMasterData }: Week & { readsMasterData: boolean }) {
  const repeated = await weekly.repeatedItemIssues(await readDb(), p);
  return (
    <TableCard
      title={`Items with repeated UOM, lot or status issues: ${formatCount(repeated.length)}`}
      description={
        "Counted over this week's exceptions (UOM…, LOT… and status errors), the differences of every reconciliation " +
        'finished this week, and what the master data audit finds now. Two or more make an item repeated.'
      }
      csvHref={reviewCsvHref(p, 'repeated')}
      rows={repeated}
      empty={{ title: 'No item with a repeated issue' }}
    >
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
    </TableCard>
  );
}

export async function UnreviewedChangesCard({ period: p }: Week) {
  const changes = await weekly.unreviewedChanges(await readDb(), p);
  return (
    <TableCard
      title={`Changes without integration review: ${formatCount(changes.length)}`}
      description="Mapping, configuration and release changes of the week that the integration team did not review (changes carry no facility)."
      csvHref={reviewCsvHref(p, 'changes')}
      rows={changes}
      empty={{ title: 'Every change of the week was reviewed' }}
    >
      <RowsTable
        caption="Changes without integration review"
        rows={changes}
        rowKey={(c) => c.changeId}
        testId="weekly-change"
        columns={[...AT_SYSTEM, { head: 'Kind', cell: (c) => c.kind }, { head: 'Summary', cell: (c) => c.summary }]}
      />
    </TableCard>
  );
}
