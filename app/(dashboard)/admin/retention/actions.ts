'use server';

import { z } from 'zod';
import { getDb } from '@/db';
import { validatedAction } from '@/lib/http/action';
import { runAndRecord } from '@/lib/retention/schedule';
import { parseDays, saveSettings, SETTING_KEYS, type RetentionSettings } from '@/lib/retention/settings';

/** Each kind's days as typed: a whole number, or blank to keep it forever (checked by saveSettings, by field). */
const settingsForm = z.object(
  Object.fromEntries(SETTING_KEYS.map((k) => [k, z.string().max(20, 'too long').default('')])) as Record<
    (typeof SETTING_KEYS)[number],
    z.ZodDefault<z.ZodString>
  >,
);

/** Saves how long each kind of data is kept. */
export const saveRetentionAction = validatedAction(
  settingsForm,
  'admin',
  async (form) => {
    const change: Record<string, unknown> = {};
    for (const k of SETTING_KEYS) {
      const v = parseDays(form[k]);
      change[k] = Number.isNaN(v) ? form[k] : v;
    }
    await saveSettings(await getDb(), change as Partial<RetentionSettings>);
    return 'Retention saved. The preview below shows what the next run would drop.';
  },
  { revalidate: ['/admin/retention'] },
);

/** Runs retention now: drops what the preview shows. */
export const runRetentionAction = validatedAction(
  z.object({}),
  'admin',
  async (_, user) => {
    const r = await runAndRecord(await getDb(), user.email);
    const parts = Object.values(r.kinds).reduce((a, k) => a + k.partitions.length, 0);
    const rows = Object.values(r.kinds).reduce((a, k) => a + k.rows, 0);
    return (
      `Retention ran in ${r.seconds.toFixed(2)} s: ${parts.toLocaleString('en-US')} partition${parts === 1 ? '' : 's'} ` +
      `dropped (${rows.toLocaleString('en-US')} rows).`
    );
  },
  { revalidate: ['/admin/retention', '/'] },
);
