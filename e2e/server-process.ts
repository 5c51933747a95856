/**
 * The process listening on a port, found through /proc (Linux): the socket's inode in
 * /proc/net/tcp{,6}, then the process holding a descriptor to it. Playwright's webServer starts
 * scripts/start.mjs, which starts next-server: the listener is the one whose memory counts.
 */
import fs from 'node:fs';

function listeningInodes(port: number): Set<string> {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!fs.existsSync(file)) continue;
    for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address is ADDR:PORT; state 0A is LISTEN; the inode is column 10.
      if (cols.length > 9 && cols[1].endsWith(`:${hex}`) && cols[3] === '0A') inodes.add(cols[9]);
    }
  }
  return inodes;
}

/** The pid of the process listening on `port`, or null. */
export function pidListeningOn(port: number): number | null {
  const inodes = listeningInodes(port);
  if (!inodes.size) return null;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m && inodes.has(m[1])) return Number(pid);
      } catch {
        /* gone meanwhile */
      }
    }
  }
  return null;
}

let cached: { port: number; pid: number } | null = null;

/** The resident memory, in MB, of the process listening on `port` (throws when none is found). */
export function serverRssMb(port: number): number {
  if (cached?.port !== port || !fs.existsSync(`/proc/${cached.pid}`)) {
    const pid = pidListeningOn(port);
    if (!pid) throw new Error(`no process listens on port ${port}`);
    cached = { port, pid };
  }
  const status = fs.readFileSync(`/proc/${cached.pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? NaN);
  return Math.round(kb / 1024);
}
