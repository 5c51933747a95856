'use client';

import { useEffect, useState } from 'react';
import { Labelled } from '@/components/ui/field';
import { useKeptForm } from '@/components/ui/use-kept-form';
import type { FormAction } from '@/lib/http/action-state';
import { SubmitButton } from '@/components/ui/button';

const ROOT_CAUSES = ['ownership', 'master_data', 'timing', 'mapping', 'exception_handling', 'unclassified'] as const;

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
  const field = 'mt-0.5 rounded border px-2 py-1 text-sm';
  return (
    <form
      id="bulk"
      {...form}
      className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white px-3 py-2 text-sm shadow-sm"
      data-testid="bulk-bar"
    >
      <Labelled id="bulk-action" label="With selected">
        <select
          id="bulk-action"
          name="action"
          value={kind}
          onChange={(e) => setKind(e.target.value)}
          className={`${field} border-slate-300`}
        >
          <option value="acknowledge">Acknowledge</option>
          <option value="assign">Assign</option>
          <option value="resolve">Resolve</option>
          <option value="ignore">Ignore</option>
        </select>
      </Labelled>
      {kind === 'assign' ? (
        <Labelled id="bulk-owner" label="Owner (user or role)" error={err.owner}>
          <input
            id="bulk-owner"
            name="owner"
            list="owners"
            aria-invalid={!!err.owner}
            className={`${field} ${err.owner ? 'border-red-500' : 'border-slate-300'}`}
          />
          <datalist id="owners">
            {['ops', 'it', 'finance', ...owners].map((o) => (
              <option key={o} value={o} />
            ))}
          </datalist>
        </Labelled>
      ) : null}
      {kind === 'resolve' ? (
        <>
          <Labelled id="bulk-rootCause" label="Root cause (required)" error={err.rootCause}>
            <select
              id="bulk-rootCause"
              name="rootCause"
              defaultValue=""
              aria-invalid={!!err.rootCause}
              className={`${field} ${err.rootCause ? 'border-red-500' : 'border-slate-300'}`}
            >
              <option value="">Choose…</option>
              {ROOT_CAUSES.map((r) => (
                <option key={r} value={r}>
                  {r.replace('_', ' ')}
                </option>
              ))}
            </select>
          </Labelled>
          <Labelled id="bulk-effortMinutes" label="Effort (minutes)" error={err.effortMinutes}>
            <input
              id="bulk-effortMinutes"
              name="effortMinutes"
              type="number"
              min={0}
              inputMode="numeric"
              aria-invalid={!!err.effortMinutes}
              className={`${field} w-24 ${err.effortMinutes ? 'border-red-500' : 'border-slate-300'}`}
            />
          </Labelled>
        </>
      ) : null}
      {kind === 'resolve' || kind === 'ignore' ? (
        <Labelled id="bulk-note" label="Note" className="flex-1">
          <input id="bulk-note" name="note" className={`${field} border-slate-300`} />
        </Labelled>
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
