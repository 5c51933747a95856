import { TrendChart, type Annotation } from '@/components/charts/trend-chart';
import { PairsTable } from '@/components/corrections/pairs-table';
import { ScopeBar } from '@/components/filters/scope-bar';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Pagination } from '@/components/ui/pagination';
import { Table, Td, Th } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { Badge } from '@/components/ui/badge';
import { SelectField, TextField } from '@/components/ui/field';
import { getDb } from '@/db';
import { requireCapability } from '@/lib/auth/session';
import { scopeFromParams, withParams } from '@/lib/filters';
import { changeAnnotations, facilities } from '@/lib/kpi/series';
import { correctionFilters, correctionTrend, duplicateCorrectionPairs, listCorrections } from '@/lib/corrections/queries';

export const metadata = { title: 'Manual corrections' };

const PAIRS_PAGE = 20;

export default async function CorrectionsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireCapability('corrections.read');
  const params = await searchParams;
  const flat = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])) as Record<string, string | undefined>;
  const scope = scopeFromParams(params);
  const f = correctionFilters.parse(flat);
  const db = await getDb();
  const [list, trend, pairs, facilityList, changes] = await Promise.all([
    listCorrections(db, f, scope),
    correctionTrend(db, f, scope),
    duplicateCorrectionPairs(db, scope),
    facilities(db),
    changeAnnotations(db, scope),
  ]);
  const pairPages = Math.max(1, Math.ceil(pairs.length / PAIRS_PAGE));
  const dpage = Math.min(f.dpage, pairPages);
  const annotations: Annotation[] = changes.map((c) => ({ at: c.at, label: `${c.kind}: ${c.summary}${c.reviewed ? '' : ' (not reviewed)'}`, reviewed: c.reviewed }));
  const totals = trend.buckets.reduce((a, d) => ({ erp: a.erp + d.erp, wms: a.wms + d.wms }), { erp: 0, wms: 0 });
  return (
    <>
      <PageHeader
        title="Manual corrections"
        description="Stock corrections people keyed by hand in either system, over time and by reason, and the ones keyed in both systems for the same change (counted twice)."
        actions={<a href={`/api/export/corrections${withParams(flat, { page: null, dpage: null })}`} download className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50">Export corrections CSV</a>}
      />
      <div className="space-y-4">
        <ScopeBar scope={scope} facilities={facilityList} extra={{ system: f.system, reason: f.reason, sku: f.sku }} />
        <div className="grid gap-4 xl:grid-cols-3">
          <Card className="xl:col-span-2">
            <CardHeader title={`Corrections per ${trend.grain} by system`} description={`${totals.erp.toLocaleString('en-US')} in the ERP, ${totals.wms.toLocaleString('en-US')} in the WMS; dashed lines are change-log entries.`} />
            <CardBody>
              {totals.erp + totals.wms === 0 ? (
                <EmptyState title="No corrections in this window">Pick a longer range, or send corrections to /api/v1/corrections.</EmptyState>
              ) : (
                <TrendChart
                  data={trend.buckets}
                  config={{ series: { erp: { label: 'ERP', color: '#1d4ed8' }, wms: { label: 'WMS', color: '#b45309' } }, format: 'count' }}
                  grain={trend.grain}
                  annotations={annotations}
                />
              )}
            </CardBody>
          </Card>
          <Card>
            <CardHeader title="By reason code" />
            {trend.byReason.length === 0 ? <CardBody><EmptyState title="No corrections" /></CardBody> : (
              <Table caption="Corrections by reason code">
                <thead><tr><Th>Reason</Th><Th align="right">ERP</Th><Th align="right">WMS</Th></tr></thead>
                <tbody>
                  {trend.byReason.map((r) => (
                    <tr key={r.reason}>
                      <Td><a href={withParams(flat, { reason: r.reason === '(none)' ? null : r.reason, page: null })} className="text-blue-700 hover:underline">{r.reason}</a></Td>
                      <Td align="right">{r.erp.toLocaleString('en-US')}</Td>
                      <Td align="right">{r.wms.toLocaleString('en-US')}</Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
          </Card>
        </div>

        <Card>
          <CardHeader
            title={`Keyed in both systems: ${pairs.length.toLocaleString('en-US')} pairs`}
            description="An ERP and a WMS correction of the same facility, SKU and lot with the same quantity in base units, at most 24 h apart, matched one to one in time order. One of each pair is probably a double count."
          />
          {pairs.length === 0 ? <CardBody><EmptyState title="No duplicate corrections in this window" /></CardBody> : (
            <PairsTable pairs={pairs.slice((dpage - 1) * PAIRS_PAGE, dpage * PAIRS_PAGE)} caption="Duplicate corrections" testId="duplicate-pair" />
          )}
        </Card>
        {pairs.length > PAIRS_PAGE ? <Pagination page={dpage} pages={pairPages} total={pairs.length} params={flat} param="dpage" noun="pairs" /> : null}

        <Card>
          <CardHeader title="All corrections" />
          <form method="get" className="flex flex-wrap items-end gap-3 border-b border-slate-100 px-4 py-2 text-sm">
            {(['range', 'from', 'to', 'facility'] as const).map((k) => (flat[k] ? <input key={k} type="hidden" name={k} value={flat[k]} /> : null))}
            <SelectField id="co-system" label="System" name="system" defaultValue={f.system} options={[['erp', 'ERP'], ['wms', 'WMS']]} empty="Both" />
            <SelectField id="co-reason" label="Reason code" name="reason" defaultValue={f.reason} options={trend.byReason.map((r) => r.reason).filter((r) => r !== '(none)')} empty="Any" />
            <TextField id="co-sku" label="SKU" name="sku" defaultValue={f.sku} />
            <button type="submit" className="rounded-md bg-slate-800 px-3 py-1.5 font-medium text-white">Filter</button>
          </form>
          {list.rows.length === 0 ? <CardBody><EmptyState title="No corrections match">Widen the time range or clear a filter.</EmptyState></CardBody> : (
            <Table caption="Manual corrections">
              <thead><tr><Th>At</Th><Th>System</Th><Th>Facility</Th><Th>SKU</Th><Th>Location</Th><Th>Lot</Th><Th align="right">Quantity</Th><Th>Reason</Th><Th>User</Th><Th>Correction</Th></tr></thead>
              <tbody>
                {list.rows.map((c) => (
                  <tr key={c.correctionId} data-testid="correction-row">
                    <Td><Time iso={c.at} /></Td>
                    <Td><Badge tone={c.system === 'erp' ? 'info' : 'neutral'}>{c.system.toUpperCase()}</Badge></Td>
                    <Td>{c.facility}</Td>
                    <Td className="font-mono">{c.sku}</Td>
                    <Td className="text-xs">{c.location ?? '—'}</Td>
                    <Td className="text-xs">{c.lot ?? '—'}</Td>
                    <Td align="right">{Number(c.quantityDelta) > 0 ? `+${c.quantityDelta}` : c.quantityDelta} {c.uom}</Td>
                    <Td className="text-xs">{c.reasonCode ?? '—'}</Td>
                    <Td className="text-xs">{c.userName ?? '—'}</Td>
                    <Td className="font-mono text-xs">{c.correctionId}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </Card>
        <Pagination page={list.page} pages={list.pages} total={list.total} params={flat} noun="corrections" />
      </div>
    </>
  );
}
