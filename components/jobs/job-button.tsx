'use client';
import type { ReactNode } from 'react';
import { useJob, type JobState } from '@/components/jobs/use-job';
import { ProgressBar } from '@/components/recon/progress-bar';

type JobOptions = Parameters<typeof useJob>[0];

/**
 * A button that starts a long job (POST `startUrl`) and follows it with `useJob`: a progress bar
 * while it is queued or running (and after it failed), what it did once it succeeded, and the
 * job's or the request's error.
 */
export function JobButton<T extends JobState>({
  job: options,
  testId,
  idleText,
  busyText,
  startUrl,
  startInit = {},
  progressLabel,
  succeeded,
  className = '',
}: {
  job: JobOptions;
  testId: string;
  idleText: string;
  busyText: string;
  startUrl: string;
  startInit?: RequestInit;
  /** The progress bar's label; `${Noun} ${id}: ${status}` when left out. */
  progressLabel?: (job: T) => string;
  /** What a succeeded job did (shown as a status line); nothing when it returns null. */
  succeeded: (job: T) => ReactNode;
  className?: string;
}) {
  const { job, error, busy, active, start } = useJob<T>(options);
  const noun = options.noun.charAt(0).toUpperCase() + options.noun.slice(1);
  const done = job?.status === 'succeeded' ? succeeded(job) : null;
  return (
    <div className="flex min-w-64 flex-col gap-2" data-testid={testId}>
      <button
        type="button"
        onClick={() => start(startUrl, startInit)}
        disabled={busy || active}
        className={`${className} rounded-md bg-blue-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-800 disabled:cursor-not-allowed disabled:opacity-60`}
      >
        {active ? busyText : idleText}
      </button>
      {job && (active || job.status === 'failed') ? (
        <ProgressBar
          label={progressLabel ? progressLabel(job) : `${noun} ${job.id}: ${job.status}`}
          value={job.progress}
          tone={job.status === 'failed' ? 'bad' : 'info'}
        />
      ) : null}
      {done != null ? (
        <p className="text-xs text-green-800" role="status">
          {done}
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
