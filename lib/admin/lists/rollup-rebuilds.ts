/** Past rollup rebuilds (the job itself, with its progress, is lib/kpi/rebuild and /api/admin/rollup-rebuilds). */
import 'server-only';
import { defineList } from '@/lib/admin/list';
import { listRebuilds } from '@/lib/kpi/rebuild';

type Rebuild = Awaited<ReturnType<typeof listRebuilds>>[number];

/** Days with messages rebuilt; while it runs, how far it got. */
function daysCell(r: Rebuild) {
  if (r.daysRebuilt === null) return null;
  return r.status === 'succeeded' ? r.daysRebuilt : `${r.daysRebuilt} (${r.daysDone} of ${r.days} days)`;
}

export const isActiveRebuild = (r: Rebuild) => r.status === 'queued' || r.status === 'running';

export const rollupRebuildsList = defineList({
  name: 'rollup-rebuilds',
  title: 'Rollups',
  description:
    'Every ingest keeps the hourly and daily counts, delay sketches, duplicate flags and exception counts ' +
    'current. A rebuild recomputes them from the raw log, one day at a time, while messages keep arriving, and ' +
    'counts what it had to fix.',
  caption: 'Rollup rebuilds',
  empty: 'No rebuild has run yet.',
  rowTestId: 'rebuild-row',
  capability: 'admin',
  load: (db) => listRebuilds(db),
  rowKey: (r) => r.id,
  columns: [
    { key: 'startedAt', header: 'Started', cell: (r) => ({ time: r.startedAt ?? r.createdAt }) },
    { key: 'requestedBy', header: 'By', cell: (r) => r.requestedBy },
    {
      key: 'status',
      header: 'Status',
      cell: (r) => ({
        badge: r.status,
        tone: r.status === 'succeeded' ? 'ok' : r.status === 'failed' ? 'bad' : 'info',
        detail: r.error,
      }),
    },
    { key: 'days', header: 'Days with messages', align: 'right', cell: daysCell },
    { key: 'rowsFixed', header: 'Rows fixed', align: 'right', cell: (r) => r.rowsFixed },
    { key: 'duplicateFlagsFixed', header: 'Duplicate flags fixed', align: 'right', cell: (r) => r.duplicateFlagsFixed },
    { key: 'finishedAt', header: 'Finished', cell: (r) => ({ time: r.finishedAt }) },
  ],
  fields: [
    'id',
    'status',
    'requestedBy',
    'createdAt',
    'startedAt',
    'finishedAt',
    'days',
    'daysDone',
    'daysRebuilt',
    'duplicateFlagsFixed',
    'rowsFixed',
    'error',
  ],
  csvFile: 'rollup-rebuilds.csv',
});
