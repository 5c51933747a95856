'use client';

import { useKeptForm } from '@/components/ui/use-kept-form';
import type { FormAction } from '@/lib/http/action-state';

/** A person's role, and switching the account off or on; a refusal (the last admin) shows beside it. */
export function UserControls({
  action,
  user,
  roles,
}: {
  action: FormAction;
  user: { id: number; email: string; role: string; disabled: boolean };
  roles: readonly string[];
}) {
  const { state, pending, form } = useKeptForm(action, {});
  const id = `user-role-${user.id}`;
  const toggle = user.disabled ? 'text-blue-700' : 'text-red-700';
  return (
    <form {...form} className="flex flex-wrap items-center gap-2" data-testid="user-controls">
      <input type="hidden" name="id" value={user.id} />
      <label htmlFor={id} className="sr-only">
        Role of {user.email}
      </label>
      <select
        id={id}
        name="role"
        defaultValue={user.role}
        className="mt-0.5 rounded border border-slate-300 px-2 py-1 text-sm"
      >
        {roles.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      <button
        name="intent"
        value="role"
        disabled={pending}
        className="rounded border border-slate-300 bg-white px-2 py-1 text-xs hover:bg-slate-50 disabled:opacity-60"
      >
        Change role
      </button>
      <button
        name="intent"
        value={user.disabled ? 'enable' : 'disable'}
        disabled={pending}
        className={`text-xs underline disabled:opacity-60 ${toggle}`}
      >
        {user.disabled ? 'Enable' : 'Disable'}
      </button>
      <span role="status" aria-live="polite" className="text-xs">
        {state.error ? <span className="text-red-700">{state.fieldErrors?.role ?? state.error}</span> : null}
        {!state.error && state.ok ? <span className="text-green-800">{state.ok}</span> : null}
      </span>
    </form>
  );
}
