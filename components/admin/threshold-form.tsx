'use client';

import { useState } from 'react';
import { control, Field, Result, submitClass } from '@/components/admin/list-form';
import { useKeptForm } from '@/components/ui/use-kept-form';
import type { FormAction } from '@/lib/http/action-state';

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
  action: FormAction;
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
        <Field id="threshold-kpi" label="KPI" error={e.kpi}>
          <select {...ctl('kpi')} value={kpi} onChange={(ev) => setKpi(ev.target.value)}>
            {kpis.map((k) => (
              <option key={k.key} value={k.key}>
                {k.label}
              </option>
            ))}
          </select>
        </Field>
        <Field id="threshold-facility" label="Facility" error={e.facility}>
          <select {...ctl('facility')} value={facility} onChange={(ev) => setFacility(ev.target.value)}>
            <option value="*">Every facility (default)</option>
            {facilities.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </Field>
        {/* Keyed by the choice, so the levels that apply now fill in when it changes. */}
        <Field id="threshold-amber" label={`Amber at${suffix}`} error={e.amber}>
          <input
            key={`a-${kpi}-${facility}`}
            {...ctl('amber', 'w-28')}
            inputMode="decimal"
            defaultValue={now?.amber ?? ''}
          />
        </Field>
        <Field id="threshold-red" label={`Red at${suffix}`} error={e.red}>
          <input
            key={`r-${kpi}-${facility}`}
            {...ctl('red', 'w-28')}
            inputMode="decimal"
            defaultValue={now?.red ?? ''}
          />
        </Field>
        <Field id="threshold-worse" label="Worse when" error={e.worse}>
          <select key={`w-${kpi}-${facility}`} {...ctl('worse')} defaultValue={now?.worse ?? 'up'}>
            <option value="up">higher</option>
            <option value="down">lower</option>
          </select>
        </Field>
        <button disabled={pending} className={submitClass}>
          Save threshold
        </button>
      </div>
      <Result state={state} />
    </form>
  );
}
