'use server';

import { revalidatePath } from 'next/cache';
import { getDb } from '@/db';
import { requireCapability } from '@/lib/auth/session';
import { applyBulkAction, bulkActionInput } from '@/lib/exceptions/actions';

export interface BulkActionState {
  ok?: string;
  error?: string;
  fieldErrors?: Record<string, string>;
}

/** Bulk acknowledge, assign, resolve or ignore — checked against the role here, not only in the page. */
export async function bulkAction(_prev: BulkActionState, form: FormData): Promise<BulkActionState> {
  const user = await requireCapability('exceptions.act');
  const raw = {
    ids: form.getAll('ids'),
    action: form.get('action'),
    owner: form.get('owner') || undefined,
    rootCause: form.get('rootCause') || undefined,
    note: form.get('note') || undefined,
    effortMinutes: form.get('effortMinutes') || undefined,
  };
  const parsed = bulkActionInput.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const i of parsed.error.issues) fieldErrors[String(i.path[0] ?? 'form')] ??= i.message;
    return { error: 'Nothing was changed: check the highlighted fields.', fieldErrors };
  }
  const n = await applyBulkAction(await getDb(), parsed.data, user.email);
  revalidatePath('/exceptions');
  revalidatePath('/');
  const verb = { acknowledge: 'Acknowledged', assign: 'Assigned', resolve: 'Resolved', ignore: 'Ignored' }[parsed.data.action];
  const skipped = parsed.data.ids.length - n;
  return { ok: `${verb} ${n} exception${n === 1 ? '' : 's'}${skipped ? ` (${skipped} already closed or unchanged)` : ''}.` };
}
