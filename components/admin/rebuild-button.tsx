'use client';
import { JobButton } from '@/components/jobs/job-button';
import type { JobState } from '@/components/jobs/use-job';

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
  return (
    <JobButton<RebuildState>
      job={{ statusBase: '/api/admin/rollup-rebuilds/', noun: 'rebuild', conflictKey: 'jobId', initialId: activeJobId }}
      testId="rebuild-rollups"
      idleText="Rebuild rollups"
      busyText="Rebuilding…"
      startUrl="/api/admin/rollup-rebuilds"
      className="self-start"
      progressLabel={(job) =>
        job.status === 'running' && job.result?.days
          ? `Rebuild ${job.id}: day ${Math.min(job.result.daysDone + 1, job.result.days)} of ${job.result.days}`
          : `Rebuild ${job.id}: ${job.status}`
      }
      succeeded={(job) =>
        job.result ? (
          <>
            Rebuild {job.id} finished: {plural(job.result.daysRebuilt, 'day')} with messages recomputed;{' '}
            {plural(job.result.rowsFixed, 'row')} and {plural(job.result.duplicateFlagsFixed, 'duplicate flag')} fixed.
          </>
        ) : null
      }
    />
  );
}
