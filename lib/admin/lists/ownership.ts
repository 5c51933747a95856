/** The ownership matrix (SPEC 5): which system owns each field; the ownership check reads it at its next run. */
import 'server-only';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '@/db';
import { ownershipMatrix } from '@/db/schema';
import { defineList, saveValue } from '@/lib/admin/list';
import { keyPart, optionalText } from '@/lib/admin/lists/fields';
import { upsert } from '@/lib/admin/lists/upsert';
import { AppError } from '@/lib/errors';
import { storableText } from '@/lib/validation';

const NAME = /^[a-z][a-z0-9_]*$/;
export const ownershipInput = z.object({
  dataObject: z
    .string({ message: 'is required' })
    .trim()
    .regex(NAME, 'lower-case letters, digits and _, as in "item" or "inventory"'),
  field: z.string({ message: 'is required' }).trim().regex(NAME, 'lower-case letters, digits and _, as in "base_uom"'),
  owner: z.enum(['erp', 'wms', 'shared'], { message: 'must be erp, wms or shared' }),
  precedence: optionalText(200),
});
const KEY = [ownershipMatrix.dataObject, ownershipMatrix.field];

export async function removeOwnership(db: Executor, dataObject: string, field: string) {
  if (!storableText(dataObject) || !storableText(field)) throw new AppError('not_found', 'No such ownership row');
  const gone = await db
    .delete(ownershipMatrix)
    .where(and(eq(ownershipMatrix.dataObject, dataObject), eq(ownershipMatrix.field, field)))
    .returning({ f: ownershipMatrix.field });
  if (!gone.length) throw new AppError('not_found', `No ownership row for ${dataObject}.${field}`);
}

export const ownershipList = defineList({
  name: 'ownership',
  title: 'Ownership matrix',
  description:
    'Which system owns each field; a change by the other system is a conflict, and a shared field both change ' +
    'differently within 24 h too. Saving an object and field that exist changes its owner.',
  caption: 'Ownership matrix',
  rowTestId: 'ownership-row',
  capability: 'admin',
  load: (db) => db.select().from(ownershipMatrix).orderBy(ownershipMatrix.dataObject, ownershipMatrix.field),
  rowKey: (o) => `${o.dataObject}.${o.field}`,
  columns: [
    { key: 'dataObject', header: 'Object', cell: (o) => o.dataObject },
    { key: 'field', header: 'Field', cell: (o) => o.field },
    { key: 'owner', header: 'Owner', cell: (o) => o.owner },
    { key: 'precedence', header: 'Precedence', cell: (o) => o.precedence },
  ],
  fields: ['dataObject', 'field', 'owner', 'precedence'],
  csvFile: 'ownership-matrix.csv',
  write: {
    input: ownershipInput,
    notSaved: 'The ownership row was not saved.',
    save: (db, o) => upsert(db, ownershipMatrix, KEY, o, { owner: o.owner, precedence: o.precedence }),
    said: (o, { created }) => `${created ? 'Added' : 'Changed'} the owner of ${o.dataObject}.${o.field}.`,
    form: {
      name: 'ownership',
      submit: 'Save owner',
      fields: [
        { name: 'dataObject', label: 'Object', placeholder: 'item' },
        { name: 'field', label: 'Field', placeholder: 'base_uom' },
        {
          name: 'owner',
          label: 'Owner',
          options: [
            ['erp', 'ERP'],
            ['wms', 'WMS'],
            ['shared', 'shared'],
          ],
        },
        { name: 'precedence', label: 'Precedence (optional)', placeholder: 'erp wins on conflict' },
      ],
    },
  },
  remove: {
    key: z.object({ dataObject: keyPart(), field: keyPart() }),
    which: 'Say which row to remove.',
    run: (db, k) => removeOwnership(db, k.dataObject, k.field),
    values: (o) => ({ dataObject: o.dataObject, field: o.field }),
    label: (o) => `Remove the owner of ${o.dataObject}.${o.field}`,
  },
  api: { key: 'ownership', write: 'PUT', hint: '{ "dataObject", "field", "owner", "precedence" }' },
});

/** Sets who owns a field from any value (422 by field when not valid). */
export const saveOwnership = (db: Executor, value: unknown) => saveValue(ownershipList.write!, db, value);
