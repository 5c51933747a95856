/**
 * PGlite does not lock its folder, and two processes opening it diverge silently. This is a lock
 * file of our own in the folder: created exclusively, naming the holder's pid; a stale one (dead
 * pid) is replaced. A running server also writes where it listens and a secret, so the CLI can hand
 * it commands instead of opening the folder a second time.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface LockInfo {
  pid: number;
  purpose: string;
  since: string;
  /** A running server also writes where it listens and a secret, so the CLI can hand it commands. */
  url?: string;
  token?: string;
}

export class DatabaseLockedError extends Error {
  constructor(dir: string, holder: LockInfo) {
    super(
      `The embedded database in ${dir} is in use by another process ` +
        `(pid ${holder.pid}, ${holder.purpose}, since ${holder.since}). ` +
        'Stop that process first, or set DATABASE_URL to use a Postgres server that several processes can share.',
    );
    this.name = 'DatabaseLockedError';
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockFilePath(dir: string) {
  return path.join(dir, 'sync-health.lock');
}

/** The lock's holder when a live process holds it, else null. */
export function readLock(dir: string): LockInfo | null {
  try {
    const info = JSON.parse(fs.readFileSync(lockFilePath(dir), 'utf8')) as LockInfo;
    return pidAlive(info.pid) ? info : null;
  } catch {
    return null;
  }
}

/** Takes the lock of `dir` for this process; returns its release (also run at exit). */
export function acquireLock(dir: string, purpose: string): () => void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = lockFilePath(dir);
  const mine: LockInfo = { pid: process.pid, purpose, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(mine), { flag: 'wx', mode: 0o600 });
      const release = () => {
        try {
          const held = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
          if (held.pid === process.pid) fs.unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
      process.once('exit', release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = readLock(dir);
      if (holder && holder.pid !== process.pid) throw new DatabaseLockedError(dir, holder);
      fs.rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`Could not take the lock ${file}`);
}

/** Records extra facts (the server's URL) in the lock this process holds on `dir`; null: no folder, nothing. */
export function annotateLock(dir: string | null, extra: Partial<LockInfo>) {
  if (!dir) return;
  const file = lockFilePath(dir);
  try {
    const held = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
    if (held.pid === process.pid) fs.writeFileSync(file, JSON.stringify({ ...held, ...extra }), { mode: 0o600 });
  } catch {
    /* no lock held */
  }
}
