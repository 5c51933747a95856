'use client';

import { useKeptForm } from '@/components/ui/use-kept-form';
import type { FormAction } from '@/lib/http/action-state';

/** Notes and a sign-off button for one review; the page shows the sign-off once it is recorded. */
export function SignoffForm({
  action,
  cadence,
  period,
  facility,
}: {
  action: FormAction;
  cadence: string;
  period: string;
  facility: string | null;
}) {
  const { state, pending, form } = useKeptForm(action, {});
  const notesError = state.fieldErrors?.notes;
  return (
    <form {...form} className="space-y-2" data-testid="signoff-form">
      <input type="hidden" name="cadence" value={cadence} />
      <input type="hidden" name="period" value={period} />
      {facility ? <input type="hidden" name="facility" value={facility} /> : null}
      <div className="flex flex-col text-xs text-slate-600">
        <label htmlFor="signoff-notes">Notes (decisions, owners, follow-ups)</label>
        <textarea
          id="signoff-notes"
          name="notes"
          rows={3}
          maxLength={2000}
          aria-invalid={!!notesError}
          aria-describedby={notesError ? 'signoff-notes-error' : undefined}
          className={`mt-0.5 w-full rounded border px-2 py-1 text-sm text-slate-900 ${notesError ? 'border-red-500' : 'border-slate-300'}`}
        />
        {notesError ? (
          <span id="signoff-notes-error" className="text-red-700">
            {notesError}
          </span>
        ) : null}
      </div>
      <div className="flex items-center gap-3">
        <button
          disabled={pending}
          className="rounded-md bg-blue-700 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-60"
        >
          {pending ? 'Signing off…' : 'Sign off this review'}
        </button>
        <div role="status" aria-live="polite" className="text-sm">
          {state.ok ? <span className="text-green-800">{state.ok}</span> : null}
          {state.error ? <span className="text-red-700">{state.error}</span> : null}
        </div>
      </div>
    </form>
  );
}
