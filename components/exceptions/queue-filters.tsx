import { ROOT_CAUSES, TX_TYPES } from '@/db/schema';
import type { QueueFilters } from '@/lib/exceptions/queries';
import { SelectField, TextField } from '@/components/ui/field';

/** The queue's filters as a GET form: every choice lives in the URL. */
export function QueueFilterForm({
  f,
  facilities,
  owners,
  keep,
}: {
  f: QueueFilters;
  facilities: string[];
  owners: string[];
  keep: Record<string, string | undefined>;
}) {
  return (
    <form
      method="get"
      className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white px-3 py-2 text-sm shadow-sm"
      data-testid="queue-filters"
    >
      <input type="hidden" name="view" value={f.view} />
      {Object.entries(keep).map(([k, v]) => (v ? <input key={k} type="hidden" name={k} value={v} /> : null))}
      <SelectField
        id="fld-state"
        label="Status"
        name="state"
        defaultValue={f.state}
        options={[
          ['open', 'Open (incl. acknowledged)'],
          ['acknowledged', 'Acknowledged'],
          ['resolved', 'Resolved'],
          ['ignored', 'Ignored'],
          ['all', 'All'],
        ]}
      />
      <SelectField
        id="fld-olderThan"
        label="Age"
        name="olderThan"
        defaultValue={f.olderThan}
        options={[
          ['1h', 'Older than 1 hour'],
          ['24h', 'Older than 24 hours'],
          ['3d', 'Older than 3 days'],
          ['7d', 'Older than 7 days'],
        ]}
        empty="Any age"
      />
      <SelectField
        id="fld-txType"
        label="Tx type"
        name="txType"
        defaultValue={f.txType}
        options={TX_TYPES}
        empty="Any"
      />
      <SelectField
        id="fld-facility"
        label="Facility"
        name="facility"
        defaultValue={f.facility}
        options={facilities}
        empty="Any"
      />
      <SelectField
        id="fld-rootCause"
        label="Root cause"
        name="rootCause"
        defaultValue={f.rootCause}
        options={ROOT_CAUSES}
        empty="Any"
      />
      <SelectField
        id="fld-owner"
        label="Owner"
        name="owner"
        defaultValue={f.owner}
        options={[['unassigned', 'Unassigned'], ...owners]}
        empty="Anyone"
      />
      <TextField id="fld-errorCode" label="Error code" name="errorCode" defaultValue={f.errorCode} width="w-36" />
      <TextField
        id="fld-q"
        label="Search"
        name="q"
        type="search"
        defaultValue={f.q}
        placeholder="message id, SKU, error text"
        width="w-56"
      />
      <SelectField
        id="fld-sort"
        label="Sort"
        name="sort"
        defaultValue={f.sort}
        options={
          f.view === 'groups'
            ? [
                ['count', 'Most frequent'],
                ['lastSeen', 'Last seen'],
                ['age', 'First seen'],
              ]
            : [
                ['age', 'Oldest first'],
                ['newest', 'Newest first'],
                ['facility', 'Facility'],
                ['txType', 'Tx type'],
              ]
        }
      />
      <button type="submit" className="rounded-md bg-slate-800 px-3 py-1.5 font-medium text-white hover:bg-slate-900">
        Filter
      </button>
    </form>
  );
}
