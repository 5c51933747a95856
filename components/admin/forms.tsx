'use client';

import { useActionState } from 'react';
import type { FormState } from '@/app/(dashboard)/admin/actions';

const input = 'mt-0.5 rounded border px-2 py-1 text-sm';
const ROLES = ['ops', 'finance', 'it', 'manager', 'admin'] as const;

function Result({ state }: { state: FormState }) {
  return (
    <div role="status" aria-live="polite" className="text-sm">
      {state.ok ? <p className="text-green-800">{state.ok}</p> : null}
      {state.secret ? (
        <p className="mt-1">
          <code data-testid="new-api-key" className="select-all rounded bg-amber-50 px-2 py-1 font-mono text-xs ring-1 ring-amber-300">{state.secret}</code>
        </p>
      ) : null}
      {state.error ? <p className="text-red-700">{state.error}</p> : null}
    </div>
  );
}

function Field({ id, name, label, error, type = 'text', children }: { id: string; name: string; label: string; error?: string; type?: string; children?: React.ReactNode }) {
  return (
    <div className="flex flex-col text-xs text-slate-600">
      <label htmlFor={id}>{label}</label>
      {children ?? <input id={id} name={name} type={type} aria-invalid={!!error} aria-describedby={error ? `${id}-error` : undefined} className={`${input} ${error ? 'border-red-500' : 'border-slate-300'}`} />}
      {error ? <span id={`${id}-error`} className="text-red-700">{error}</span> : null}
    </div>
  );
}

export function CreateKeyForm({ action }: { action: (s: FormState, f: FormData) => Promise<FormState> }) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} className="space-y-2">
      <div className="flex items-end gap-2">
        <Field id="key-name" name="name" label="Key name (e.g. the middleware host)" error={state.fieldErrors?.name} />
        <button disabled={pending} className="rounded-md bg-blue-700 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-60">Create key</button>
      </div>
      <Result state={state} />
    </form>
  );
}

export function AddUserForm({ action }: { action: (s: FormState, f: FormData) => Promise<FormState> }) {
  const [state, formAction, pending] = useActionState(action, {});
  const e = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="space-y-2">
      <div className="flex flex-wrap items-end gap-2">
        <Field id="user-email" name="email" label="Email" type="email" error={e.email} />
        <Field id="user-name" name="name" label="Name (optional)" />
        <Field id="user-role" name="role" label="Role" error={e.role}>
          <select id="user-role" name="role" defaultValue="" className={`${input} ${e.role ? 'border-red-500' : 'border-slate-300'}`}>
            <option value="">Choose…</option>
            {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </Field>
        <Field id="user-password" name="password" label="Initial password" type="password" error={e.password} />
        <button disabled={pending} className="rounded-md bg-blue-700 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-60">Add user</button>
      </div>
      <Result state={state} />
    </form>
  );
}
