/**
 * Thresholds as an admin list: the rules and units live in lib/kpi/threshold-settings; the form
 * speaks the units of the tiles, the API those of /api/v1/kpis.
 */
import 'server-only';
import { z } from 'zod';
import { defineList } from '@/lib/admin/list';
import { keyPart } from '@/lib/admin/lists/fields';
import { formatValue } from '@/lib/format';
import {
  listThresholds,
  removeThreshold,
  saveThreshold,
  thresholdFormInput,
  thresholdInput,
} from '@/lib/kpi/threshold-settings';

const where = (facility: string) => (facility === '*' ? 'every facility' : facility);

export const thresholdsList = defineList({
  name: 'thresholds',
  title: 'Thresholds',
  description:
    'When a tile turns amber or red. The default applies to every facility without levels of its own; a KPI ' +
    'without a threshold stays neutral.',
  caption: 'Thresholds',
  empty: 'No thresholds: every tile stays neutral. Add one above.',
  rowTestId: 'threshold-row',
  capability: 'admin',
  load: listThresholds,
  rowKey: (r) => `${r.kpi}|${r.facility}`,
  columns: [
    { key: 'kpi', header: 'KPI', cell: (r) => r.label },
    {
      key: 'facility',
      header: 'Facility',
      cell: (r) => (r.facility === '*' ? { muted: 'every facility' } : r.facility),
    },
    { key: 'amber', header: 'Amber at', align: 'right', cell: (r) => formatValue(r.amber, r.format) },
    { key: 'red', header: 'Red at', align: 'right', cell: (r) => formatValue(r.red, r.format) },
    { key: 'worse', header: 'Worse when', cell: (r) => (r.worse === 'up' ? 'higher' : 'lower') },
  ],
  fields: ['kpi', 'facility', 'amber', 'red', 'worse'],
  csvFile: 'thresholds.csv',
  write: {
    input: thresholdInput,
    formInput: thresholdFormInput,
    notSaved: 'The threshold was not saved.',
    save: saveThreshold,
    said: (t, { created }) => `${created ? 'Added' : 'Changed'} the threshold of ${t.kpi} for ${where(t.facility)}.`,
  },
  remove: {
    key: z.object({ kpi: keyPart(), facility: keyPart("is required ('*' for the default)") }),
    which: 'Say which threshold to remove.',
    run: (db, k) => removeThreshold(db, k.kpi, k.facility),
    values: (r) => ({ kpi: r.kpi, facility: r.facility }),
    label: (r) => `Remove the threshold of ${r.label} for ${where(r.facility)}`,
  },
  api: {
    key: 'thresholds',
    write: 'PUT',
    hint: '{ "kpi", "facility", "amber", "red", "worse" }',
    reply: (t) => ({ threshold: t }),
  },
});
