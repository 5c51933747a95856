'use client';

import { useEffect, useState } from 'react';
import { useKeptForm } from '@/components/ui/use-kept-form';
import type { FormAction } from '@/lib/http/action-state';

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
      <div className="flex flex-col text-xs text-slate-600">
        <label htmlFor="bulk-action">With selected</label>
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
      </div>
      {kind === 'assign' ? (
        <div className="flex flex-col text-xs text-slate-600">
          <label htmlFor="bulk-owner">Owner (user or role)</label>
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
          {err.owner ? <span className="text-red-700">{err.owner}</span> : null}
        </div>
      ) : null}
      {kind === 'resolve' ? (
        <>
          <div className="flex flex-col text-xs text-slate-600">
            <label htmlFor="bulk-rootCause">Root cause (required)</label>
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
            {err.rootCause ? <span className="text-red-700">{err.rootCause}</span> : null}
          </div>
          <div className="flex flex-col text-xs text-slate-600">
            <label htmlFor="bulk-effortMinutes">Effort (minutes)</label>
            <input
              id="bulk-effortMinutes"
              name="effortMinutes"
              type="number"
              min={0}
              inputMode="numeric"
              aria-invalid={!!err.effortMinutes}
              className={`${field} w-24 ${err.effortMinutes ? 'border-red-500' : 'border-slate-300'}`}
            />
            {err.effortMinutes ? <span className="text-red-700">{err.effortMinutes}</span> : null}
          </div>
        </>
      ) : null}
      {kind === 'resolve' || kind === 'ignore' ? (
        <div className="flex flex-1 flex-col text-xs text-slate-600">
          <label htmlFor="bulk-note">Note</label>
          <input id="bulk-note" name="note" className={`${field} border-slate-300`} />
        </div>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className="rounded-md bg-blue-700 px-3 py-1.5 font-medium text-white hover:bg-blue-800 disabled:opacity-60"
      >
        {pending ? 'Applying…' : 'Apply to selected'}
      </button>
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
