'use client';
import { useJob, type JobState } from '@/components/jobs/use-job';
import { ProgressBar } from '@/components/recon/progress-bar';

interface RebuildState extends JobState {
  result: {
    days: number;
    daysDone: number;
    daysRebuilt: number;
    rowsFixed: number;
    duplicateFlagsFixed: number;
  } | null;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/**
 * Starts a rollup rebuild and follows it (polled every second while it is queued or running, with
 * the day it is on), then the page refreshes to list it.
 */
export function RebuildButton({ activeJobId }: { activeJobId: number | null }) {
  const { job, error, busy, active, start } = useJob<RebuildState>({
    statusBase: '/api/admin/rollup-rebuilds/',
    noun: 'rebuild',
    conflictKey: 'jobId',
    initialId: activeJobId,
  });
  const r = job?.result;
  const label = !job
    ? ''
    : job.status === 'running' && r?.days
      ? `Rebuild ${job.id}: day ${Math.min(r.daysDone + 1, r.days)} of ${r.days}`
      : `Rebuild ${job.id}: ${job.status}`;
  return (
    <div className="flex min-w-64 flex-col gap-2" data-testid="rebuild-rollups">
      <button
        type="button"
        onClick={() => start('/api/admin/rollup-rebuilds', {})}
        disabled={busy || active}
        className="self-start rounded-md bg-blue-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-800 disabled:cursor-not-allowed disabled:opacity-60"
      >
        {active ? 'Rebuilding…' : 'Rebuild rollups'}
      </button>
      {job && (active || job.status === 'failed') ? (
        <ProgressBar label={label} value={job.progress} tone={job.status === 'failed' ? 'bad' : 'info'} />
      ) : null}
      {job?.status === 'succeeded' && r ? (
        <p className="text-xs text-green-800" role="status">
          Rebuild {job.id} finished: {plural(r.daysRebuilt, 'day')} with messages recomputed;{' '}
          {plural(r.rowsFixed, 'row')} and {plural(r.duplicateFlagsFixed, 'duplicate flag')} fixed.
        </p>
      ) : null}
      {job?.status === 'failed' ? (
        <p className="text-xs text-red-800" role="status">
          {job.error}
        </p>
      ) : null}
      {error ? (
        <p className="text-xs text-red-800" role="status">
          {error}
        </p>
      ) : null}
    </div>
  );
}
