/**
 * The daily retention run inside the app server (SPEC 11). Every hour each server tries to claim the
 * day's run in `app_meta` (`retention_last_run`, one atomic upsert), so with several servers on one
 * database one of them runs it, once a day; the result is kept there for the admin page.
 */
import { sql } from 'drizzle-orm';
import { rows, type Db } from '@/db';
import { logError } from '@/lib/log';
import { runRetention, type RunOptions, type RunResult } from '@/lib/retention/run';
import type { RetentionKind } from '@/lib/retention/settings';

const KEY = 'retention_last_run';
const HOUR_MS = 3_600_000;
const g = globalThis as unknown as { __retentionTimer?: NodeJS.Timeout };

export interface LastRun {
  at: string;
  by: string;
  finishedAt?: string;
  seconds?: number;
  /** Per kind: partitions dropped, their rows and bytes. */
  kinds?: Partial<Record<RetentionKind, { partitions: number; rows: number; bytes: number; kept: number }>>;
  rollupRowsDeleted?: number;
  failed?: boolean;
}

/** Runs retention now (a person, the CLI, or the daily claim) and keeps what it did. */
export async function runAndRecord(db: Db, by: string, opts: RunOptions = {}): Promise<RunResult> {
  const at = new Date().toISOString();
  await record(db, { at, by });
  try {
    const r = await runRetention(db, opts);
    const kinds: LastRun['kinds'] = {};
    for (const [k, v] of Object.entries(r.kinds))
      kinds[k as RetentionKind] = { partitions: v.partitions.length, rows: v.rows, bytes: v.bytes, kept: v.kept };
    await record(db, {
      at,
      by,
      finishedAt: new Date().toISOString(),
      seconds: r.seconds,
      kinds,
      rollupRowsDeleted: r.rollupRowsDeleted,
    });
    return r;
  } catch (e) {
    await record(db, { at, by, finishedAt: new Date().toISOString(), failed: true });
    throw e;
  }
}

function record(db: Db, run: LastRun) {
  return db.execute(sql`insert into app_meta (key, value) values (${KEY}, ${JSON.stringify(run)}::jsonb)
    on conflict (key) do update set value = excluded.value, updated_at = now()`);
}

export async function lastRun(db: Db): Promise<LastRun | null> {
  const [r] = await rows<{ value: LastRun }>(db, sql`select value from app_meta where key = ${KEY}`);
  return r?.value ?? null;
}

/** Runs when no run started in the last 23 hours (claimed atomically); null when not due. */
export async function runIfDue(db: Db, now = new Date()): Promise<RunResult | null> {
  const at = now.toISOString();
  const claimed = await rows<{ key: string }>(
    db,
    sql`insert into app_meta (key, value) values (${KEY}, jsonb_build_object('at', ${at}::text, 'by', 'daily'))
      on conflict (key) do update set value = excluded.value, updated_at = now()
        where (app_meta.value->>'at') is null
          or (app_meta.value->>'at')::timestamptz < ${at}::timestamptz - interval '23 hours'
      returning key`,
  );
  if (!claimed.length) return null;
  return runAndRecord(db, 'daily', {
    onProgress: (line) => console.log(`[sync-health] retention: ${line}`),
  });
}

/** Starts the hourly check (a minute after start first); once per process. */
export function startRetentionTimer(db: Db) {
  if (g.__retentionTimer) return;
  const tick = () => void runIfDue(db).catch((e) => logError('retention', { job: 'daily' }, e));
  setTimeout(tick, 60_000).unref?.();
  g.__retentionTimer = setInterval(tick, HOUR_MS);
  g.__retentionTimer.unref?.();
}
