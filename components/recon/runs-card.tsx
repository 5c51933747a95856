import Link from 'next/link';
import { runTone } from '@/components/recon/labels';
import { runsOf } from '@/components/recon/loaders';
import { ProgressBar } from '@/components/recon/progress-bar';
import { RunButton } from '@/components/recon/run-button';
import { Badge } from '@/components/ui/badge';
import { Table, Td, Th } from '@/components/ui/table';
import { TableCard } from '@/components/ui/table-card';
import { Time } from '@/components/ui/time';
import { withParams } from '@/lib/http/search-params';
import { listSnapshots, type RunRow } from '@/lib/recon/queries';
import { describeRules } from '@/lib/sku-matching/rules';
import { readDb } from '@/lib/http/read';

const active = (run: RunRow | null) => !!run && (run.status === 'running' || run.status === 'queued');

/** The newest run of each facility, with its progress and (for roles that may) a button to run it. */
export async function RunsByFacilityCard({
  facility,
  facilities,
  canRun,
}: {
  facility: string | null;
  facilities: string[];
  canRun: boolean;
}) {
  const runs = await runsOf(facility);
  const latest = new Map<string, RunRow>();
  for (const r of runs) if (!latest.has(r.facility)) latest.set(r.facility, r);
  const rows = (facility ? [facility] : facilities).map((fac) => ({ facility: fac, run: latest.get(fac) ?? null }));
  return (
    <TableCard
      title="Runs by facility"
      description="The newest run of each facility. A run compares the newest ERP and WMS snapshots; only one runs per facility at a time."
      rows={rows}
      empty={{
        title: 'No snapshots yet',
        text: 'Upload an ERP and a WMS snapshot of a facility below (or POST them to /api/v1/snapshots), then reconcile it.',
      }}
    >
      <Table caption="Runs by facility">
        <thead>
          <tr>
            <Th>Facility</Th>
            <Th>Latest run</Th>
            <Th>Snapshots compared</Th>
            <Th align="right">Differences</Th>
            <Th>Finished</Th>
            {canRun ? <Th>Run</Th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map(({ facility: fac, run }) => (
            <tr key={fac} data-testid="facility-run">
              <Td className="font-medium">
                <Link href={withParams({}, { facility: fac })} className="text-blue-700 hover:underline">
                  {fac}
                </Link>
              </Td>
              <Td>
                {run ? (
                  <div className="w-56 space-y-1">
                    <span className="flex items-center gap-2">
                      <Badge tone={runTone(run.status)}>{run.status}</Badge>
                      <span className="text-xs text-slate-500">run {run.id}</span>
                    </span>
                    {active(run) ? <ProgressBar label={`Run ${run.id}`} value={run.progress} /> : null}
                    {run.error ? <p className="text-xs text-red-800">{run.error}</p> : null}
                  </div>
                ) : (
                  <span className="text-slate-500">never run</span>
                )}
              </Td>
              <Td className="text-xs">
                {run ? (
                  <>
                    ERP <Time iso={run.erpTakenAt} /> · WMS <Time iso={run.wmsTakenAt} />
                    {run.skuMatching ? (
                      <span className="block text-slate-500" data-testid="run-sku-matching">
                        SKUs: {describeRules(run.skuMatching)}
                        {run.matchedByRule ? `; ${run.matchedByRule.toLocaleString()} matched only by a rule` : ''}
                      </span>
                    ) : null}
                  </>
                ) : (
                  '—'
                )}
              </Td>
              <Td align="right">{run?.status === 'succeeded' ? run.differences.toLocaleString('en-US') : '—'}</Td>
              <Td>{run ? <Time iso={run.finishedAt} /> : '—'}</Td>
              {canRun ? (
                <Td>
                  <RunButton facility={fac} activeRunId={run && active(run) ? run.id : null} />
                </Td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </Table>
    </TableCard>
  );
}

/** Every run of the facility (or of all), newest first. */
export async function RunHistoryCard({ facility }: { facility: string | null }) {
  const runs = await runsOf(facility);
  return (
    <TableCard title="Run history" rows={runs} empty={{ title: 'No runs yet' }}>
      <Table caption="Run history" columns={['Run', 'Facility', 'Status', ['Differences', 'right'], 'Requested', 'By']}>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id}>
              <Td>
                <Link
                  href={withParams({}, { facility: r.facility, run: String(r.id) })}
                  className="text-blue-700 hover:underline"
                >
                  {r.id}
                </Link>
              </Td>
              <Td>{r.facility}</Td>
              <Td>
                <Badge tone={runTone(r.status)}>{r.status}</Badge>
              </Td>
              <Td align="right">{r.status === 'succeeded' ? r.differences.toLocaleString('en-US') : '—'}</Td>
              <Td>
                <Time iso={r.createdAt} />
              </Td>
              <Td className="text-xs">{r.requestedBy ?? '—'}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </TableCard>
  );
}

/** The newest snapshots received, of either system. */
export async function RecentSnapshotsCard({ facility }: { facility: string | null }) {
  const snapshots = await listSnapshots(await readDb(), facility, 8);
  return (
    <TableCard title="Recent snapshots" rows={snapshots} empty={{ title: 'No snapshots yet' }}>
      <Table caption="Recent snapshots" columns={['System', 'Facility', 'Taken', ['Rows', 'right'], 'From']}>
        <tbody>
          {snapshots.map((s) => (
            <tr key={s.id} data-testid="snapshot-row">
              <Td>{s.system.toUpperCase()}</Td>
              <Td>{s.facility}</Td>
              <Td>
                <Time iso={s.takenAt} />
              </Td>
              <Td align="right">{s.rowCount.toLocaleString('en-US')}</Td>
              <Td className="text-xs">{s.source ?? '—'}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </TableCard>
  );
}
