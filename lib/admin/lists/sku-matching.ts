/**
 * SKU matching rules per facility (SPEC 10) as an admin list: how reconciliation and the master
 * data audit compare SKU codes. The '*' row is the default of every facility without rules of its
 * own, and the rules of the master data audit, which is recomputed when it changes.
 */
import 'server-only';
import { z } from 'zod';
import type { Executor } from '@/db';
import { defineList, saveValue } from '@/lib/admin/list';
import { keyPart } from '@/lib/admin/lists/fields';
import { recomputeMasterData } from '@/lib/master-data/recompute';
import { describeRules } from '@/lib/sku-matching/rules';
import {
  EVERY_FACILITY,
  listSkuMatching,
  removeSkuMatching,
  saveSkuMatching,
  skuMatchingInput,
  type SkuMatchingInput,
} from '@/lib/sku-matching/settings';

const where = (facility: string) => (facility === EVERY_FACILITY ? 'every facility' : facility);
const yesNo = (on: boolean) => (on ? { badge: 'yes', tone: 'info' as const } : 'no');
const FLAG = [
  ['true', 'yes'],
  ['false', 'no'],
] as const;

/** Saves a facility's rules; the default's change the master data audit, which is recomputed with them. */
async function save(db: Executor, r: SkuMatchingInput) {
  const saved = await saveSkuMatching(db, r);
  if (r.facility === EVERY_FACILITY) await recomputeMasterData(db);
  return saved;
}

async function remove(db: Executor, facility: string) {
  await removeSkuMatching(db, facility);
  if (facility === EVERY_FACILITY) await recomputeMasterData(db);
}

export const skuMatchingList = defineList({
  name: 'sku-matching',
  title: 'SKU matching',
  description:
    'How reconciliation compares the SKU codes of the ERP and the WMS of a facility (surrounding spaces are always ' +
    'ignored). "*" is the default of every facility without rules of its own, and the rules of the master data ' +
    'audit. A run keeps the rules it compared with.',
  caption: 'SKU matching rules',
  rowTestId: 'sku-matching-row',
  capability: 'admin',
  load: listSkuMatching,
  rowKey: (r) => r.facility,
  rowTitle: (r) => describeRules(r),
  columns: [
    {
      key: 'facility',
      header: 'Facility',
      cell: (r) =>
        r.facility === EVERY_FACILITY
          ? { text: 'every facility', muted: r.own ? ' (default)' : ' (built-in default)' }
          : r.facility,
    },
    { key: 'ignoreCase', header: 'Ignore case', cell: (r) => yesNo(r.ignoreCase) },
    { key: 'ignoreSeparators', header: 'Ignore - _ . / and spaces', cell: (r) => yesNo(r.ignoreSeparators) },
    { key: 'ignoreLeadingZeros', header: 'Ignore leading zeros', cell: (r) => yesNo(r.ignoreLeadingZeros) },
    { key: 'updatedAt', header: 'Changed', cell: (r) => ({ time: r.updatedAt }) },
  ],
  fields: ['facility', 'ignoreCase', 'ignoreSeparators', 'ignoreLeadingZeros', 'own'],
  csvFile: 'sku-matching.csv',
  write: {
    input: skuMatchingInput,
    notSaved: 'The SKU matching rules were not saved.',
    save,
    said: (r, { created }) =>
      `${created ? 'Set' : 'Changed'} the SKU matching of ${where(r.facility)}: ${describeRules(r)}.`,
    form: {
      name: 'sku-matching',
      submit: 'Save rules',
      fields: [
        { name: 'facility', label: 'Facility (* for every one)', placeholder: 'DC1', className: 'w-28' },
        { name: 'ignoreCase', label: 'Ignore case', options: FLAG },
        { name: 'ignoreSeparators', label: 'Ignore separators', options: [...FLAG].reverse() },
        { name: 'ignoreLeadingZeros', label: 'Ignore leading zeros', options: [...FLAG].reverse() },
      ],
    },
  },
  remove: {
    key: z.object({ facility: keyPart("is required ('*' for the default)") }),
    which: 'Say which facility.',
    run: (db, k) => remove(db, k.facility),
    values: (r) => ({ facility: r.facility }),
    label: (r) => `Set ${where(r.facility)} back to the default SKU matching`,
    verb: 'Reset',
    when: (r) => r.own,
  },
  api: {
    key: 'skuMatching',
    write: 'PUT',
    hint: '{ "facility": "DC1", "ignoreCase": true, "ignoreSeparators": true, "ignoreLeadingZeros": false }',
    reply: (r) => ({ skuMatching: r }),
  },
});

/** Sets a facility's rules from any value (422 by field when not valid). */
export const saveSkuMatchingRules = (db: Executor, value: unknown) => saveValue(skuMatchingList.write!, db, value);
