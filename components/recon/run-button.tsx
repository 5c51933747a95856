'use client';
import { useJob, type JobState } from '@/components/jobs/use-job';
import { ProgressBar } from '@/components/recon/progress-bar';

interface RunState extends JobState {
  counts: Record<string, number>;
}

/**
 * Starts a reconciliation and follows it (polled every second while it is queued or running), then
 * the page refreshes to show its differences.
 */
export function RunButton({ facility, activeRunId }: { facility: string; activeRunId: number | null }) {
  const {
    job: run,
    error,
    busy,
    active,
    start,
  } = useJob<RunState>({
    statusBase: '/api/v1/reconciliations/',
    noun: 'run',
    conflictKey: 'runId',
    initialId: activeRunId,
  });
  return (
    <div className="flex min-w-64 flex-col gap-2" data-testid="run-reconciliation">
      <button
        type="button"
        onClick={() =>
          start('/api/v1/reconciliations', {
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ facility }),
          })
        }
        disabled={busy || active}
        className="rounded-md bg-blue-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-800 disabled:cursor-not-allowed disabled:opacity-60"
      >
        {active ? 'Reconciling…' : `Reconcile ${facility} now`}
      </button>
      {run && (active || run.status !== 'succeeded') ? (
        <ProgressBar
          label={`Run ${run.id}: ${run.status}`}
          value={run.progress}
          tone={run.status === 'failed' ? 'bad' : 'info'}
        />
      ) : null}
      {run?.status === 'succeeded' ? (
        <p className="text-xs text-green-800" role="status">
          Run {run.id} finished:{' '}
          {Object.values(run.counts)
            .reduce((a, b) => a + b, 0)
            .toLocaleString()}{' '}
          differences.
        </p>
      ) : null}
      {run?.status === 'failed' ? (
        <p className="text-xs text-red-800" role="status">
          {run.error}
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
