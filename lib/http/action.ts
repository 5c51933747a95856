/**
 * The one wrapper of every server action (STYLE habit 11; next-saas-starter's
 * `validatedActionWithUser` is the model): the capability is checked on the server, the form is
 * parsed with a zod schema, a bad value comes back by field, never as an exception.
 */
import 'server-only';
import { revalidatePath } from 'next/cache';
import type { z } from 'zod';
import type { Capability } from '@/lib/auth/permissions';
import { requireCapability, type SessionUser } from '@/lib/auth/session';
import { formValues, stateOfError, zodFieldErrors, type ActionState, type FormAction } from '@/lib/http/action-state';

export interface ActionOptions<T> {
  /** What the form says when a field is refused (default: 'Nothing was saved: check the highlighted fields.'). */
  invalid?: string;
  /** The paths whose pages change once `fn` has run. */
  revalidate?: readonly string[] | ((data: T) => readonly string[]);
}

/**
 * A server action for `useActionState`: the signed-in person must hold `capability` (else the
 * 403 page, or sign-in when signed out), the form must parse with `schema` (else its errors by
 * field), then `fn` runs with the parsed values. `fn` answers with the text to show or a whole
 * state; an AppError it throws becomes `{ error, fieldErrors }`, and anything else stays a fault.
 */
export function validatedAction<S extends z.ZodType>(
  schema: S,
  capability: Capability,
  fn: (data: z.output<S>, user: SessionUser) => Promise<string | ActionState>,
  opts: ActionOptions<z.output<S>> = {},
): FormAction {
  return async (_prev: ActionState, form: FormData): Promise<ActionState> => {
    const user = await requireCapability(capability);
    const parsed = schema.safeParse(formValues(form, schema));
    if (!parsed.success) {
      return {
        error: opts.invalid ?? 'Nothing was saved: check the highlighted fields.',
        fieldErrors: zodFieldErrors(parsed.error),
      };
    }
    let state: ActionState;
    try {
      const answer = await fn(parsed.data, user);
      state = typeof answer === 'string' ? { ok: answer } : answer;
    } catch (e) {
      return stateOfError(e);
    }
    const paths = typeof opts.revalidate === 'function' ? opts.revalidate(parsed.data) : (opts.revalidate ?? []);
    for (const p of paths) revalidatePath(p);
    return state;
  };
}
