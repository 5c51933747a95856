/**
 * The server actions of every admin list, made from its declaration: save a row from the form,
 * remove one by its key. A row someone removed meanwhile (another admin, a second click) is no error.
 */
import 'server-only';
import { getDb } from '@/db';
import type { AnyAdminList } from '@/lib/admin/list';
import { adminList } from '@/lib/admin/lists';
import { requireCapability } from '@/lib/auth/session';
import { AppError } from '@/lib/errors';
import { validatedAction } from '@/lib/http/action';
import type { ActionState, FormAction } from '@/lib/http/action-state';

const REVALIDATE = ['/admin'];

function saveAction(def: AnyAdminList): FormAction | null {
  const write = def.write;
  if (!write) return null;
  return validatedAction(
    write.formInput ?? write.input,
    def.capability,
    async (input) => write.said(input, await write.save(await getDb(), input)),
    { invalid: write.notSaved, revalidate: REVALIDATE },
  );
}

function removeAction(def: AnyAdminList): FormAction | null {
  const remove = def.remove;
  if (!remove) return null;
  return validatedAction(
    remove.key,
    def.capability,
    async (key) => {
      try {
        await remove.run(await getDb(), key);
      } catch (e) {
        if (!(e instanceof AppError && e.code === 'not_found')) throw e;
      }
      return {};
    },
    { revalidate: REVALIDATE },
  );
}

const made = new Map<string, { save: FormAction | null; remove: FormAction | null }>();

/** Runs a list's save or remove action; a list that has none (a hand-made post) is refused like a bad field. */
export async function runListAction(
  kind: 'save' | 'remove',
  list: string,
  state: ActionState,
  form: FormData,
): Promise<ActionState> {
  const def = adminList(list);
  let actions = made.get(list);
  if (def && !actions) made.set(list, (actions = { save: saveAction(def), remove: removeAction(def) }));
  const action = actions?.[kind];
  if (action) return action(state, form);
  await requireCapability('admin');
  return { error: `The list ${list} cannot do that.` };
}
