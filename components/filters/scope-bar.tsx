import { BarNotice } from '@/components/ui/bar-notice';
import { FacilityField, SelectField } from '@/components/ui/field';
import { FilterForm, HiddenFields } from '@/components/ui/filter-form';
import type { PageScope } from '@/lib/filters';

const PRESETS = [
  ['24h', 'Last 24 hours'],
  ['7d', 'Last 7 days'],
  ['30d', 'Last 30 days'],
  ['90d', 'Last 90 days'],
  ['custom', 'Custom…'],
] as const;

const CUSTOM_ENDS = [
  ['from', 'From (UTC, custom)'],
  ['to', 'To (UTC, custom)'],
] as const;

const localInput = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

/**
 * Time range and facility as a plain GET form: the choice lands in the URL, works without
 * JavaScript and with the keyboard. Custom dates are read as UTC.
 */
export function ScopeBar({
  scope,
  facilities,
  extra = {},
}: {
  scope: PageScope;
  facilities: string[];
  extra?: Record<string, string | undefined>;
}) {
  return (
    <FilterForm
      bar
      submit="Apply"
      testId="scope-bar"
      after={
        <>
          <p className="ml-auto text-xs text-slate-500 tabular-nums">
            {scope.from.toISOString().slice(0, 16).replace('T', ' ')} →{' '}
            {scope.to.toISOString().slice(0, 16).replace('T', ' ')} UTC
          </p>
          <BarNotice text={scope.notice} testId="scope-notice" />
        </>
      }
    >
      <SelectField id="fld-range" label="Time range" name="range" defaultValue={scope.range} options={PRESETS} />
      {CUSTOM_ENDS.map(([end, label]) => (
        <label key={end} className="flex flex-col text-xs text-slate-600">
          {label}
          <input
            type="datetime-local"
            name={end}
            defaultValue={scope.range === 'custom' ? localInput(scope[end]) : ''}
            className="mt-0.5 rounded border border-slate-300 px-2 py-1 text-sm"
          />
        </label>
      ))}
      <FacilityField id="fld-facility" value={scope.facility} facilities={facilities} />
      {/* After the fields, so the window leads the URL. */}
      <HiddenFields values={extra} />
    </FilterForm>
  );
}
