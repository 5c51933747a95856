'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { getDb } from '@/db';
import { ROLES } from '@/db/schema';
import { parseThresholdForm, removeThreshold, saveThreshold } from '@/lib/admin/thresholds';
import { createApiKey, revokeApiKey } from '@/lib/auth/api-keys';
import { requireCapability } from '@/lib/auth/session';
import { AppError } from '@/lib/errors';
import { addUser, updateUser } from '@/lib/users';

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
  await requireCapability('admin');
  try {
    const t = parseThresholdForm(Object.fromEntries(['kpi', 'facility', 'amber', 'red', 'worse'].map((k) => [k, form.get(k) ?? ''])));
    const { created } = await saveThreshold(await getDb(), t);
    revalidatePath('/admin');
    return { ok: `${created ? 'Added' : 'Changed'} the threshold of ${t.kpi} for ${t.facility === '*' ? 'every facility' : t.facility}.` };
  } catch (e) {
    return failure(e);
  }
}

export async function removeThresholdAction(form: FormData): Promise<void> {
  await requireCapability('admin');
  const { kpi, facility } = z.object({ kpi: z.string().min(1), facility: z.string().min(1) }).parse({ kpi: form.get('kpi'), facility: form.get('facility') });
  try {
    await removeThreshold(await getDb(), kpi, facility);
  } catch (e) {
    // Removed meanwhile (another admin, a second click): the page shows what is left.
    if (!(e instanceof AppError && e.code === 'not_found')) throw e;
  }
  revalidatePath('/admin');
}

export async function updateUserAction(_: FormState, form: FormData): Promise<FormState> {
  await requireCapability('admin');
  const id = Number(form.get('id'));
  const intent = form.get('intent');
  const change = intent === 'disable' ? { disabled: true } : intent === 'enable' ? { disabled: false } : { role: form.get('role') ?? '' };
  try {
    const u = await updateUser(await getDb(), id, change);
    revalidatePath('/admin');
    return { ok: intent === 'role' || intent === null ? `${u.email} is now ${u.role}.` : `${u.email} is ${u.disabled ? 'switched off' : 'enabled'}.` };
  } catch (e) {
    return failure(e);
  }
}
