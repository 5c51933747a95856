/**
 * The one wrapper of every server action (STYLE habit 11; next-saas-starter's
 * `validatedActionWithUser` is the model): the capability is checked on the server, the form is
 * parsed with a zod schema, a bad value comes back by field, never as an exception.
 *
 * In two parts, so the part that decides can be tested without a request: `userAction` is the
 * action for a person already resolved (it checks their role again, parses, runs, and says which
 * pages changed); `serveAction` resolves the person from the session and revalidates those pages.
 */
import 'server-only';
import { revalidatePath } from 'next/cache';
import type { z } from 'zod';
import { can, type Capability } from '@/lib/auth/permissions';
import { requireCapability, type SessionUser } from '@/lib/auth/session';
import { AppError } from '@/lib/errors';
import { markWrote } from '@/lib/http/read';
import { formValues, stateOfError, zodFieldErrors, type ActionState, type FormAction } from '@/lib/http/action-state';

export interface ActionOptions<T> {
  /** What the form says when a field is refused (default: 'Nothing was saved: check the highlighted fields.'). */
  invalid?: string;
  /** The paths whose pages change once `fn` has run. */
  revalidate?: readonly string[] | ((data: T) => readonly string[]);
}

/** What an action did for a person: the form's state, and the pages to revalidate (none unless `fn` ran). */
export interface ActionOutcome {
  state: ActionState;
  revalidate: readonly string[];
}

/** A server action before the session: who may run it, and what it does for a person already signed in. */
export interface UserAction {
  capability: Capability;
  run(user: SessionUser, form: FormData): Promise<ActionOutcome>;
}

/**
 * The action for a resolved person: one without `capability` is refused (403 AppError) before the
 * form is read, the form must parse with `schema` (else its errors by field), then `fn` runs with
 * the parsed values. `fn` answers with the text to show or a whole state; an AppError it throws
 * becomes `{ error, fieldErrors }`, and anything else stays a fault.
 */
export function userAction<S extends z.ZodType>(
  schema: S,
  capability: Capability,
  fn: (data: z.output<S>, user: SessionUser) => Promise<string | ActionState>,
  opts: ActionOptions<z.output<S>> = {},
): UserAction {
  const run = async (user: SessionUser, form: FormData): Promise<ActionOutcome> => {
    // serveAction has checked already; checked again so no other caller can skip it.
    if (!can(user.role, capability)) throw new AppError('forbidden', `The role ${user.role} may not do this.`);
    const parsed = schema.safeParse(formValues(form, schema));
    if (!parsed.success) {
      const state = {
        error: opts.invalid ?? 'Nothing was saved: check the highlighted fields.',
        fieldErrors: zodFieldErrors(parsed.error),
      };
      return { state, revalidate: [] };
    }
    let state: ActionState;
    try {
      const answer = await fn(parsed.data, user);
      state = typeof answer === 'string' ? { ok: answer } : answer;
    } catch (e) {
      return { state: stateOfError(e), revalidate: [] };
    }
    const paths = typeof opts.revalidate === 'function' ? opts.revalidate(parsed.data) : (opts.revalidate ?? []);
    return { state, revalidate: paths };
  };
  return { capability, run };
}

/**
 * A server action for `useActionState`: the signed-in person must hold the action's capability
 * (else the 403 page, or sign-in when signed out), then it runs for them and its pages are revalidated.
 */
export function serveAction(action: UserAction): FormAction {
  return async (_prev: ActionState, form: FormData): Promise<ActionState> => {
    const user = await requireCapability(action.capability);
    const { state, revalidate } = await action.run(user, form);
    // Before the re-render: the pages after an action read the primary (lib/http/read.ts).
    await markWrote();
    for (const p of revalidate) revalidatePath(p);
    return state;
  };
}

/** `userAction` served from the session: the form action of most pages. */
export function validatedAction<S extends z.ZodType>(
  schema: S,
  capability: Capability,
  fn: (data: z.output<S>, user: SessionUser) => Promise<string | ActionState>,
  opts: ActionOptions<z.output<S>> = {},
): FormAction {
  return serveAction(userAction(schema, capability, fn, opts));
}
