/**
 * The raw-message horizon: the time before which retention has dropped the log's partitions, kept in
 * `app_meta` under `retention_horizon`. A KPI window that starts before it cannot read raw rows
 * there, so it reads whole hours from the rollups and its p95 from the delay sketches; a chart over
 * it says so. Read often (every KPI): cached in the process for a minute, and reset by a run.
 */
import { eq, sql } from 'drizzle-orm';
import type { Executor } from '@/db';
import { appMeta } from '@/db/schema';

const KEY = 'retention_horizon';
const TTL_MS = 60_000;
const g = globalThis as unknown as { __retentionHorizon?: { at: number; value: Date | null } };

/** The horizon of raw messages, or null while none was ever dropped. */
export async function messagesHorizon(db: Executor): Promise<Date | null> {
  const cached = g.__retentionHorizon;
  if (cached && Date.now() - cached.at < TTL_MS) return cached.value;
  const [row] = await db.select({ value: appMeta.value }).from(appMeta).where(eq(appMeta.key, KEY));
  const iso = (row?.value as { messages?: string } | undefined)?.messages;
  const value = iso ? new Date(iso) : null;
  g.__retentionHorizon = { at: Date.now(), value };
  return value;
}

/** Moves the horizon forward to `upper` (never back). */
export async function advanceHorizon(db: Executor, upper: string): Promise<void> {
  await db.execute(sql`insert into app_meta (key, value) values (${KEY}, jsonb_build_object('messages', ${upper}::text))
    on conflict (key) do update set updated_at = now(), value = case
      when (app_meta.value->>'messages') is null or (app_meta.value->>'messages')::timestamptz < ${upper}::timestamptz
      then excluded.value else app_meta.value end`);
  g.__retentionHorizon = undefined;
}

/** Forgets the cached horizon (tests, and a server told another process ran). */
export function forgetHorizon() {
  g.__retentionHorizon = undefined;
}
