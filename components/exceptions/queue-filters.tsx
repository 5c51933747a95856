import { ROOT_CAUSES, TX_TYPES } from '@/db/schema';
import type { QueueFilters } from '@/lib/exceptions/queries';
import { SelectField, TextField } from '@/components/ui/field';
import { FilterForm } from '@/components/ui/filter-form';

const STATES = [
  ['open', 'Open (incl. acknowledged)'],
  ['acknowledged', 'Acknowledged'],
  ['resolved', 'Resolved'],
  ['ignored', 'Ignored'],
  ['all', 'All'],
] as const;
const AGES = [
  ['1h', 'Older than 1 hour'],
  ['24h', 'Older than 24 hours'],
  ['3d', 'Older than 3 days'],
  ['7d', 'Older than 7 days'],
] as const;
const SORTS = {
  groups: [
    ['count', 'Most frequent'],
    ['lastSeen', 'Last seen'],
    ['age', 'First seen'],
  ],
  list: [
    ['age', 'Oldest first'],
    ['newest', 'Newest first'],
    ['facility', 'Facility'],
    ['txType', 'Tx type'],
  ],
} as const;

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
    <FilterForm bar testId="queue-filters" keep={{ view: f.view, ...keep }}>
      <SelectField id="fld-state" label="Status" name="state" defaultValue={f.state} options={STATES} />
      <SelectField
        id="fld-olderThan"
        label="Age"
        name="olderThan"
        defaultValue={f.olderThan}
        options={AGES}
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
      <SelectField id="fld-sort" label="Sort" name="sort" defaultValue={f.sort} options={SORTS[f.view]} />
    </FilterForm>
  );
}
