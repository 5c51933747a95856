import { ROOT_CAUSES, TX_TYPES } from '@/db/schema';
import type { QueueFilters } from '@/lib/exceptions/queries';
import { SelectField, SelectFields, TextField } from '@/components/ui/field';
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
      <SelectFields
        prefix="fld"
        values={f}
        fields={[
          { name: 'state', label: 'Status', options: STATES },
          { name: 'olderThan', label: 'Age', options: AGES, empty: 'Any age' },
          { name: 'txType', label: 'Tx type', options: TX_TYPES, empty: 'Any' },
          { name: 'facility', label: 'Facility', options: facilities, empty: 'Any' },
          { name: 'rootCause', label: 'Root cause', options: ROOT_CAUSES, empty: 'Any' },
          { name: 'owner', label: 'Owner', options: [['unassigned', 'Unassigned'], ...owners], empty: 'Anyone' },
        ]}
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
