import 'server-only';
import Link from 'next/link';
import { cache } from 'react';
import { Badge } from '@/components/ui/badge';
import { SelectFields, TextField } from '@/components/ui/field';
import { FilterForm } from '@/components/ui/filter-form';
import { Table, Td } from '@/components/ui/table';
import { TableCard } from '@/components/ui/table-card';
import { Time } from '@/components/ui/time';
import { MASTER_DATA_FINDINGS } from '@/db/schema';
import { withParams, type FlatParams } from '@/lib/http/search-params';
import { findingCounts, listFindings, type FindingFilters } from '@/lib/master-data/queries';
import { readDb } from '@/lib/http/read';

const LABEL: Record<string, string> = {
  missing_in_erp: 'Missing in ERP',
  missing_in_wms: 'Missing in WMS',
  base_uom: 'Base UOM differs',
  conversion: 'Conversion factor differs',
  lot_control: 'Lot control differs',
  serial_control: 'Serial control differs',
  status: 'Status differs',
  near_identical_code: 'Near-identical codes',
};

/** The counts feed the tiles and the table's empty state: read once per request. */
const countsOf = cache(async () => {
  const counts = await findingCounts(await readDb());
  return { ...counts, total: Object.values(counts.byKind).reduce((a, b) => a + b, 0) };
});

/** One tile per kind of finding (a link that filters the table), and the totals under them. */
export async function FindingCounts({ kind }: { kind: string | undefined }) {
  const counts = await countsOf();
  const n = (v: number | undefined) => (v ?? 0).toLocaleString('en-US');
  return (
    <div className="space-y-4">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-8" data-testid="finding-counts">
        {MASTER_DATA_FINDINGS.map((k) => (
          <Link
            key={k}
            href={withParams({}, { kind: k })}
            className={`rounded-lg border bg-white px-3 py-2 shadow-sm hover:border-blue-300 ${kind === k ? 'border-blue-500' : 'border-slate-200'}`}
          >
            <span className="block text-xs text-slate-500">{LABEL[k]}</span>
            <span className="text-xl font-semibold tabular-nums text-slate-900">{n(counts.byKind[k])}</span>
          </Link>
        ))}
      </div>
      <p className="text-xs text-slate-500">
        {n(counts.total)} findings over {n(counts.items.erp)} ERP and {n(counts.items.wms)} WMS item records.
      </p>
    </div>
  );
}

/** The skeleton of the count tiles while they stream. */
export function FindingCountsSkeleton() {
  return (
    <div className="grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-8" aria-hidden>
      {MASTER_DATA_FINDINGS.map((k) => (
        <div key={k} className="h-[3.75rem] animate-pulse rounded-lg border border-slate-200 bg-slate-100" />
      ))}
    </div>
  );
}

export async function FindingsCard({ f, flat }: { f: FindingFilters; flat: FlatParams }) {
  const [result, counts] = await Promise.all([listFindings(await readDb(), f), countsOf()]);
  const filters = (
    <FilterForm
      after={
        f.kind || f.sku ? (
          <Link href="/master-data" className="pb-1 text-xs text-blue-700 hover:underline">
            Clear filters
          </Link>
        ) : null
      }
    >
      <SelectFields
        prefix="md"
        values={f}
        fields={[
          { name: 'kind', label: 'Finding', options: MASTER_DATA_FINDINGS.map((k) => [k, LABEL[k]]), empty: 'Any' },
        ]}
      />
      <TextField id="md-sku" label="SKU contains" name="sku" type="search" defaultValue={f.sku} width="w-40" />
    </FilterForm>
  );
  const empty =
    counts.items.erp || counts.items.wms
      ? 'Every item exists in both systems with the same units, controls and status.'
      : 'No item masters yet: POST them to /api/v1/items.';
  return (
    <TableCard
      title="Findings"
      filters={filters}
      page={{ of: result, params: flat, noun: 'findings' }}
      empty={{
        title: counts.total === 0 ? 'Both item masters agree' : 'No findings match',
        text: counts.total === 0 ? empty : 'Clear a filter to see more.',
      }}
    >
      <Table caption="Master data findings" columns={['Finding', 'SKU', 'Field', 'ERP', 'WMS', 'Detected']}>
        <tbody>
          {result.rows.map((r) => (
            <tr key={r.id} data-testid="finding-row">
              <Td>
                <Badge tone={r.kind.startsWith('missing') || r.kind === 'near_identical_code' ? 'bad' : 'warn'}>
                  {LABEL[r.kind] ?? r.kind}
                </Badge>
              </Td>
              <Td className="font-mono">
                {r.sku}
                {r.otherSku ? <span className="text-slate-500"> ≈ {r.otherSku}</span> : null}
              </Td>
              <Td className="text-xs">{r.field}</Td>
              <Td className="font-mono text-xs">{r.erpValue ?? '—'}</Td>
              <Td className="font-mono text-xs">{r.wmsValue ?? '—'}</Td>
              <Td>
                <Time iso={r.detectedAt} />
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </TableCard>
  );
}
