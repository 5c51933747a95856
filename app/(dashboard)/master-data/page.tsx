import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { SelectField, TextField } from '@/components/ui/field';
import { Card, CardBody } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Pagination } from '@/components/ui/pagination';
import { Table, Td, Th } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { getDb } from '@/db';
import { MASTER_DATA_FINDINGS } from '@/db/schema';
import { requireCapability } from '@/lib/auth/session';
import { withParams } from '@/lib/filters';
import { findingCounts, findingFilters, listFindings } from '@/lib/master-data/queries';

export const metadata = { title: 'Master data' };

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

export default async function MasterDataPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireCapability('masterdata.read');
  const params = await searchParams;
  const flat = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])) as Record<string, string | undefined>;
  const f = findingFilters.parse(flat);
  const db = await getDb();
  const [result, counts] = await Promise.all([listFindings(db, f), findingCounts(db)]);
  const total = Object.values(counts.byKind).reduce((a, b) => a + b, 0);
  return (
    <>
      <PageHeader
        title="Master data audit"
        description="Item records of the ERP and the WMS compared field by field, recomputed whenever item masters arrive. The ERP owns item data: fix the WMS side unless the ERP is wrong."
        actions={<a href={`/api/export/findings${withParams(flat, { page: null })}`} download className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50">Export findings CSV</a>}
      />
      <div className="space-y-4">
        <div className="grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-8" data-testid="finding-counts">
          {MASTER_DATA_FINDINGS.map((k) => (
            <Link key={k} href={withParams({}, { kind: k })} className={`rounded-lg border bg-white px-3 py-2 shadow-sm hover:border-blue-300 ${f.kind === k ? 'border-blue-500' : 'border-slate-200'}`}>
              <span className="block text-xs text-slate-500">{LABEL[k]}</span>
              <span className="text-xl font-semibold tabular-nums text-slate-900">{(counts.byKind[k] ?? 0).toLocaleString('en-US')}</span>
            </Link>
          ))}
        </div>
        <p className="text-xs text-slate-500">
          {total.toLocaleString('en-US')} findings over {(counts.items.erp ?? 0).toLocaleString('en-US')} ERP and {(counts.items.wms ?? 0).toLocaleString('en-US')} WMS item records.
        </p>
        <Card>
          <form method="get" className="flex flex-wrap items-end gap-3 border-b border-slate-100 px-4 py-2 text-sm">
            <SelectField id="md-kind" label="Finding" name="kind" defaultValue={f.kind} options={MASTER_DATA_FINDINGS.map((k) => [k, LABEL[k]] as const)} empty="Any" />
            <TextField id="md-sku" label="SKU contains" name="sku" type="search" defaultValue={f.sku} width="w-40" />
            <button type="submit" className="rounded-md bg-slate-800 px-3 py-1.5 font-medium text-white">Filter</button>
            {f.kind || f.sku ? <Link href="/master-data" className="pb-1 text-xs text-blue-700 hover:underline">Clear filters</Link> : null}
          </form>
          {result.rows.length === 0 ? (
            <CardBody>
              <EmptyState title={total === 0 ? 'Both item masters agree' : 'No findings match'}>
                {total === 0 ? (counts.items.erp || counts.items.wms ? 'Every item exists in both systems with the same units, controls and status.' : 'No item masters yet: POST them to /api/v1/items.') : 'Clear a filter to see more.'}
              </EmptyState>
            </CardBody>
          ) : (
            <Table caption="Master data findings">
              <thead><tr><Th>Finding</Th><Th>SKU</Th><Th>Field</Th><Th>ERP</Th><Th>WMS</Th><Th>Detected</Th></tr></thead>
              <tbody>
                {result.rows.map((r) => (
                  <tr key={r.id} data-testid="finding-row">
                    <Td><Badge tone={r.kind.startsWith('missing') || r.kind === 'near_identical_code' ? 'bad' : 'warn'}>{LABEL[r.kind] ?? r.kind}</Badge></Td>
                    <Td className="font-mono">{r.sku}{r.otherSku ? <span className="text-slate-500"> ≈ {r.otherSku}</span> : null}</Td>
                    <Td className="text-xs">{r.field}</Td>
                    <Td className="font-mono text-xs">{r.erpValue ?? '—'}</Td>
                    <Td className="font-mono text-xs">{r.wmsValue ?? '—'}</Td>
                    <Td><Time iso={r.detectedAt} /></Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </Card>
        <Pagination page={result.page} pages={result.pages} total={result.total} params={flat} noun="findings" />
      </div>
    </>
  );
}
