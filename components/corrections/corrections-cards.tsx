import 'server-only';
import { cache } from 'react';
import { changeLogAnnotations } from '@/components/charts/annotations';
import { TrendChart } from '@/components/charts/trend-chart';
import { PairsTable } from '@/components/corrections/pairs-table';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { SelectFields, TextField } from '@/components/ui/field';
import { FilterForm } from '@/components/ui/filter-form';
import { Pagination } from '@/components/ui/pagination';
import { AT_SYSTEM, RowsTable, Table, Td } from '@/components/ui/table';
import { TableCard } from '@/components/ui/table-card';
import {
  correctionTrend,
  duplicateCorrectionPairs,
  listCorrections,
  type CorrectionFilters,
} from '@/lib/corrections/queries';
import type { PageScope } from '@/lib/filters';
import { withParams, type FlatParams } from '@/lib/http/search-params';
import { changeAnnotations } from '@/lib/kpi/series';
import { readDb } from '@/lib/http/read';

interface Props {
  f: CorrectionFilters;
  scope: PageScope;
  flat: FlatParams;
}

const PAIRS_PAGE = 20;
const SYSTEM_OPTIONS = [
  ['erp', 'ERP'],
  ['wms', 'WMS'],
] as const;
const n = (v: number) => v.toLocaleString('en-US');

/** The trend feeds the chart, the reasons table and the reason filter: read once per request. */
const trendOf = cache(async (f: CorrectionFilters, scope: PageScope) => correctionTrend(await readDb(), f, scope));

export async function CorrectionTrendCard({ f, scope }: Props) {
  const [trend, changes] = await Promise.all([trendOf(f, scope), changeAnnotations(await readDb(), scope)]);
  const totals = trend.buckets.reduce((a, d) => ({ erp: a.erp + d.erp, wms: a.wms + d.wms }), { erp: 0, wms: 0 });
  return (
    <Card className="h-full">
      <CardHeader
        title={`Corrections per ${trend.grain} by system`}
        description={`${n(totals.erp)} in the ERP, ${n(totals.wms)} in the WMS; dashed lines are change-log entries.`}
      />
      <CardBody>
        {totals.erp + totals.wms === 0 ? (
          <EmptyState title="No corrections in this window">
            Pick a longer range, or send corrections to /api/v1/corrections.
          </EmptyState>
        ) : (
          <TrendChart
            data={trend.buckets}
            config={{
              series: { erp: { label: 'ERP', color: '#1d4ed8' }, wms: { label: 'WMS', color: '#b45309' } },
              format: 'count',
            }}
            grain={trend.grain}
            annotations={changeLogAnnotations(changes)}
          />
        )}
      </CardBody>
    </Card>
  );
}

export async function ReasonsCard({ f, scope, flat }: Props) {
  const trend = await trendOf(f, scope);
  return (
    <TableCard title="By reason code" rows={trend.byReason} empty={{ title: 'No corrections' }}>
      <Table caption="Corrections by reason code" columns={['Reason', ['ERP', 'right'], ['WMS', 'right']]}>
        <tbody>
          {trend.byReason.map((r) => (
            <tr key={r.reason}>
              <Td>
                <a
                  href={withParams(flat, { reason: r.reason === '(none)' ? null : r.reason, page: null })}
                  className="text-blue-700 hover:underline"
                >
                  {r.reason}
                </a>
              </Td>
              <Td align="right">{n(r.erp)}</Td>
              <Td align="right">{n(r.wms)}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </TableCard>
  );
}

/** ERP and WMS corrections of the same change, paged in memory (`dpage`): there are few. */
export async function DuplicatePairsCard({ f, scope, flat }: Props) {
  const pairs = await duplicateCorrectionPairs(await readDb(), scope);
  const pages = Math.max(1, Math.ceil(pairs.length / PAIRS_PAGE));
  const page = Math.min(f.dpage, pages);
  return (
    <TableCard
      title={`Keyed in both systems: ${n(pairs.length)} pairs`}
      description={
        'An ERP and a WMS correction of the same facility, SKU and lot with the same quantity in base units, at most ' +
        '24 h apart, matched one to one in time order. One of each pair is probably a double count.'
      }
      pager={
        pairs.length > PAIRS_PAGE ? (
          <Pagination page={page} pages={pages} total={pairs.length} params={flat} param="dpage" noun="pairs" />
        ) : null
      }
      rows={pairs}
      empty={{ title: 'No duplicate corrections in this window' }}
    >
      <PairsTable
        pairs={pairs.slice((page - 1) * PAIRS_PAGE, page * PAIRS_PAGE)}
        caption="Duplicate corrections"
        testId="duplicate-pair"
      />
    </TableCard>
  );
}

export async function AllCorrectionsCard({ f, scope, flat }: Props) {
  const [list, trend] = await Promise.all([listCorrections(await readDb(), f, scope), trendOf(f, scope)]);
  const filters = (
    <FilterForm keep={{ range: flat.range, from: flat.from, to: flat.to, facility: flat.facility }}>
      <SelectFields
        prefix="co"
        values={f}
        fields={[
          { name: 'system', label: 'System', options: SYSTEM_OPTIONS, empty: 'Both' },
          {
            name: 'reason',
            label: 'Reason code',
            options: trend.byReason.map((r) => r.reason).filter((r) => r !== '(none)'),
            empty: 'Any',
          },
        ]}
      />
      <TextField id="co-sku" label="SKU" name="sku" defaultValue={f.sku} />
    </FilterForm>
  );
  return (
    <TableCard
      title="All corrections"
      filters={filters}
      page={{ of: list, params: flat, noun: 'corrections' }}
      empty={{ title: 'No corrections match', text: 'Widen the time range or clear a filter.' }}
    >
      <RowsTable
        caption="Manual corrections"
        rows={list.rows}
        rowKey={(c) => c.correctionId}
        testId="correction-row"
        columns={[
          ...AT_SYSTEM,
          { head: 'Facility', cell: (c) => c.facility },
          { head: 'SKU', className: 'font-mono', cell: (c) => c.sku },
          { head: 'Location', className: 'text-xs', cell: (c) => c.location ?? '—' },
          { head: 'Lot', className: 'text-xs', cell: (c) => c.lot ?? '—' },
          {
            head: 'Quantity',
            align: 'right',
            cell: (c) => (
              <>
                {Number(c.quantityDelta) > 0 ? `+${c.quantityDelta}` : c.quantityDelta} {c.uom}
              </>
            ),
          },
          { head: 'Reason', className: 'text-xs', cell: (c) => c.reasonCode ?? '—' },
          { head: 'User', className: 'text-xs', cell: (c) => c.userName ?? '—' },
          { head: 'Correction', className: 'font-mono text-xs', cell: (c) => c.correctionId },
        ]}
      />
    </TableCard>
  );
}
