'use client';

import { useActionState } from 'react';
import type { FormAction } from '@/lib/http/action-state';

/** A row's Remove (or Revoke) button: a form posting the row's key to a server action. */
export function RemoveButton({
  action,
  values,
  label,
  verb = 'Remove',
}: {
  action: FormAction;
  values: Record<string, string | number>;
  label?: string;
  verb?: string;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction}>
      {Object.entries(values).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <button disabled={pending} className="text-sm text-red-700 underline disabled:opacity-60" aria-label={label}>
        {verb}
      </button>
      {state.error ? <span className="ml-2 text-xs text-red-700">{state.error}</span> : null}
    </form>
  );
}
