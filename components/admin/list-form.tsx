'use client';

import { useKeptForm } from '@/components/ui/use-kept-form';
import { Options } from '@/components/ui/field';
import type { FormField } from '@/lib/admin/list';
import type { ActionState, FormAction } from '@/lib/http/action-state';

const input = 'mt-0.5 rounded border px-2 py-1 text-sm';

/** What the server said: done, the secret to copy once, or why not. */
export function Result({ state }: { state: ActionState }) {
  return (
    <div role="status" aria-live="polite" className="text-sm">
      {state.ok ? <p className="text-green-800">{state.ok}</p> : null}
      {state.secret ? (
        <p className="mt-1">
          <code
            data-testid="new-api-key"
            className="select-all rounded bg-amber-50 px-2 py-1 font-mono text-xs ring-1 ring-amber-300"
          >
            {state.secret}
          </code>
        </p>
      ) : null}
      {state.error ? <p className="text-red-700">{state.error}</p> : null}
    </div>
  );
}

/**
 * A form control's id and name, and what it shows of its field's error: a red border, and the
 * error text read with it.
 */
export const control = (id: string, name: string, error?: string, extraClass = '') => ({
  id,
  name,
  'aria-invalid': error ? true : undefined,
  'aria-describedby': error ? `${id}-error` : undefined,
  className: `${input} ${error ? 'border-red-500' : 'border-slate-300'} ${extraClass}`.trim(),
});

/** A labelled control with its error under it (a text input unless given another). */
export function Field({
  id,
  label,
  error,
  children,
}: {
  id: string;
  label: string;
  error?: string;
  children: React.ReactNode;
}) {
  return (
    <div className="flex flex-col text-xs text-slate-600">
      <label htmlFor={id}>{label}</label>
      {children}
      {error ? (
        <span id={`${id}-error`} className="text-red-700">
          {error}
        </span>
      ) : null}
    </div>
  );
}

/** A group of checkboxes sending every ticked value under the field's name; the legend names the group. */
function Choices({ id, field, error }: { id: string; field: FormField; error?: string }) {
  return (
    <fieldset
      className="flex flex-col text-xs text-slate-600"
      aria-invalid={error ? true : undefined}
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend>{field.label}</legend>
      <div className="mt-0.5 flex gap-3 py-1">
        {field.choices!.map((c) => {
          const [value, label] = typeof c === 'string' ? [c, c] : c;
          return (
            <label key={value} className="flex items-center gap-1 text-sm text-slate-900">
              <input
                type="checkbox"
                name={field.name}
                value={value}
                defaultChecked={field.checked?.includes(value)}
                className={error ? 'outline outline-red-500' : undefined}
              />
              {label}
            </label>
          );
        })}
      </div>
      {error ? (
        <span id={`${id}-error`} className="text-red-700">
          {error}
        </span>
      ) : null}
    </fieldset>
  );
}

export const submitClass = 'rounded-md bg-blue-700 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-60';

/**
 * Adds or changes a row of an admin list: one input per field, the server's error under each
 * field, and a clean form once the row is saved (what was typed stays while it is refused).
 */
export function ListForm({
  action,
  fields,
  submit,
  name,
}: {
  action: FormAction;
  fields: FormField[];
  submit: string;
  name: string;
}) {
  const { state, pending, form } = useKeptForm(action, {}, { resetOnOk: true });
  const e = state.fieldErrors ?? {};
  return (
    <form {...form} className="space-y-2" data-testid={`${name}-form`}>
      <div className="flex flex-wrap items-end gap-2">
        {fields.map((f) => {
          const id = `${name}-${f.name}`;
          if (f.choices) return <Choices key={f.name} id={id} field={f} error={e[f.name]} />;
          const common = control(id, f.name, e[f.name], f.className);
          return (
            <Field key={f.name} id={id} label={f.label} error={e[f.name]}>
              {f.options ? (
                <select {...common} defaultValue="">
                  <option value="">Choose…</option>
                  <Options options={f.options} />
                </select>
              ) : (
                <input {...common} type={f.type} placeholder={f.placeholder} />
              )}
            </Field>
          );
        })}
        <button disabled={pending} className={submitClass}>
          {submit}
        </button>
      </div>
      <Result state={state} />
    </form>
  );
}
