'use client';

import { useState } from 'react';
import { useKeptForm } from '@/components/ui/use-kept-form';
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

/** A form control's id and name, and what it shows of its field's error: a red border, and the error text read with it. */
const control = (id: string, name: string, error?: string, extraClass = '') => ({
  id,
  name,
  'aria-invalid': error ? true : undefined,
  'aria-describedby': error ? `${id}-error` : undefined,
  className: `${input} ${error ? 'border-red-500' : 'border-slate-300'} ${extraClass}`.trim(),
});

function Field({ id, name, label, error, type = 'text', children }: { id: string; name: string; label: string; error?: string; type?: string; children?: React.ReactNode }) {
  return (
    <div className="flex flex-col text-xs text-slate-600">
      <label htmlFor={id}>{label}</label>
      {children ?? <input type={type} {...control(id, name, error)} />}
      {error ? <span id={`${id}-error`} className="text-red-700">{error}</span> : null}
    </div>
  );
}

export function CreateKeyForm({ action }: { action: (s: FormState, f: FormData) => Promise<FormState> }) {
  const { state, pending, form } = useKeptForm(action, {}, { resetOnOk: true });
  return (
    <form {...form} className="space-y-2">
      <div className="flex items-end gap-2">
        <Field id="key-name" name="name" label="Key name (e.g. the middleware host)" error={state.fieldErrors?.name} />
        <button disabled={pending} className="rounded-md bg-blue-700 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-60">Create key</button>
      </div>
      <Result state={state} />
    </form>
  );
}

export function AddUserForm({ action }: { action: (s: FormState, f: FormData) => Promise<FormState> }) {
  const { state, pending, form } = useKeptForm(action, {}, { resetOnOk: true });
  const e = state.fieldErrors ?? {};
  return (
    <form {...form} className="space-y-2">
      <div className="flex flex-wrap items-end gap-2">
        <Field id="user-email" name="email" label="Email" type="email" error={e.email} />
        <Field id="user-name" name="name" label="Name (optional)" />
        <Field id="user-role" name="role" label="Role" error={e.role}>
          <select {...control('user-role', 'role', e.role)} defaultValue="">
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

export interface ThresholdChoice {
  key: string;
  label: string;
  unit: string;
}

/**
 * Sets a KPI's amber and red levels for every facility ('*') or one, in the units the tiles show
 * (% for rates, seconds for durations). Choosing a KPI and facility fills in what applies now.
 */
export function ThresholdForm({
  action,
  kpis,
  facilities,
  current,
}: {
  action: (s: FormState, f: FormData) => Promise<FormState>;
  kpis: ThresholdChoice[];
  facilities: string[];
  /** 'kpi|facility' → the levels in form units. */
  current: Record<string, { amber: string; red: string; worse: 'up' | 'down' }>;
}) {
  // Kept after saving too: the form then shows what was saved.
  const { state, pending, form } = useKeptForm(action, {});
  const [kpi, setKpi] = useState(kpis[0]?.key ?? '');
  const [facility, setFacility] = useState('*');
  const e = state.fieldErrors ?? {};
  const unit = kpis.find((k) => k.key === kpi)?.unit ?? '';
  const now = current[`${kpi}|${facility}`] ?? (facility === '*' ? undefined : current[`${kpi}|*`]);
  const suffix = unit === 'count' ? '' : ` (${unit})`;
  const ctl = (f: string, extraClass?: string) => control(`threshold-${f}`, f, e[f], extraClass);
  return (
    <form {...form} className="space-y-2" data-testid="threshold-form">
      <div className="flex flex-wrap items-end gap-2">
        <Field id="threshold-kpi" name="kpi" label="KPI" error={e.kpi}>
          <select {...ctl('kpi')} value={kpi} onChange={(ev) => setKpi(ev.target.value)}>
            {kpis.map((k) => <option key={k.key} value={k.key}>{k.label}</option>)}
          </select>
        </Field>
        <Field id="threshold-facility" name="facility" label="Facility" error={e.facility}>
          <select {...ctl('facility')} value={facility} onChange={(ev) => setFacility(ev.target.value)}>
            <option value="*">Every facility (default)</option>
            {facilities.map((f) => <option key={f} value={f}>{f}</option>)}
          </select>
        </Field>
        {/* Keyed by the choice, so the levels that apply now fill in when it changes. */}
        <Field id="threshold-amber" name="amber" label={`Amber at${suffix}`} error={e.amber}>
          <input key={`a-${kpi}-${facility}`} {...ctl('amber', 'w-28')} inputMode="decimal" defaultValue={now?.amber ?? ''} />
        </Field>
        <Field id="threshold-red" name="red" label={`Red at${suffix}`} error={e.red}>
          <input key={`r-${kpi}-${facility}`} {...ctl('red', 'w-28')} inputMode="decimal" defaultValue={now?.red ?? ''} />
        </Field>
        <Field id="threshold-worse" name="worse" label="Worse when" error={e.worse}>
          <select key={`w-${kpi}-${facility}`} {...ctl('worse')} defaultValue={now?.worse ?? 'up'}>
            <option value="up">higher</option>
            <option value="down">lower</option>
          </select>
        </Field>
        <button disabled={pending} className="rounded-md bg-blue-700 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-60">Save threshold</button>
      </div>
      <Result state={state} />
    </form>
  );
}

/** A person's role, and switching the account off or on; a refusal (the last admin) shows beside it. */
export function UserControls({
  action,
  user,
}: {
  action: (s: FormState, f: FormData) => Promise<FormState>;
  user: { id: number; email: string; role: string; disabled: boolean };
}) {
  const { state, pending, form } = useKeptForm(action, {});
  const id = `user-role-${user.id}`;
  return (
    <form {...form} className="flex flex-wrap items-center gap-2" data-testid="user-controls">
      <input type="hidden" name="id" value={user.id} />
      <label htmlFor={id} className="sr-only">Role of {user.email}</label>
      <select id={id} name="role" defaultValue={user.role} className={`${input} border-slate-300`}>
        {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
      </select>
      <button name="intent" value="role" disabled={pending} className="rounded border border-slate-300 bg-white px-2 py-1 text-xs hover:bg-slate-50 disabled:opacity-60">
        Change role
      </button>
      <button name="intent" value={user.disabled ? 'enable' : 'disable'} disabled={pending} className={`text-xs underline disabled:opacity-60 ${user.disabled ? 'text-blue-700' : 'text-red-700'}`}>
        {user.disabled ? 'Enable' : 'Disable'}
      </button>
      <span role="status" aria-live="polite" className="text-xs">
        {state.error ? <span className="text-red-700">{state.fieldErrors?.role ?? state.error}</span> : state.ok ? <span className="text-green-800">{state.ok}</span> : null}
      </span>
    </form>
  );
}

export interface ListField {
  name: string;
  label: string;
  /** A select of these values (or [value, label]); a text input without. */
  options?: readonly (string | readonly [string, string])[];
  placeholder?: string;
  className?: string;
}

/**
 * Adds or changes a row of an admin list (root-cause rules, ownership, glossary): one input per
 * field, the server's error under each field, and a clean form once the row is saved.
 */
export function ListForm({ action, fields, submit, name }: { action: (s: FormState, f: FormData) => Promise<FormState>; fields: ListField[]; submit: string; name: string }) {
  const { state, pending, form } = useKeptForm(action, {}, { resetOnOk: true });
  const e = state.fieldErrors ?? {};
  return (
    <form {...form} className="space-y-2" data-testid={`${name}-form`}>
      <div className="flex flex-wrap items-end gap-2">
        {fields.map((f) => {
          const id = `${name}-${f.name}`;
          const common = control(id, f.name, e[f.name], f.className);
          return (
            <Field key={f.name} id={id} name={f.name} label={f.label} error={e[f.name]}>
              {f.options ? (
                <select {...common} defaultValue="">
                  <option value="">Choose…</option>
                  {f.options.map((o) => {
                    const [value, text] = typeof o === 'string' ? [o, o] : o;
                    return <option key={value} value={value}>{text}</option>;
                  })}
                </select>
              ) : (
                <input {...common} placeholder={f.placeholder} />
              )}
            </Field>
          );
        })}
        <button disabled={pending} className="rounded-md bg-blue-700 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-60">{submit}</button>
      </div>
      <Result state={state} />
    </form>
  );
}

/** Applies the rules to the open exceptions now, instead of only to those opened from now on. */
export function ReclassifyForm({ action }: { action: (s: FormState, f: FormData) => Promise<FormState> }) {
  const { state, pending, form } = useKeptForm(action, {});
  return (
    <form {...form} className="flex flex-wrap items-center gap-3" data-testid="reclassify-form">
      <button disabled={pending} className="rounded border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50 disabled:opacity-60">
        {pending ? 'Applying…' : 'Apply the rules to open exceptions now'}
      </button>
      <Result state={state} />
    </form>
  );
}
