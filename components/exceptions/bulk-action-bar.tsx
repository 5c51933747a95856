'use client';

import { useEffect, useState } from 'react';
import { bound, LabelledInput, LabelledSelect } from '@/components/ui/field';
import { useKeptForm } from '@/components/ui/use-kept-form';
import type { FormAction } from '@/lib/http/action-state';
import { SubmitButton } from '@/components/ui/button';

const ROOT_CAUSES = ['ownership', 'master_data', 'timing', 'mapping', 'exception_handling', 'unclassified'] as const;
const ACTIONS = [
  ['acknowledge', 'Acknowledge'],
  ['assign', 'Assign'],
  ['resolve', 'Resolve'],
  ['ignore', 'Ignore'],
] as const;

/**
 * The bulk action form. Row checkboxes elsewhere on the page join it through `form="bulk"`.
 * Server-side validation errors come back per field.
 */
export function BulkActionBar({ action, owners }: { action: FormAction; owners: string[] }) {
  // A refusal keeps the fields (and the row selection) to correct.
  const { state, pending, form } = useKeptForm(action, {});
  const [kind, setKind] = useState('acknowledge');
  const err = state.fieldErrors ?? {};
  // After a change went through, clear the selection; after a refusal, keep it (and the fields) to correct.
  useEffect(() => {
    if (!state.ok) return;
    document
      .querySelectorAll<HTMLInputElement>('input[type=checkbox][form="bulk"]')
      .forEach((b) => (b.checked = false));
  }, [state]);
  return (
    <form
      id="bulk"
      {...form}
      className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white px-3 py-2 text-sm shadow-sm"
      data-testid="bulk-bar"
    >
      <LabelledSelect
        id="bulk-action"
        label="With selected"
        name="action"
        {...bound(kind, setKind)}
        options={ACTIONS}
        muted
      />
      {kind === 'assign' ? (
        <LabelledInput
          id="bulk-owner"
          label="Owner (user or role)"
          name="owner"
          suggestions={['ops', 'it', 'finance', ...owners]}
          error={err.owner}
          muted
        />
      ) : null}
      {kind === 'resolve' ? (
        <>
          <LabelledSelect
            id="bulk-rootCause"
            label="Root cause (required)"
            name="rootCause"
            defaultValue=""
            error={err.rootCause}
            empty="Choose…"
            options={ROOT_CAUSES.map((r) => [r, r.replace('_', ' ')] as const)}
            muted
          />
          <LabelledInput
            id="bulk-effortMinutes"
            label="Effort (minutes)"
            name="effortMinutes"
            type="number"
            min={0}
            inputMode="numeric"
            error={err.effortMinutes}
            width="w-24"
            muted
          />
        </>
      ) : null}
      {kind === 'resolve' || kind === 'ignore' ? (
        <LabelledInput id="bulk-note" label="Note" name="note" className="flex-1" muted />
      ) : null}
      <SubmitButton busy={pending} busyText="Applying…" className="py-1.5 font-medium">
        Apply to selected
      </SubmitButton>
      <p role="status" aria-live="polite" className="text-sm" data-testid="bulk-result">
        {state.ok ? <span className="text-green-800">{state.ok}</span> : null}
        {state.error ? (
          <span className="text-red-700">
            {state.error}
            {err.ids ? ` ${err.ids}` : ''}
          </span>
        ) : null}
      </p>
    </form>
  );
}
