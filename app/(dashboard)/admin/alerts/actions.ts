'use server';

import { z } from 'zod';
import { getDb } from '@/db';
import { applyAlertConfig, removeAlertConfigItem } from '@/lib/alerts/config';
import { sendTestNotification } from '@/lib/alerts/deliver';
import { parseDuration } from '@/lib/alerts/duration';
import {
  channelForm,
  channelFromForm,
  formError,
  removeForm,
  ruleForm,
  ruleFromForm,
  silenceForm,
  silenceFromForm,
} from '@/lib/alerts/forms';
import { validatedAction } from '@/lib/http/action';

const RULES = ['/admin/alerts/rules', '/alerts'];
const CHANNELS = ['/admin/alerts/channels', '/admin/alerts/rules'];
const SILENCES = ['/admin/alerts/silences'];

/** What applying one item changed, in words. */
function said(kind: string, id: string, r: { created: string[]; updated: string[] }): string {
  const mentioned = (l: string[]) => l.some((x) => x === id || x.endsWith(` ${id}`) || x.endsWith(`:${id}`));
  const verb = mentioned(r.created) ? 'created' : mentioned(r.updated) ? 'saved' : 'unchanged';
  return `${kind} ${id} ${verb}.`;
}

/** Through the configuration file's apply, so the form and `alerts apply` validate alike, all or nothing. */
async function apply(input: unknown, by: string) {
  try {
    return await applyAlertConfig(await getDb(), input, { by });
  } catch (e) {
    throw formError(e);
  }
}

export const saveRule = validatedAction(
  ruleForm,
  'admin',
  async (f, user) => said('Rule', f.id, await apply({ rules: [ruleFromForm(f)] }, user.email)),
  { revalidate: RULES },
);

export const saveChannel = validatedAction(
  channelForm,
  'admin',
  async (f, user) =>
    said('Channel', f.id, await apply({ channels: [await channelFromForm(await getDb(), f)] }, user.email)),
  { revalidate: CHANNELS },
);

export const saveSilence = validatedAction(
  silenceForm,
  'admin',
  async (f, user) => {
    const silence = silenceFromForm(f, user.email, parseDuration);
    return said('Silence', String(silence.id), await apply({ silences: [silence] }, user.email));
  },
  { revalidate: SILENCES },
);

const KINDS = { rule: RULES, channel: CHANNELS, silence: SILENCES } as const;

/** Removes a rule, a channel or a silence (what the file's `removeAlertConfigItem` allows). */
export const removeAlertItem = validatedAction(
  removeForm.extend({ kind: z.enum(['rule', 'channel', 'silence']) }),
  'admin',
  async ({ kind, id }) => {
    try {
      await removeAlertConfigItem(await getDb(), kind, id);
    } catch (e) {
      throw formError(e);
    }
    return `Removed ${kind} ${id}.`;
  },
  { revalidate: (d) => KINDS[d.kind] },
);

/** Sends a test notification through a channel now: the answer or the error, nothing queued. */
export const sendTest = validatedAction(removeForm, 'admin', async ({ id }) => {
  const r = await sendTestNotification(await getDb(), id);
  if (r.ok) return { ok: `Test sent to ${id}${r.status ? ` (HTTP ${r.status})` : ''}.` };
  return { error: `Test to ${id} failed: ${r.error ?? (r.status ? `HTTP ${r.status}` : 'no answer')}` };
});
