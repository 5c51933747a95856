import Link from 'next/link';
import { KIND_LABEL } from '@/components/recon/labels';
import { differencesOf, summaryOf } from '@/components/recon/loaders';
import { MessageStatus } from '@/components/messages/status-badge';
import { Badge } from '@/components/ui/badge';
import { SelectField, SelectFields, TextField } from '@/components/ui/field';
import { FilterForm } from '@/components/ui/filter-form';
import { Table, Td, Th } from '@/components/ui/table';
import { TableCard } from '@/components/ui/table-card';
import { Time } from '@/components/ui/time';
import { formatValue } from '@/lib/format';
import { withParams, type FlatParams } from '@/lib/http/search-params';
import { skuMessages } from '@/lib/messages/sku';
import { DIFFERENCE_KINDS } from '@/lib/recon/reconcile';
import type { DifferenceFilters } from '@/lib/recon/queries';
import { readDb } from '@/lib/http/read';

const unitCost = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2 });
/** A position's value in the ERP and, where the WMS has another, the WMS's after an arrow. */
const changed = (erp: string | null, wms: string | null) => (
  <>
    {erp || '—'}
    {wms !== null && wms !== erp ? <> → {wms || '—'}</> : null}
  </>
);
/** Each side's SKU as written, when one differs from the other or from the item's code (SPEC 10 SKU matching). */
function writtenSkus(d: { sku: string; erpSku: string | null; wmsSku: string | null }) {
  const sides = [
    ['ERP', d.erpSku],
    ['WMS', d.wmsSku],
  ].filter((x): x is [string, string] => x[1] !== null);
  if (sides.every(([, s]) => s === d.sku)) return null;
  return (
    <span className="block text-xs text-slate-500" data-testid="difference-skus">
      {sides.map(([side, s]) => `${side}: ${s}`).join(' · ')}
    </span>
  );
}
const quantity = (q: string | null, uoms: string | null) => (
  <>
    {q ?? '—'}
    {uoms ? <span className="block text-xs text-slate-500">counted in {uoms}</span> : null}
  </>
);

/**
 * The differences of the latest runs with their filters and pager. Unit cost and value only when
 * `money` (the page checks the role, SPEC 7).
 */
export async function DifferencesCard({ f, flat, money }: { f: DifferenceFilters; flat: FlatParams; money: boolean }) {
  const [result, summary] = await Promise.all([differencesOf(f, money), summaryOf(f, money)]);
  const filtered = !!(f.kind || f.source || f.sku || f.location);
  const filters = (
    <FilterForm
      keep={{ facility: f.facility, run: f.run ? String(f.run) : null }}
      after={
        filtered ? (
          <Link
            href={withParams({}, { facility: f.facility ?? null })}
            className="pb-1 text-xs text-blue-700 hover:underline"
          >
            Clear filters
          </Link>
        ) : null
      }
    >
      <SelectFields
        prefix="rc"
        values={f}
        fields={[
          { name: 'kind', label: 'Kind', options: DIFFERENCE_KINDS.map((k) => [k, KIND_LABEL[k]]), empty: 'Any' },
          { name: 'source', label: 'Suspected source', options: summary.bySource.map((s) => s.key), empty: 'Any' },
        ]}
      />
      <TextField id="rc-sku" label="SKU" name="sku" defaultValue={f.sku} />
      <TextField id="rc-location" label="Location" name="location" defaultValue={f.location} width="w-28" />
      <SelectField
        id="rc-sort"
        label="Sort by"
        name="sort"
        defaultValue={f.sort}
        options={[
          ['value', money ? 'Value at risk' : 'Size of delta'],
          ['delta', 'Size of delta'],
          ['sku', 'SKU'],
          ['kind', 'Kind'],
        ]}
      />
    </FilterForm>
  );
  return (
    <TableCard
      title="Differences"
      description="Quantities in base units; delta is WMS minus ERP."
      filters={filters}
      page={{ of: result, params: flat, noun: 'differences' }}
      empty={{
        title: summary.total === 0 ? 'No differences' : 'No differences match',
        text:
          summary.total === 0
            ? 'Either no run has succeeded yet, or both systems agree on every position.'
            : 'Clear a filter to see more.',
      }}
    >
      <Table caption="Differences">
        <thead>
          <tr>
            <Th>Facility</Th>
            <Th>Kind</Th>
            <Th>SKU</Th>
            <Th>Location</Th>
            <Th>Lot</Th>
            <Th align="right">ERP qty</Th>
            <Th align="right">WMS qty</Th>
            <Th align="right">Delta</Th>
            <Th>Source</Th>
            {money ? (
              <>
                <Th align="right">Unit cost</Th>
                <Th align="right">Value</Th>
              </>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {result.rows.map((d) => (
            <tr key={d.id} data-testid="difference-row">
              <Td>{d.facility}</Td>
              <Td>
                <Badge tone={d.kind === 'quantity' || d.kind.startsWith('missing') ? 'bad' : 'warn'}>
                  {KIND_LABEL[d.kind] ?? d.kind}
                </Badge>
              </Td>
              <Td>
                <Link
                  href={withParams(flat, { sku: d.sku, facility: d.facility, page: null })}
                  className="font-mono text-blue-700 hover:underline"
                >
                  {d.sku}
                </Link>
                {writtenSkus(d)}
              </Td>
              <Td className="text-xs">{changed(d.location, d.wmsLocation)}</Td>
              <Td className="text-xs">{changed(d.lot, d.wmsLot)}</Td>
              <Td align="right">{quantity(d.erpQuantity, d.erpUoms)}</Td>
              <Td align="right">{quantity(d.wmsQuantity, d.wmsUoms)}</Td>
              <Td align="right" className="font-medium">
                {Number(d.delta) > 0 ? `+${d.delta}` : d.delta}
              </Td>
              <Td className="text-xs">{d.suspectedSource}</Td>
              {money ? (
                <>
                  <Td align="right">{d.unitCost ? unitCost.format(Number(d.unitCost)) : '—'}</Td>
                  <Td align="right">{formatValue(Number(d.value ?? 0), 'money')}</Td>
                </>
              ) : null}
            </tr>
          ))}
        </tbody>
      </Table>
    </TableCard>
  );
}

/**
 * The integration messages that touched the SKU drilled into, at its facility (the filter's, or the
 * first difference's).
 */
export async function SkuMessagesCard({ f, money, sku }: { f: DifferenceFilters; money: boolean; sku: string }) {
  const facility = f.facility ?? (await differencesOf(f, money)).rows[0]?.facility ?? null;
  const messages = facility ? await skuMessages(await readDb(), facility, sku) : [];
  return (
    <TableCard
      title={`Messages that touched ${sku}${facility ? ` at ${facility}` : ''}`}
      description="Newest first; the suspected source is the newest one created before the WMS snapshot."
      rows={messages}
      empty={{
        title: 'No messages for this SKU',
        text: 'Nothing in the integration log touched it here: the difference came from outside the interface (a manual correction, a count).',
      }}
    >
      <Table
        caption={`Messages for ${sku}`}
        columns={['Created', 'Message', 'Tx type', 'Direction', ['Qty', 'right'], 'Location', 'Lot', 'Status']}
      >
        <tbody>
          {messages.map((m) => (
            <tr key={m.messageId} data-testid="sku-message-row">
              <Td>
                <Time iso={m.createdAt} withSeconds />
              </Td>
              <Td className="font-mono text-xs">{m.messageId}</Td>
              <Td>{m.txType}</Td>
              <Td className="text-xs">{m.direction}</Td>
              <Td align="right">
                {m.quantity ?? '—'} {m.uom}
              </Td>
              <Td className="text-xs">{m.location ?? '—'}</Td>
              <Td className="text-xs">{m.lot ?? '—'}</Td>
              <Td>
                <MessageStatus status={m.status} errorCode={m.errorCode} />
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </TableCard>
  );
}
