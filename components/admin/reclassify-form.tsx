'use client';

import { Result } from '@/components/admin/list-form';
import { useKeptForm } from '@/components/ui/use-kept-form';
import type { FormAction } from '@/lib/http/action-state';

/** Applies the rules to the open exceptions now, instead of only to those opened from now on. */
export function ReclassifyForm({ action }: { action: FormAction }) {
  const { state, pending, form } = useKeptForm(action, {});
  return (
    <form {...form} className="flex flex-wrap items-center gap-3" data-testid="reclassify-form">
      <button
        disabled={pending}
        className="rounded border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50 disabled:opacity-60"
      >
        {pending ? 'Applying…' : 'Apply the rules to open exceptions now'}
      </button>
      <Result state={state} />
    </form>
  );
}
