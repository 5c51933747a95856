/**
 * What every server action answers, and the pure steps of `validatedAction` (lib/http/action.ts):
 * a form read into the values its schema expects, zod issues and AppError details turned into one
 * error per field. No server imports: client forms take the `ActionState` type from here.
 */
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { firstIssueByField } from '@/lib/validation';

/** The state a server-action form shows after a try. */
export interface ActionState {
  ok?: string;
  error?: string;
  /** The first error of each field, by the field's name. */
  fieldErrors?: Record<string, string>;
  /** A value shown once and never again (a new API key). */
  secret?: string;
}

/** A server action as `useActionState` calls it. */
export type FormAction = (state: ActionState, form: FormData) => Promise<ActionState>;

/** The first message of each field; an issue about the whole input is under 'form'. */
export function zodFieldErrors(error: z.ZodError): Record<string, string> {
  return Object.fromEntries(firstIssueByField(error, 'form'));
}

/**
 * An AppError as a form's state: its message, and its details by field (details are the API's
 * 'field: message' text, as lib/validation's parseOrFail makes them, or { field, message }).
 * Anything else is a fault, not an answer: it is thrown again.
 */
export function stateOfError(e: unknown): ActionState {
  if (!(e instanceof AppError)) throw e;
  const fieldErrors: Record<string, string> = {};
  for (const d of e.details as ({ field?: string; message?: string } | string | null)[]) {
    if (typeof d === 'string') {
      const at = d.indexOf(': ');
      if (at > 0) fieldErrors[d.slice(0, at)] ??= d.slice(at + 2);
    } else if (d?.field) fieldErrors[d.field] ??= d.message ?? 'invalid';
  }
  return { error: e.message, fieldErrors };
}

/** The schema's fields when it is an object (refinements keep it one in zod 4). */
const shapeOf = (schema: z.ZodType): Record<string, z.ZodType> | null =>
  schema instanceof z.ZodObject ? schema.shape : null;

function isList(field: z.ZodType): boolean {
  let f: z.ZodType = field;
  while (f instanceof z.ZodOptional || f instanceof z.ZodNullable || f instanceof z.ZodDefault)
    f = f.unwrap() as z.ZodType;
  return f instanceof z.ZodArray;
}

/**
 * A form's values as `schema` reads them. A list field (row checkboxes) gets every value, none
 * when none is ticked. A blank field is no value where the schema allows none, so an optional
 * field left empty is absent; a required one gets '' and the schema words its own error.
 * Fields the schema does not name are passed on (one value, or a list when repeated).
 */
export function formValues(form: FormData, schema: z.ZodType): Record<string, unknown> {
  const shape = shapeOf(schema);
  const out: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(shape ?? {}), ...form.keys()])) {
    const values = form.getAll(key).filter((v): v is string => typeof v === 'string');
    const field = shape?.[key];
    if (field && isList(field)) out[key] = values;
    else if (!field) out[key] = values.length > 1 ? values : values[0];
    else if (values[0] === '' && field.safeParse(undefined).success) out[key] = undefined;
    else out[key] = values[0];
  }
  return out;
}
