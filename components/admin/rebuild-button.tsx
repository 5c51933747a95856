'use client';
import { useEffect, useState } from 'react';
import { useRouter } from 'next/navigation';
import { ProgressBar } from '@/components/recon/progress-bar';

interface JobState {
  id: number;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  progress: number;
  error: string | null;
  result: { days: number; daysDone: number; rowsFixed: number; duplicateFlagsFixed: number } | null;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/**
 * Starts a rollup rebuild and follows it: the job is polled every second while it is queued or
 * running (with the days done so far), then the page refreshes to list it.
 */
export function RebuildButton({ activeJobId }: { activeJobId: number | null }) {
  const router = useRouter();
  const [job, setJob] = useState<JobState | null>(null);
  const [jobId, setJobId] = useState<number | null>(activeJobId);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!jobId) return;
    let stop = false;
    const poll = async () => {
      try {
        const res = await fetch(`/api/admin/rollup-rebuilds/${jobId}`, { cache: 'no-store' });
        const body = await res.json();
        if (!res.ok) throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
        if (stop) return;
        setJob(body);
        if (body.status === 'queued' || body.status === 'running') setTimeout(poll, 1000);
        else {
          setJobId(null);
          router.refresh();
        }
      } catch (e) {
        if (!stop) {
          setError(`Lost track of rebuild ${jobId}: ${(e as Error).message}. Reload to see where it stands.`);
          setJobId(null);
        }
      }
    };
    void poll();
    return () => {
      stop = true;
    };
  }, [jobId, router]);

  async function start() {
    setBusy(true);
    setError(null);
    setJob(null);
    try {
      const res = await fetch('/api/admin/rollup-rebuilds', { method: 'POST' });
      const body = await res.json();
      if (res.status === 409 && body?.error?.jobId) setJobId(body.error.jobId);
      else if (!res.ok) setError(body?.error?.message ?? `The server answered ${res.status}.`);
      else setJobId(body.id);
    } catch (e) {
      setError(`Could not reach the server: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  }

  const active = !!jobId || job?.status === 'queued' || job?.status === 'running';
  const r = job?.result;
  const label = !job ? '' : job.status === 'running' && r?.days ? `Rebuild ${job.id}: day ${Math.min(r.daysDone + 1, r.days)} of ${r.days}` : `Rebuild ${job.id}: ${job.status}`;
  return (
    <div className="flex min-w-64 flex-col gap-2" data-testid="rebuild-rollups">
      <button
        type="button"
        onClick={start}
        disabled={busy || active}
        className="self-start rounded-md bg-blue-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-800 disabled:cursor-not-allowed disabled:opacity-60"
      >
        {active ? 'Rebuilding…' : 'Rebuild rollups'}
      </button>
      {job && (active || job.status === 'failed') ? <ProgressBar label={label} value={job.progress} tone={job.status === 'failed' ? 'bad' : 'info'} /> : null}
      {job?.status === 'succeeded' && r ? (
        <p className="text-xs text-green-800" role="status">
          Rebuild {job.id} finished: {plural(r.days, 'day')} recomputed; {plural(r.rowsFixed, 'row')} and {plural(r.duplicateFlagsFixed, 'duplicate flag')} fixed.
        </p>
      ) : null}
      {job?.status === 'failed' ? <p className="text-xs text-red-800" role="status">{job.error}</p> : null}
      {error ? <p className="text-xs text-red-800" role="status">{error}</p> : null}
    </div>
  );
}
