'use server';

import { z } from 'zod';
import { getDb } from '@/db';
import { runListAction } from '@/lib/admin/list-actions';
import { userChange, userChangeOf, userChangeSaid } from '@/lib/admin/lists/users';
import { updateUser } from '@/lib/auth/users';
import { reclassifyOpen } from '@/lib/exceptions/actions';
import { validatedAction } from '@/lib/http/action';
import type { ActionState } from '@/lib/http/action-state';

/** Adds or changes a row of an admin list (lib/admin/lists); the page binds the list's name. */
export async function saveListRow(list: string, state: ActionState, form: FormData): Promise<ActionState> {
  return runListAction('save', list, state, form);
}

/** Removes a row of an admin list by the key its Remove button posts. */
export async function removeListRow(list: string, state: ActionState, form: FormData): Promise<ActionState> {
  return runListAction('remove', list, state, form);
}

/** A person's role, or their account switched off or on; refused when it would leave no enabled admin. */
export const updateUserAction = validatedAction(
  userChange,
  'admin',
  async (c) => {
    const change = userChangeOf(c);
    return userChangeSaid(await updateUser(await getDb(), c.id, change), change);
  },
  { invalid: 'No such row', revalidate: ['/admin'] },
);

/** Applies the root-cause rules to the open exceptions now. */
export const reclassifyAction = validatedAction(
  z.object({}),
  'admin',
  async (_, user) => {
    const n = await reclassifyOpen(await getDb(), user.email);
    if (!n) return 'Every open exception already has the category the rules give it.';
    return `${n.toLocaleString('en-US')} open exception${n === 1 ? '' : 's'} changed category.`;
  },
  { revalidate: ['/admin', '/exceptions'] },
);
