/**
 * The built app (`next build` first) started on a free loopback port as its own process group,
 * with the environment a test gives it; its memory read from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export interface Server {
  url: string;
  child: ChildProcess;
  /** What the server printed (stdout and stderr), for a failing test's message. */
  log: string[];
  /** Resident memory of the server's processes now, in MB. */
  rssMb(): number;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Resident memory (kB) of every process in the group `pgid`. */
function groupRssKb(pgid: number): number {
  let kb = 0;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command's closing parenthesis: state, ppid, pgrp, …
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) !== pgid) continue;
      const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      kb += m ? Number(m[1]) : 0;
    } catch {
      // The process ended meanwhile.
    }
  }
  return kb;
}

export async function startServer(env: Record<string, string>): Promise<Server> {
  if (!fs.existsSync(path.join(root, '.next', 'BUILD_ID'))) throw new Error('no build: run `next build` first');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log: string[] = [];
  // `next` itself, not npx or .bin's shell wrapper: the server is this process (or its group).
  const child = spawn(
    process.execPath,
    [path.join(root, 'node_modules/next/dist/bin/next'), 'start', '-p', String(port)],
    {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        NEXTAUTH_SECRET: 'load-suite-secret-not-for-production-0123456789',
        AUTH_TRUST_HOST: 'true',
        DEMO_MODE: '0',
        ...env,
        PORT: String(port),
      },
    },
  );
  for (const s of [child.stdout!, child.stderr!]) s.on('data', (d: Buffer) => log.push(d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }, 10_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server ended at start:\n${log.join('')}`);
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server did not answer /api/health within 120 s:\n${log.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, child, log, rssMb: () => Math.round(groupRssKb(child.pid!) / 1024), stop };
}
