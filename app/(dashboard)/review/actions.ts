'use server';

import { revalidatePath } from 'next/cache';
import { getDb } from '@/db';
import { requireCapability } from '@/lib/auth/session';
import { signOff, signoffInput, type SignoffState } from '@/lib/review/signoff';

/** Signs a review off as the signed-in person (every role that may read the reviews may sign them). */
export async function signOffReview(_prev: SignoffState, form: FormData): Promise<SignoffState> {
  const user = await requireCapability('overview.read');
  const parsed = signoffInput.safeParse({
    cadence: form.get('cadence'),
    period: form.get('period'),
    facility: form.get('facility') || undefined,
    notes: form.get('notes') || undefined,
  });
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const i of parsed.error.issues) fieldErrors[String(i.path[0] ?? 'form')] ??= i.message;
    return { error: 'Not signed off: check the highlighted fields.', fieldErrors };
  }
  const { created, signoff } = await signOff(await getDb(), parsed.data, user);
  revalidatePath(`/review/${parsed.data.cadence}`);
  if (!created) return { error: `Already signed off by ${signoff.signedByName ?? signoff.signedBy} at ${signoff.at}; your notes were not saved.` };
  return { ok: 'Signed off.' };
}
