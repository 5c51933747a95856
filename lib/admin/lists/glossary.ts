/** The error-code glossary: what a code means and what to do, shown beside the exceptions that carry it. */
import 'server-only';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '@/db';
import { errorGlossary } from '@/db/schema';
import { defineList, saveValue } from '@/lib/admin/list';
import { keyPart, optionalText } from '@/lib/admin/lists/fields';
import { upsert } from '@/lib/admin/lists/upsert';
import { AppError } from '@/lib/errors';
import { storableString, storableText } from '@/lib/validation';

export const glossaryInput = z.object({
  errorCode: storableString('is required')
    .trim()
    .min(1, 'is required')
    .max(64, 'at most 64 characters')
    .regex(/^\S+$/, 'no spaces'),
  meaning: storableString('is required').trim().min(1, 'is required').max(500, 'at most 500 characters'),
  action: optionalText(500),
});

export async function removeGlossary(db: Executor, errorCode: string) {
  if (!storableText(errorCode)) throw new AppError('not_found', 'No such glossary entry');
  const gone = await db
    .delete(errorGlossary)
    .where(eq(errorGlossary.errorCode, errorCode))
    .returning({ c: errorGlossary.errorCode });
  if (!gone.length) throw new AppError('not_found', `No glossary entry for ${errorCode}`);
}

export const glossaryList = defineList({
  name: 'glossary',
  title: 'Error-code glossary',
  description:
    'What an error code means and what to do, shown with the exceptions that carry it. Saving a code that ' +
    'exists changes its text.',
  caption: 'Error-code glossary',
  rowTestId: 'glossary-row',
  capability: 'admin',
  load: (db) => db.select().from(errorGlossary).orderBy(errorGlossary.errorCode),
  rowKey: (g) => g.errorCode,
  columns: [
    { key: 'errorCode', header: 'Code', className: 'font-mono text-xs', cell: (g) => g.errorCode },
    { key: 'meaning', header: 'Meaning', cell: (g) => g.meaning },
    { key: 'action', header: 'What to do', cell: (g) => g.action },
  ],
  fields: ['errorCode', 'meaning', 'action'],
  csvFile: 'error-glossary.csv',
  write: {
    input: glossaryInput,
    notSaved: 'The glossary entry was not saved.',
    save: (db, g) => upsert(db, errorGlossary, errorGlossary.errorCode, g, { meaning: g.meaning, action: g.action }),
    said: (g, { created }) => `${created ? 'Added' : 'Changed'} ${g.errorCode}.`,
    form: {
      name: 'glossary',
      submit: 'Save entry',
      fields: [
        { name: 'errorCode', label: 'Error code', placeholder: 'STATUS_MAP', className: 'font-mono' },
        { name: 'meaning', label: 'Meaning', className: 'w-64' },
        { name: 'action', label: 'What to do (optional)', className: 'w-64' },
      ],
    },
  },
  remove: {
    key: z.object({ errorCode: keyPart() }),
    which: 'Say which entry to remove.',
    run: (db, k) => removeGlossary(db, k.errorCode),
    values: (g) => ({ errorCode: g.errorCode }),
    label: (g) => `Remove ${g.errorCode} from the glossary`,
  },
  api: { key: 'glossary', write: 'PUT', hint: '{ "errorCode", "meaning", "action" }' },
});

/** Explains an error code from any value (422 by field when not valid). */
export const saveGlossary = (db: Executor, value: unknown) => saveValue(glossaryList.write!, db, value);
