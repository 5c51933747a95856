import { BarNotice } from '@/components/ui/bar-notice';
import type { PageScope } from '@/lib/filters';

const PRESETS = [
  ['24h', 'Last 24 hours'],
  ['7d', 'Last 7 days'],
  ['30d', 'Last 30 days'],
  ['90d', 'Last 90 days'],
  ['custom', 'Custom…'],
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
    <form
      method="get"
      className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white px-3 py-2 text-sm shadow-sm"
      data-testid="scope-bar"
    >
      <div className="flex flex-col text-xs text-slate-600">
        <label htmlFor="fld-range">Time range</label>
        <select
          id="fld-range"
          name="range"
          defaultValue={scope.range}
          className="mt-0.5 rounded border border-slate-300 px-2 py-1 text-sm text-slate-900"
        >
          {PRESETS.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      </div>
      <label className="flex flex-col text-xs text-slate-600">
        From (UTC, custom)
        <input
          type="datetime-local"
          name="from"
          defaultValue={scope.range === 'custom' ? localInput(scope.from) : ''}
          className="mt-0.5 rounded border border-slate-300 px-2 py-1 text-sm"
        />
      </label>
      <label className="flex flex-col text-xs text-slate-600">
        To (UTC, custom)
        <input
          type="datetime-local"
          name="to"
          defaultValue={scope.range === 'custom' ? localInput(scope.to) : ''}
          className="mt-0.5 rounded border border-slate-300 px-2 py-1 text-sm"
        />
      </label>
      <div className="flex flex-col text-xs text-slate-600">
        <label htmlFor="fld-facility">Facility</label>
        <select
          id="fld-facility"
          name="facility"
          defaultValue={scope.facility ?? ''}
          className="mt-0.5 rounded border border-slate-300 px-2 py-1 text-sm text-slate-900"
        >
          <option value="">All facilities</option>
          {facilities.map((f) => (
            <option key={f} value={f}>
              {f}
            </option>
          ))}
        </select>
      </div>
      {Object.entries(extra).map(([k, v]) => (v ? <input key={k} type="hidden" name={k} value={v} /> : null))}
      <button
        type="submit"
        className="rounded-md bg-slate-800 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-900"
      >
        Apply
      </button>
      <p className="ml-auto text-xs text-slate-500 tabular-nums">
        {scope.from.toISOString().slice(0, 16).replace('T', ' ')} →{' '}
        {scope.to.toISOString().slice(0, 16).replace('T', ' ')} UTC
      </p>
      <BarNotice text={scope.notice} testId="scope-notice" />
    </form>
  );
}
