'use client';

import { Result, submitClass } from '@/components/admin/list-form';
import { useKeptForm } from '@/components/ui/use-kept-form';
import type { FormAction } from '@/lib/http/action-state';

/** Acknowledge one firing alert with a note: what is being done about it (SPEC 9). */
export function AcknowledgeForm({ action, alertId, label }: { action: FormAction; alertId: number; label: string }) {
  const { state, pending, form } = useKeptForm(action, {});
  const id = `ack-note-${alertId}`;
  const error = state.fieldErrors?.note;
  return (
    <form {...form} className="flex flex-col gap-1" data-testid="ack-form">
      <input type="hidden" name="id" value={alertId} />
      <div className="flex items-end gap-2">
        <div className="flex flex-col text-xs text-slate-600">
          <label htmlFor={id} className="sr-only">
            Acknowledge note for {label}
          </label>
          <input
            id={id}
            name="note"
            placeholder="Note: what is being done"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            className={`w-56 rounded border px-2 py-1 text-sm ${error ? 'border-red-500' : 'border-slate-300'}`}
          />
        </div>
        <button disabled={pending} className={submitClass} aria-label={`Acknowledge ${label}`}>
          Acknowledge
        </button>
      </div>
      {error ? (
        <span id={`${id}-error`} className="text-xs text-red-700">
          {error}
        </span>
      ) : null}
      {state.ok || (state.error && !error) ? (
        <Result state={{ ok: state.ok, error: error ? undefined : state.error }} />
      ) : null}
    </form>
  );
}
