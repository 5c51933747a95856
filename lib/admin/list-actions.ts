/**
 * The server actions of every admin list, made from its declaration: save a row from the form,
 * remove one by its key. A row someone removed meanwhile (another admin, a second click) is no error.
 * `listAction` is the action for a person already resolved (tested per role without a session);
 * `runListAction` serves it from the session.
 */
import 'server-only';
import { z } from 'zod';
import { getDb } from '@/db';
import type { AnyAdminList } from '@/lib/admin/list';
import { adminList } from '@/lib/admin/lists';
import { AppError } from '@/lib/errors';
import { serveAction, userAction, type UserAction } from '@/lib/http/action';
import type { ActionState } from '@/lib/http/action-state';

const REVALIDATE = ['/admin'];

function saveAction(def: AnyAdminList): UserAction | null {
  const write = def.write;
  if (!write) return null;
  return userAction(
    write.formInput ?? write.input,
    def.capability,
    async (input) => write.said(input, await write.save(await getDb(), input)),
    { invalid: write.notSaved, revalidate: REVALIDATE },
  );
}

function removeAction(def: AnyAdminList): UserAction | null {
  const remove = def.remove;
  if (!remove) return null;
  return userAction(
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

const made = new Map<string, { save: UserAction | null; remove: UserAction | null }>();

/** A list's save or remove action; a list that has none (a hand-made post) is refused like a bad field, to admins. */
export function listAction(kind: 'save' | 'remove', list: string): UserAction {
  const def = adminList(list);
  let actions = made.get(list);
  if (def && !actions) made.set(list, (actions = { save: saveAction(def), remove: removeAction(def) }));
  return (
    actions?.[kind] ??
    userAction(z.object({}), def?.capability ?? 'admin', async () => ({ error: `The list ${list} cannot do that.` }))
  );
}

/** Runs a list's save or remove action for the signed-in person. */
export async function runListAction(
  kind: 'save' | 'remove',
  list: string,
  state: ActionState,
  form: FormData,
): Promise<ActionState> {
  return serveAction(listAction(kind, list))(state, form);
}
