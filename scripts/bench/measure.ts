/** What the bench reads besides its own timers: percentiles, and memory and CPU of processes from /proc. */
import fs from 'node:fs';

export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
};
export const median = (xs: number[]) => pct(xs, 0.5);

/** A process and its descendants, from /proc (those gone meanwhile are left out). */
export function processTree(pid: number): number[] {
  const out = [pid];
  try {
    const kids = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    for (const k of kids ? kids.split(/\s+/) : []) out.push(...processTree(Number(k)));
  } catch {
    /* gone */
  }
  return out;
}

export function rssOf(pid: number): number {
  let total = 0;
  for (const p of processTree(pid)) {
    try {
      total += Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0) * 1024;
    } catch {
      /* gone */
    }
  }
  return total;
}

/** CPU seconds (user + system) of one process, from /proc; 0 when it is gone. */
export function cpuSeconds(pid: number | string): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses ("next-server (v16…)"): fields follow the last ") ".
    const f = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return 0;
  }
}

/** CPU seconds of a process and its descendants. */
export const cpuOf = (pid: number) => processTree(pid).reduce((sum, p) => sum + cpuSeconds(p), 0);

/** CPU seconds of every Postgres server process on this machine (the bench's database is the only busy one). */
export function postgresCpu(): number {
  let total = 0;
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').startsWith('postgres')) total += cpuSeconds(d);
    } catch {
      /* gone */
    }
  }
  return total;
}

/**
 * Where the cores went during a timed load: this process (the load generator, its worker
 * included), the server, and Postgres, as % of one core. Postgres processes that ended during the
 * load (none do: the pools keep their connections) would be missed.
 */
export function cpuMeter(serverPid: number | null) {
  const take = () => ({
    at: performance.now(),
    bench: process.cpuUsage(),
    server: serverPid ? cpuOf(serverPid) : 0,
    pg: postgresCpu(),
  });
  const start = take();
  return () => {
    const end = take();
    const secs = (end.at - start.at) / 1000;
    const pct = (x: number) => Math.round((100 * x) / secs);
    return {
      bench: pct((end.bench.user - start.bench.user + end.bench.system - start.bench.system) / 1e6),
      server: pct(end.server - start.server),
      pg: pct(end.pg - start.pg),
    };
  };
}

export async function waitFor(url: string, ms: number) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not answer within ${ms} ms`);
}
