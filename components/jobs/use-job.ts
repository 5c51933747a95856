'use client';
import { useEffect, useState } from 'react';
import { useRouter } from 'next/navigation';

export interface JobState {
  id: number;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  progress: number;
  error: string | null;
}

/**
 * Starts a long job through the API and follows it: its state is polled from `${statusBase}${id}`
 * every second while it is queued or running, then the page refreshes to show what it did. A 409
 * naming the job already running (`error[conflictKey]`) follows that one instead.
 */
export function useJob<T extends JobState>({
  statusBase,
  noun,
  conflictKey,
  initialId,
}: {
  statusBase: string;
  noun: string;
  conflictKey: string;
  initialId: number | null;
}) {
  const router = useRouter();
  const [job, setJob] = useState<T | null>(null);
  const [jobId, setJobId] = useState<number | null>(initialId);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!jobId) return;
    let stop = false;
    const poll = async () => {
      try {
        const res = await fetch(`${statusBase}${jobId}`, { cache: 'no-store' });
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
          setError(`Lost track of ${noun} ${jobId}: ${(e as Error).message}. Reload to see where it stands.`);
          setJobId(null);
        }
      }
    };
    void poll();
    return () => {
      stop = true;
    };
  }, [jobId, router, statusBase, noun]);

  async function start(url: string, init: RequestInit) {
    setBusy(true);
    setError(null);
    setJob(null);
    try {
      const res = await fetch(url, { method: 'POST', ...init });
      const body = await res.json();
      if (res.status === 409 && body?.error?.[conflictKey]) setJobId(body.error[conflictKey]);
      else if (!res.ok) setError(body?.error?.message ?? `The server answered ${res.status}.`);
      else setJobId(body.id);
    } catch (e) {
      setError(`Could not reach the server: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  }

  const active = !!jobId || job?.status === 'queued' || job?.status === 'running';
  return { job, error, busy, active, start };
}
