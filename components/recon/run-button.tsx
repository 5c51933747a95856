'use client';
import { useEffect, useState } from 'react';
import { useRouter } from 'next/navigation';
import { ProgressBar } from '@/components/recon/progress-bar';

interface RunState {
  id: number;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  progress: number;
  error: string | null;
  counts: Record<string, number>;
}

/**
 * Starts a reconciliation and follows it: the run's state is polled from the API every second
 * while it is queued or running, then the page refreshes to show its differences.
 */
export function RunButton({ facility, activeRunId }: { facility: string; activeRunId: number | null }) {
  const router = useRouter();
  const [run, setRun] = useState<RunState | null>(null);
  const [runId, setRunId] = useState<number | null>(activeRunId);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!runId) return;
    let stop = false;
    const poll = async () => {
      try {
        const res = await fetch(`/api/v1/reconciliations/${runId}`, { cache: 'no-store' });
        const body = await res.json();
        if (!res.ok) throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
        if (stop) return;
        setRun(body);
        if (body.status === 'queued' || body.status === 'running') setTimeout(poll, 1000);
        else {
          setRunId(null);
          router.refresh();
        }
      } catch (e) {
        if (!stop) {
          setError(`Lost track of run ${runId}: ${(e as Error).message}. Reload to see where it stands.`);
          setRunId(null);
        }
      }
    };
    void poll();
    return () => {
      stop = true;
    };
  }, [runId, router]);

  async function start() {
    setBusy(true);
    setError(null);
    setRun(null);
    try {
      const res = await fetch('/api/v1/reconciliations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ facility }) });
      const body = await res.json();
      if (res.status === 409 && body?.error?.runId) setRunId(body.error.runId);
      else if (!res.ok) setError(body?.error?.message ?? `The server answered ${res.status}.`);
      else setRunId(body.id);
    } catch (e) {
      setError(`Could not reach the server: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  }

  const active = !!runId || run?.status === 'queued' || run?.status === 'running';
  return (
    <div className="flex min-w-64 flex-col gap-2" data-testid="run-reconciliation">
      <button
        type="button"
        onClick={start}
        disabled={busy || active}
        className="rounded-md bg-blue-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-800 disabled:cursor-not-allowed disabled:opacity-60"
      >
        {active ? 'Reconciling…' : `Reconcile ${facility} now`}
      </button>
      {run && (active || run.status !== 'succeeded') ? (
        <ProgressBar label={`Run ${run.id}: ${run.status}`} value={run.progress} tone={run.status === 'failed' ? 'bad' : 'info'} />
      ) : null}
      {run?.status === 'succeeded' ? (
        <p className="text-xs text-green-800" role="status">
          Run {run.id} finished: {Object.values(run.counts).reduce((a, b) => a + b, 0).toLocaleString()} differences.
        </p>
      ) : null}
      {run?.status === 'failed' ? <p className="text-xs text-red-800" role="status">{run.error}</p> : null}
      {error ? <p className="text-xs text-red-800" role="status">{error}</p> : null}
    </div>
  );
}
