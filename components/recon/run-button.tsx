'use client';
import { JobButton } from '@/components/jobs/job-button';
import type { JobState } from '@/components/jobs/use-job';

interface RunState extends JobState {
  counts: Record<string, number>;
}

const differences = (run: RunState) => Object.values(run.counts).reduce((a, b) => a + b, 0);

/**
 * Starts a reconciliation and follows it (polled every second while it is queued or running), then
 * the page refreshes to show its differences.
 */
export function RunButton({ facility, activeRunId }: { facility: string; activeRunId: number | null }) {
  return (
    <JobButton<RunState>
      job={{ statusBase: '/api/v1/reconciliations/', noun: 'run', conflictKey: 'runId', initialId: activeRunId }}
      testId="run-reconciliation"
      idleText={`Reconcile ${facility} now`}
      busyText="Reconciling…"
      startUrl="/api/v1/reconciliations"
      startInit={{ headers: { 'content-type': 'application/json' }, body: JSON.stringify({ facility }) }}
      succeeded={(run) => `Run ${run.id} finished: ${differences(run).toLocaleString()} differences.`}
    />
  );
}
