'use client';

import { useActionState, useState } from 'react';
import type { BulkActionState } from '@/app/(dashboard)/exceptions/actions';

const ROOT_CAUSES = ['ownership', 'master_data', 'timing', 'mapping', 'exception_handling', 'unclassified'] as const;

/**
 * The bulk action form. Row checkboxes elsewhere on the page join it through `form="bulk"`.
 * Server-side validation errors come back per field.
 */
export function BulkActionBar({ action, owners }: { action: (s: BulkActionState, f: FormData) => Promise<BulkActionState>; owners: string[] }) {
  const [state, formAction, pending] = useActionState(action, {});
  const [kind, setKind] = useState('acknowledge');
  const err = state.fieldErrors ?? {};
  const field = 'mt-0.5 rounded border px-2 py-1 text-sm';
  return (
    <form id="bulk" action={formAction} className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white px-3 py-2 text-sm shadow-sm" data-testid="bulk-bar">
      <label className="flex flex-col text-xs text-slate-600">
        With selected
        <select name="action" value={kind} onChange={(e) => setKind(e.target.value)} className={`${field} border-slate-300`}>
          <option value="acknowledge">Acknowledge</option>
          <option value="assign">Assign</option>
          <option value="resolve">Resolve</option>
          <option value="ignore">Ignore</option>
        </select>
      </label>
      {kind === 'assign' ? (
        <label className="flex flex-col text-xs text-slate-600">
          Owner (user or role)
          <input name="owner" list="owners" aria-invalid={!!err.owner} className={`${field} ${err.owner ? 'border-red-500' : 'border-slate-300'}`} />
          <datalist id="owners">
            {['ops', 'it', 'finance', ...owners].map((o) => (
              <option key={o} value={o} />
            ))}
          </datalist>
          {err.owner ? <span className="text-red-700">{err.owner}</span> : null}
        </label>
      ) : null}
      {kind === 'resolve' ? (
        <>
          <label className="flex flex-col text-xs text-slate-600">
            Root cause (required)
            <select name="rootCause" defaultValue="" aria-invalid={!!err.rootCause} className={`${field} ${err.rootCause ? 'border-red-500' : 'border-slate-300'}`}>
              <option value="">Choose…</option>
              {ROOT_CAUSES.map((r) => (
                <option key={r} value={r}>{r.replace('_', ' ')}</option>
              ))}
            </select>
            {err.rootCause ? <span className="text-red-700">{err.rootCause}</span> : null}
          </label>
          <label className="flex flex-col text-xs text-slate-600">
            Effort (minutes)
            <input name="effortMinutes" type="number" min={0} inputMode="numeric" aria-invalid={!!err.effortMinutes} className={`${field} w-24 ${err.effortMinutes ? 'border-red-500' : 'border-slate-300'}`} />
            {err.effortMinutes ? <span className="text-red-700">{err.effortMinutes}</span> : null}
          </label>
        </>
      ) : null}
      {kind === 'resolve' || kind === 'ignore' ? (
        <label className="flex flex-1 flex-col text-xs text-slate-600">
          Note
          <input name="note" className={`${field} border-slate-300`} />
        </label>
      ) : null}
      <button type="submit" disabled={pending} className="rounded-md bg-blue-700 px-3 py-1.5 font-medium text-white hover:bg-blue-800 disabled:opacity-60">
        {pending ? 'Applying…' : 'Apply to selected'}
      </button>
      <p role="status" aria-live="polite" className="text-sm" data-testid="bulk-result">
        {state.ok ? <span className="text-green-800">{state.ok}</span> : null}
        {state.error ? <span className="text-red-700">{state.error}{err.ids ? ` ${err.ids}` : ''}</span> : null}
      </p>
    </form>
  );
}
