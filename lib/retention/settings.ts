/**
 * How long each kind of data is kept (SPEC 11), in days; null keeps it forever. Kept in `app_meta`
 * under `retention_settings`; a kind never set has its default.
 */
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '@/db';
import { appMeta } from '@/db/schema';
import { AppError } from '@/lib/errors';

/** The kinds of raw data that expire, and the rollups that outlive them. */
export const RETENTION_KINDS = ['messages', 'quarantine', 'snapshots', 'differences', 'audit', 'alerts'] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];
export const SETTING_KEYS = [...RETENTION_KINDS, 'rollups'] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];
export type RetentionSettings = Record<SettingKey, number | null>;

/**
 * The defaults, and why. Messages (payloads included) 13 months: a year compared with the one before,
 * the log explorer's reach. Quarantine 90 days: rejected records are fixed and sent again within weeks.
 * Snapshots 90 days: reconciliation reads only each facility's latest, which is never dropped.
 * Differences 13 months, like the messages they explain. Audit 7 years: exception decisions are
 * evidence in financial audits. Alert history 13 months. Rollups 5 years (SPEC 11): the KPIs of the past.
 */
export const DEFAULT_SETTINGS: RetentionSettings = {
  messages: 395,
  quarantine: 90,
  snapshots: 90,
  differences: 395,
  audit: 2555,
  alerts: 395,
  rollups: 1825,
};

export const SETTING_LABELS: Record<SettingKey, string> = {
  messages: 'Messages and their payloads',
  quarantine: 'Quarantine',
  snapshots: 'Snapshot rows',
  differences: 'Reconciliation differences',
  audit: 'Exception audit log',
  alerts: 'Alert history',
  rollups: 'Rollups (KPIs of the past)',
};

const KEY = 'retention_settings';
/** 100 years: enough for anyone, and a cutoff date Postgres can still compute. */
export const MAX_DAYS = 36_500;

const days = z
  .number({ message: 'must be a whole number of days, or blank to keep forever' })
  .int('must be a whole number of days')
  .min(1, 'must be at least 1 day')
  .max(MAX_DAYS, `must be at most ${MAX_DAYS} days`)
  .nullable();

export const settingsSchema = z
  .object(Object.fromEntries(SETTING_KEYS.map((k) => [k, days])) as Record<SettingKey, typeof days>)
  .superRefine((s, ctx) => {
    // Rollups are what the KPIs of a window read: they must outlive the raw rows, or a past window
    // would count nothing before the raw rows went.
    if (s.rollups !== null && (s.messages === null || s.messages > s.rollups))
      ctx.addIssue({
        code: 'custom',
        path: ['rollups'],
        message: `must be kept at least as long as messages (${s.messages ?? 'forever'})`,
      });
  });

export async function readSettings(db: Executor): Promise<RetentionSettings> {
  const [row] = await db.select({ value: appMeta.value }).from(appMeta).where(eq(appMeta.key, KEY));
  const stored = (row?.value ?? {}) as Partial<Record<string, unknown>>;
  const out = { ...DEFAULT_SETTINGS };
  for (const k of SETTING_KEYS) {
    const v = stored[k];
    if (v === null || (typeof v === 'number' && Number.isInteger(v) && v > 0)) out[k] = v;
  }
  return out;
}

/** Replaces the settings named in `change`; the whole result is checked (422 by field) before it is kept. */
export async function saveSettings(db: Executor, change: Partial<RetentionSettings>): Promise<RetentionSettings> {
  const next = { ...(await readSettings(db)), ...change };
  const parsed = settingsSchema.safeParse(next);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => `${String(i.path[0] ?? 'body')}: ${i.message}`);
    throw new AppError('validation_failed', 'The retention settings are invalid; nothing was changed.', details);
  }
  await db
    .insert(appMeta)
    .values({ key: KEY, value: parsed.data })
    .onConflictDoUpdate({ target: appMeta.key, set: { value: parsed.data, updatedAt: sql`now()` } });
  return parsed.data;
}

/** A days value as typed on a command line or in a form: a whole number, or "forever"/"never"/blank for null. */
export function parseDays(text: string): number | null | typeof Number.NaN {
  const t = text.trim().toLowerCase();
  if (t === '' || t === 'forever' || t === 'never' || t === 'null') return null;
  return /^\d+$/.test(t) ? Number(t) : Number.NaN;
}
