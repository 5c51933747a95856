import Link from 'next/link';
import { ProgressBar } from '@/components/recon/progress-bar';
import { RunButton } from '@/components/recon/run-button';
import { SnapshotUpload } from '@/components/recon/snapshot-upload';
import { Badge } from '@/components/ui/badge';
import { SelectField, TextField } from '@/components/ui/field';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Pagination } from '@/components/ui/pagination';
import { Table, Td, Th } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { getDb } from '@/db';
import { can } from '@/lib/auth/permissions';
import { requireCapability } from '@/lib/auth/session';
import { withParams } from '@/lib/filters';
import { formatValue } from '@/lib/format';
import { DIFFERENCE_KINDS } from '@/lib/recon/reconcile';
import { skuMessages } from '@/lib/messages/sku';
import { differenceFilters, differenceSummary, listDifferences, listRuns, listSnapshots, snapshotFacilities, type RunRow } from '@/lib/recon/queries';

export const metadata = { title: 'Reconciliation' };

const KIND_LABEL: Record<string, string> = {
  missing_in_erp: 'Missing in ERP',
  missing_in_wms: 'Missing in WMS',
  quantity: 'Quantity',
  uom: 'Unit of measure',
  lot: 'Lot',
  location: 'Location',
};
const unitCost = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2 });
const runTone = (s: RunRow['status']) => (s === 'succeeded' ? 'ok' : s === 'failed' ? 'bad' : 'info');

export default async function ReconciliationPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireCapability('reconciliation.read');
  const money = can(user.role, 'money.read');
  const canRun = can(user.role, 'reconciliation.run');
  const params = await searchParams;
  const flat = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])) as Record<string, string | undefined>;
  const f = differenceFilters.parse(flat);
  const db = await getDb();
  const [facilities, runs, snapshots, result, summary] = await Promise.all([
    snapshotFacilities(db),
    listRuns(db, f.facility ?? null, 30),
    listSnapshots(db, f.facility ?? null, 8),
    listDifferences(db, f, money),
    differenceSummary(db, f, money),
  ]);
  const latestByFacility = new Map<string, RunRow>();
  for (const r of runs) if (!latestByFacility.has(r.facility)) latestByFacility.set(r.facility, r);
  const facilityRows = (f.facility ? [f.facility] : facilities).map((fac) => ({ facility: fac, run: latestByFacility.get(fac) ?? null }));
  const drillFacility = f.sku ? (f.facility ?? result.rows[0]?.facility ?? null) : null;
  const messages = f.sku && drillFacility ? await skuMessages(db, drillFacility, f.sku) : [];
  const exportHref = `/api/export/differences${withParams(flat, { page: null })}`;

  return (
    <>
      <PageHeader
        title="Reconciliation"
        description="Which system is right about stock: the latest ERP and WMS snapshots of each facility compared position by position, in base units of the ERP item master."
        actions={<a href={exportHref} download className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50">Export differences CSV</a>}
      />
      <div className="space-y-4">
        <form method="get" className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white px-3 py-2 text-sm shadow-sm">
          <SelectField id="rc-facility" label="Facility" name="facility" defaultValue={f.facility} options={facilities} empty="All facilities" />
          <button type="submit" className="rounded-md bg-slate-800 px-3 py-1.5 font-medium text-white">Apply</button>
          <p className="ml-auto text-xs text-slate-500">Differences come from the latest succeeded run of each facility, whatever the time range.</p>
        </form>

        <Card>
          <CardHeader title="Runs by facility" description="The newest run of each facility. A run compares the newest ERP and WMS snapshots; only one runs per facility at a time." />
          {facilityRows.length === 0 ? (
            <CardBody><EmptyState title="No snapshots yet">Upload an ERP and a WMS snapshot of a facility below (or POST them to /api/v1/snapshots), then reconcile it.</EmptyState></CardBody>
          ) : (
            <Table caption="Runs by facility">
              <thead><tr><Th>Facility</Th><Th>Latest run</Th><Th>Snapshots compared</Th><Th align="right">Differences</Th><Th>Finished</Th>{canRun ? <Th>Run</Th> : null}</tr></thead>
              <tbody>
                {facilityRows.map(({ facility, run }) => (
                  <tr key={facility} data-testid="facility-run">
                    <Td className="font-medium"><Link href={withParams({}, { facility })} className="text-blue-700 hover:underline">{facility}</Link></Td>
                    <Td>
                      {run ? (
                        <div className="w-56 space-y-1">
                          <span className="flex items-center gap-2"><Badge tone={runTone(run.status)}>{run.status}</Badge><span className="text-xs text-slate-500">run {run.id}</span></span>
                          {run.status === 'running' || run.status === 'queued' ? <ProgressBar label={`Run ${run.id}`} value={run.progress} /> : null}
                          {run.error ? <p className="text-xs text-red-800">{run.error}</p> : null}
                        </div>
                      ) : <span className="text-slate-500">never run</span>}
                    </Td>
                    <Td className="text-xs">{run ? <>ERP <Time iso={run.erpTakenAt} /> · WMS <Time iso={run.wmsTakenAt} /></> : '—'}</Td>
                    <Td align="right">{run?.status === 'succeeded' ? run.differences.toLocaleString('en-US') : '—'}</Td>
                    <Td>{run ? <Time iso={run.finishedAt} /> : '—'}</Td>
                    {canRun ? (
                      <Td><RunButton facility={facility} activeRunId={run && (run.status === 'running' || run.status === 'queued') ? run.id : null} /></Td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </Card>

        {canRun ? (
          <Card>
            <CardHeader title="Upload a snapshot (CSV)" description="One file per system and facility: columns for SKU, UOM and quantity (location and lot optional). Every row is checked; a file with any bad row stores nothing." />
            <CardBody><SnapshotUpload facilities={facilities} defaultFacility={f.facility ?? null} /></CardBody>
          </Card>
        ) : null}

        <div className="grid gap-4 lg:grid-cols-3">
          <Card>
            <CardHeader title="By kind" description={money ? 'Count and value at ERP unit cost' : 'Count'} />
            <ul className="divide-y divide-slate-100 text-sm" data-testid="by-kind">
              <li className="flex justify-between px-4 py-2 font-medium">
                <span>All differences</span>
                <span className="tabular-nums">{summary.total.toLocaleString('en-US')}{money ? ` · ${formatValue(summary.value, 'money')}` : ''}</span>
              </li>
              {summary.byKind.map((k) => (
                <li key={k.key} className="flex justify-between px-4 py-2">
                  <Link href={withParams(flat, { kind: k.key, page: null })} className="text-blue-700 hover:underline">{KIND_LABEL[k.key] ?? k.key}</Link>
                  <span className="tabular-nums">{k.n.toLocaleString('en-US')}{money ? ` · ${formatValue(k.value, 'money')}` : ''}</span>
                </li>
              ))}
            </ul>
          </Card>
          <Card>
            <CardHeader title="By suspected source" description="The tx type of the last message for the SKU before the WMS snapshot" />
            <ul className="divide-y divide-slate-100 text-sm">
              {summary.bySource.map((s) => (
                <li key={s.key} className="flex justify-between px-4 py-2">
                  <Link href={withParams(flat, { source: s.key, page: null })} className="text-blue-700 hover:underline">{s.key}</Link>
                  <span className="tabular-nums">{s.n.toLocaleString('en-US')}{money ? ` · ${formatValue(s.value, 'money')}` : ''}</span>
                </li>
              ))}
              {summary.bySource.length === 0 ? <li className="px-4 py-2 text-slate-500">No differences.</li> : null}
            </ul>
          </Card>
          <Card>
            <CardHeader title={money ? 'Top SKUs by value at risk' : 'Top SKUs by quantity'} />
            <ul className="divide-y divide-slate-100 text-sm" data-testid="top-skus">
              {summary.topSkus.map((s) => (
                <li key={`${s.facility}|${s.sku}`} className="flex justify-between px-4 py-2">
                  <Link href={withParams(flat, { sku: s.sku, facility: s.facility, page: null })} className="text-blue-700 hover:underline">{s.sku} <span className="text-xs text-slate-500">{s.facility}</span></Link>
                  <span className="tabular-nums">{s.delta} units{money ? ` · ${formatValue(s.value, 'money')}` : ''}</span>
                </li>
              ))}
              {summary.topSkus.length === 0 ? <li className="px-4 py-2 text-slate-500">No differences.</li> : null}
            </ul>
          </Card>
        </div>

        <Card>
          <CardHeader title="Differences" description="Quantities in base units; delta is WMS minus ERP." />
          <form method="get" className="flex flex-wrap items-end gap-3 border-b border-slate-100 px-4 py-2 text-sm">
            {f.facility ? <input type="hidden" name="facility" value={f.facility} /> : null}
            {f.run ? <input type="hidden" name="run" value={f.run} /> : null}
            <SelectField id="rc-kind" label="Kind" name="kind" defaultValue={f.kind} options={DIFFERENCE_KINDS.map((k) => [k, KIND_LABEL[k]] as const)} empty="Any" />
            <SelectField id="rc-source" label="Suspected source" name="source" defaultValue={f.source} options={summary.bySource.map((s) => s.key)} empty="Any" />
            <TextField id="rc-sku" label="SKU" name="sku" defaultValue={f.sku} />
            <TextField id="rc-location" label="Location" name="location" defaultValue={f.location} width="w-28" />
            <SelectField
              id="rc-sort"
              label="Sort by"
              name="sort"
              defaultValue={f.sort}
              options={[['value', money ? 'Value at risk' : 'Size of delta'], ['delta', 'Size of delta'], ['sku', 'SKU'], ['kind', 'Kind']]}
            />
            <button type="submit" className="rounded-md bg-slate-800 px-3 py-1.5 font-medium text-white">Filter</button>
            {f.kind || f.source || f.sku || f.location ? <Link href={withParams({}, { facility: f.facility ?? null })} className="pb-1 text-xs text-blue-700 hover:underline">Clear filters</Link> : null}
          </form>
          {result.rows.length === 0 ? (
            <CardBody>
              <EmptyState title={summary.total === 0 ? 'No differences' : 'No differences match'}>
                {summary.total === 0 ? 'Either no run has succeeded yet, or both systems agree on every position.' : 'Clear a filter to see more.'}
              </EmptyState>
            </CardBody>
          ) : (
            <Table caption="Differences">
              <thead>
                <tr>
                  <Th>Facility</Th><Th>Kind</Th><Th>SKU</Th><Th>Location</Th><Th>Lot</Th><Th align="right">ERP qty</Th><Th align="right">WMS qty</Th><Th align="right">Delta</Th><Th>Source</Th>
                  {money ? <><Th align="right">Unit cost</Th><Th align="right">Value</Th></> : null}
                </tr>
              </thead>
              <tbody>
                {result.rows.map((d) => (
                  <tr key={d.id} data-testid="difference-row">
                    <Td>{d.facility}</Td>
                    <Td><Badge tone={d.kind === 'quantity' || d.kind.startsWith('missing') ? 'bad' : 'warn'}>{KIND_LABEL[d.kind] ?? d.kind}</Badge></Td>
                    <Td><Link href={withParams(flat, { sku: d.sku, facility: d.facility, page: null })} className="font-mono text-blue-700 hover:underline">{d.sku}</Link></Td>
                    <Td className="text-xs">{d.location || '—'}{d.wmsLocation !== null && d.wmsLocation !== d.location ? <> → {d.wmsLocation || '—'}</> : null}</Td>
                    <Td className="text-xs">{d.lot || '—'}{d.wmsLot !== null && d.wmsLot !== d.lot ? <> → {d.wmsLot || '—'}</> : null}</Td>
                    <Td align="right">{d.erpQuantity ?? '—'}{d.erpUoms ? <span className="block text-xs text-slate-500">counted in {d.erpUoms}</span> : null}</Td>
                    <Td align="right">{d.wmsQuantity ?? '—'}{d.wmsUoms ? <span className="block text-xs text-slate-500">counted in {d.wmsUoms}</span> : null}</Td>
                    <Td align="right" className="font-medium">{Number(d.delta) > 0 ? `+${d.delta}` : d.delta}</Td>
                    <Td className="text-xs">{d.suspectedSource}</Td>
                    {money ? <><Td align="right">{d.unitCost ? unitCost.format(Number(d.unitCost)) : '—'}</Td><Td align="right">{formatValue(Number(d.value ?? 0), 'money')}</Td></> : null}
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </Card>
        <Pagination page={result.page} pages={result.pages} total={result.total} params={flat} noun="differences" />

        {f.sku ? (
          <Card>
            <CardHeader title={`Messages that touched ${f.sku}${drillFacility ? ` at ${drillFacility}` : ''}`} description="Newest first; the suspected source is the newest one created before the WMS snapshot." />
            {messages.length === 0 ? (
              <CardBody><EmptyState title="No messages for this SKU">Nothing in the integration log touched it here: the difference came from outside the interface (a manual correction, a count).</EmptyState></CardBody>
            ) : (
              <Table caption={`Messages for ${f.sku}`}>
                <thead><tr><Th>Created</Th><Th>Message</Th><Th>Tx type</Th><Th>Direction</Th><Th align="right">Qty</Th><Th>Location</Th><Th>Lot</Th><Th>Status</Th></tr></thead>
                <tbody>
                  {messages.map((m) => (
                    <tr key={m.messageId} data-testid="sku-message-row">
                      <Td><Time iso={m.createdAt} withSeconds /></Td>
                      <Td className="font-mono text-xs">{m.messageId}</Td>
                      <Td>{m.txType}</Td>
                      <Td className="text-xs">{m.direction}</Td>
                      <Td align="right">{m.quantity ?? '—'} {m.uom}</Td>
                      <Td className="text-xs">{m.location ?? '—'}</Td>
                      <Td className="text-xs">{m.lot ?? '—'}</Td>
                      <Td><Badge tone={m.status === 'delivered' ? 'ok' : m.status === 'failed' || m.status === 'dead_letter' ? 'bad' : 'warn'}>{m.status}</Badge>{m.errorCode ? <span className="ml-1 font-mono text-xs text-red-700">{m.errorCode}</span> : null}</Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
          </Card>
        ) : null}

        <div className="grid gap-4 lg:grid-cols-2">
          <Card>
            <CardHeader title="Run history" />
            {runs.length === 0 ? <CardBody><EmptyState title="No runs yet" /></CardBody> : (
              <Table caption="Run history">
                <thead><tr><Th>Run</Th><Th>Facility</Th><Th>Status</Th><Th align="right">Differences</Th><Th>Requested</Th><Th>By</Th></tr></thead>
                <tbody>
                  {runs.map((r) => (
                    <tr key={r.id}>
                      <Td><Link href={withParams({}, { facility: r.facility, run: String(r.id) })} className="text-blue-700 hover:underline">{r.id}</Link></Td>
                      <Td>{r.facility}</Td>
                      <Td><Badge tone={runTone(r.status)}>{r.status}</Badge></Td>
                      <Td align="right">{r.status === 'succeeded' ? r.differences.toLocaleString('en-US') : '—'}</Td>
                      <Td><Time iso={r.createdAt} /></Td>
                      <Td className="text-xs">{r.requestedBy ?? '—'}</Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
          </Card>
          <Card>
            <CardHeader title="Recent snapshots" />
            {snapshots.length === 0 ? <CardBody><EmptyState title="No snapshots yet" /></CardBody> : (
              <Table caption="Recent snapshots">
                <thead><tr><Th>System</Th><Th>Facility</Th><Th>Taken</Th><Th align="right">Rows</Th><Th>From</Th></tr></thead>
                <tbody>
                  {snapshots.map((s) => (
                    <tr key={s.id} data-testid="snapshot-row">
                      <Td>{s.system.toUpperCase()}</Td>
                      <Td>{s.facility}</Td>
                      <Td><Time iso={s.takenAt} /></Td>
                      <Td align="right">{s.rowCount.toLocaleString('en-US')}</Td>
                      <Td className="text-xs">{s.source ?? '—'}</Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
          </Card>
        </div>
      </div>
    </>
  );
}
