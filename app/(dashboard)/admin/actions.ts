'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { getDb } from '@/db';
import { ROLES } from '@/db/schema';
import { addRule, removeGlossary, removeOwnership, removeRule, removeStepSla, saveGlossary, saveOwnership, saveStepSla } from '@/lib/admin/settings';
import { parseThresholdForm, removeThreshold, saveThreshold } from '@/lib/kpi/threshold-settings';
import { createApiKey, revokeApiKey } from '@/lib/auth/api-keys';
import { requireCapability } from '@/lib/auth/session';
import { AppError } from '@/lib/errors';
import { reclassifyOpen } from '@/lib/exceptions/actions';
import { addUser, updateUser } from '@/lib/auth/users';

export interface FormState {
  ok?: string;
  error?: string;
  fieldErrors?: Record<string, string>;
  /** A new API key, shown once. */
  secret?: string;
}

function failure(e: unknown): FormState {
  if (e instanceof AppError) {
    const fieldErrors: Record<string, string> = {};
    for (const d of e.details as ({ field?: string; message?: string } | string)[]) {
      // Details are { field, message } or the API's 'field: message'.
      if (typeof d === 'string') {
        const at = d.indexOf(': ');
        if (at > 0) fieldErrors[d.slice(0, at)] ??= d.slice(at + 2);
      } else if (d?.field) fieldErrors[d.field] ??= d.message ?? 'invalid';
    }
    return { error: e.message, fieldErrors };
  }
  throw e;
}

export async function createKeyAction(_: FormState, form: FormData): Promise<FormState> {
  await requireCapability('admin');
  const parsed = z.object({ name: z.string().trim().min(1, 'Give the key a name') }).safeParse({ name: form.get('name') ?? '' });
  if (!parsed.success) return { error: 'The key was not created.', fieldErrors: { name: parsed.error.issues[0].message } };
  try {
    const k = await createApiKey(await getDb(), parsed.data.name);
    revalidatePath('/admin');
    return { ok: `Created "${k.name}". Copy it now: it is not shown again.`, secret: k.key };
  } catch (e) {
    return failure(e);
  }
}

export async function revokeKeyAction(form: FormData): Promise<void> {
  await requireCapability('admin');
  const name = z.string().min(1).parse(form.get('name'));
  await revokeApiKey(await getDb(), name);
  revalidatePath('/admin');
}

export async function addUserAction(_: FormState, form: FormData): Promise<FormState> {
  await requireCapability('admin');
  const parsed = z
    .object({ email: z.string().trim().min(1, 'Required'), role: z.enum(ROLES, { message: 'Choose a role' }), password: z.string().min(8, 'At least 8 characters'), name: z.string().trim().optional() })
    .safeParse({ email: form.get('email') ?? '', role: form.get('role') ?? '', password: form.get('password') ?? '', name: form.get('name') || undefined });
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const i of parsed.error.issues) fieldErrors[String(i.path[0])] ??= i.message;
    return { error: 'The user was not added.', fieldErrors };
  }
  try {
    const u = await addUser(await getDb(), parsed.data);
    revalidatePath('/admin');
    return { ok: `Added ${u.email} as ${u.role}.` };
  } catch (e) {
    return failure(e);
  }
}

export async function saveThresholdAction(_: FormState, form: FormData): Promise<FormState> {
  return changeList(async () => {
    const t = parseThresholdForm(fields(form, ['kpi', 'facility', 'amber', 'red', 'worse']));
    const { created } = await saveThreshold(await getDb(), t);
    return `${created ? 'Added' : 'Changed'} the threshold of ${t.kpi} for ${t.facility === '*' ? 'every facility' : t.facility}.`;
  });
}

export async function removeThresholdAction(form: FormData): Promise<void> {
  await removeFromList(async () => removeThreshold(await getDb(), String(form.get('kpi')), String(form.get('facility'))));
}

export async function updateUserAction(_: FormState, form: FormData): Promise<FormState> {
  return changeList(async () => {
    const intent = form.get('intent');
    const change = intent === 'disable' ? { disabled: true } : intent === 'enable' ? { disabled: false } : { role: form.get('role') ?? '' };
    const u = await updateUser(await getDb(), idOf(form), change);
    return change.disabled === undefined ? `${u.email} is now ${u.role}.` : `${u.email} is ${u.disabled ? 'switched off; their sessions have ended' : 'enabled; they sign in anew'}.`;
  });
}

/** A row id from a form; a 404 AppError for anything else (a hand-made post), never a database error. */
function idOf(form: FormData): number {
  const id = Number(form.get('id'));
  if (!Number.isSafeInteger(id) || id <= 0 || id > 2 ** 31 - 1) throw new AppError('not_found', 'No such row');
  return id;
}

/** The form's fields by name (FormData values are strings; a missing one is ''). */
const fields = (form: FormData, names: string[]) => Object.fromEntries(names.map((n) => [n, form.get(n) ?? '']));

/** Runs a change to an admin list and says what it did, or gives the field errors back. */
async function changeList(run: () => Promise<string>): Promise<FormState> {
  await requireCapability('admin');
  try {
    const ok = await run();
    revalidatePath('/admin');
    return { ok };
  } catch (e) {
    return failure(e);
  }
}

/** Removes a row of an admin list; one removed meanwhile (another admin, a second click) is no error. */
async function removeFromList(run: () => Promise<void>) {
  await requireCapability('admin');
  try {
    await run();
  } catch (e) {
    if (!(e instanceof AppError && e.code === 'not_found')) throw e;
  }
  revalidatePath('/admin');
}

export async function addRuleAction(_: FormState, form: FormData): Promise<FormState> {
  return changeList(async () => {
    const r = await addRule(await getDb(), fields(form, ['priority', 'errorCodePattern', 'messagePattern', 'category', 'description']));
    return `Added the rule at priority ${r.priority} (${r.category}); the next exception opened follows it.`;
  });
}

export async function removeRuleAction(form: FormData): Promise<void> {
  await removeFromList(async () => removeRule(await getDb(), idOf(form)));
}

export async function saveOwnershipAction(_: FormState, form: FormData): Promise<FormState> {
  return changeList(async () => {
    const v = fields(form, ['dataObject', 'field', 'owner', 'precedence']);
    const { created } = await saveOwnership(await getDb(), v);
    return `${created ? 'Added' : 'Changed'} the owner of ${String(v.dataObject).trim()}.${String(v.field).trim()}.`;
  });
}

export async function removeOwnershipAction(form: FormData): Promise<void> {
  await removeFromList(async () => removeOwnership(await getDb(), String(form.get('dataObject')), String(form.get('field'))));
}

export async function saveGlossaryAction(_: FormState, form: FormData): Promise<FormState> {
  return changeList(async () => {
    const v = fields(form, ['errorCode', 'meaning', 'action']);
    const { created } = await saveGlossary(await getDb(), v);
    return `${created ? 'Added' : 'Changed'} ${String(v.errorCode).trim()}.`;
  });
}

export async function removeGlossaryAction(form: FormData): Promise<void> {
  await removeFromList(async () => removeGlossary(await getDb(), String(form.get('errorCode'))));
}

export async function reclassifyAction(_: FormState, _form: FormData): Promise<FormState> {
  const user = await requireCapability('admin');
  const n = await reclassifyOpen(await getDb(), user.email);
  revalidatePath('/admin');
  revalidatePath('/exceptions');
  return { ok: n ? `${n.toLocaleString('en-US')} open exception${n === 1 ? '' : 's'} changed category.` : 'Every open exception already has the category the rules give it.' };
}

export async function saveStepSlaAction(_: FormState, form: FormData): Promise<FormState> {
  return changeList(async () => {
    const { txType, minutes } = fields(form, ['txType', 'minutes']);
    const m = String(minutes).trim();
    if (m === '' || !Number.isFinite(Number(m))) throw new AppError('validation_failed', 'The SLA was not saved.', ['minutes: must be a number of minutes']);
    try {
      await saveStepSla(await getDb(), { txType, slaMs: Math.round(Number(m) * 60_000) });
    } catch (e) {
      // The form's field is minutes (the bounds read the same: 1 second, 7 days).
      if (e instanceof AppError && e.code === 'validation_failed') {
        throw new AppError(e.code, e.message, (e.details as string[]).map((d) => d.replace(/^slaMs: /, 'minutes: ')));
      }
      throw e;
    }
    return `${String(txType)} steps are now late after ${m} min.`;
  });
}

export async function removeStepSlaAction(form: FormData): Promise<void> {
  await removeFromList(async () => removeStepSla(await getDb(), String(form.get('txType'))));
}
