'use client';

import { control, Field, Result, submitClass } from '@/components/admin/list-form';
import { useKeptForm } from '@/components/ui/use-kept-form';
import type { FormAction } from '@/lib/http/action-state';

export interface RetentionField {
  key: string;
  label: string;
  /** Days as text; blank for forever. */
  value: string;
  hint: string;
}

/** Days per kind: each a labelled text field with its default beside it and its error under it. */
export function RetentionForm({ action, fields }: { action: FormAction; fields: RetentionField[] }) {
  const { state, pending, form } = useKeptForm(action, {});
  const e = state.fieldErrors ?? {};
  return (
    <form {...form} className="space-y-3" data-testid="retention-form" noValidate>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {fields.map((f) => (
          <Field key={f.key} id={`retention-${f.key}`} label={`${f.label} (days)`} error={e[f.key]}>
            <input
              {...control(`retention-${f.key}`, f.key, e[f.key], 'w-32')}
              inputMode="numeric"
              defaultValue={f.value}
              placeholder="forever"
            />
            <span className="text-slate-500">{f.hint}</span>
          </Field>
        ))}
      </div>
      <button type="submit" className={submitClass} disabled={pending}>
        {pending ? 'Saving…' : 'Save retention'}
      </button>
      <Result state={state} />
    </form>
  );
}

/** Runs retention now (what the preview shows), saying what it dropped. */
export function RunRetentionButton({ action }: { action: FormAction }) {
  const { state, pending, form } = useKeptForm(action, {});
  return (
    <form {...form} className="flex flex-col items-end gap-1" data-testid="retention-run">
      <button type="submit" className={submitClass} disabled={pending}>
        {pending ? 'Running…' : 'Run now'}
      </button>
      <Result state={state} />
    </form>
  );
}
