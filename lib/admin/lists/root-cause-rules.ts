/**
 * Root-cause rules (SPEC 5): an error code or message pattern gives a new exception its category;
 * the first rule by priority that matches wins.
 */
import 'server-only';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '@/db';
import { rootCauseRules, ROOT_CAUSES } from '@/db/schema';
import { defineList, saveValue } from '@/lib/admin/list';
import { optionalText } from '@/lib/admin/lists/fields';
import { AppError } from '@/lib/errors';
import { formNumber } from '@/lib/validation';

const CATEGORIES = ROOT_CAUSES.filter((c) => c !== 'unclassified') as [string, ...string[]];

/** A pattern as the classifier reads it: a regular expression, matched case-insensitively. */
const pattern = optionalText(200).superRefine((p, ctx) => {
  if (p === null) return;
  try {
    new RegExp(p, 'i');
  } catch (e) {
    const why = (e as Error).message.replace(/^Invalid regular expression: /, '');
    ctx.addIssue({ code: 'custom', message: `not a regular expression (${why})` });
  }
});

const wholeNumber = z.number({ message: 'must be a whole number' }).int('must be a whole number');
export const ruleInput = z
  .object({
    priority: formNumber(wholeNumber.min(1, 'must be 1 or more').max(10_000, 'at most 10,000')),
    errorCodePattern: pattern,
    messagePattern: pattern,
    category: z.enum(CATEGORIES, { message: `must be one of ${CATEGORIES.join(', ')}` }),
    description: optionalText(200),
  })
  .refine((r) => r.errorCodePattern !== null || r.messagePattern !== null, {
    path: ['errorCodePattern'],
    message: 'give an error code pattern, a message pattern or both',
  });
export type RuleInput = z.infer<typeof ruleInput>;

async function insertRule(db: Executor, r: RuleInput) {
  const [row] = await db
    .insert(rootCauseRules)
    .values({ ...r, category: r.category as (typeof ROOT_CAUSES)[number] })
    .returning();
  return { created: true, row };
}

export async function removeRule(db: Executor, id: number) {
  const gone = await db.delete(rootCauseRules).where(eq(rootCauseRules.id, id)).returning({ id: rootCauseRules.id });
  if (!gone.length) throw new AppError('not_found', `No rule ${id}`);
}

const ruleId = z
  .string({ message: 'a rule id is required' })
  .regex(/^\d{1,9}$/, 'a rule id is required')
  .transform(Number);

export const rootCauseRulesList = defineList({
  name: 'root-cause-rules',
  title: 'Root-cause rules',
  description:
    'The first rule by priority whose patterns match (regular expressions, any case) classifies a new exception; ' +
    'people can override. A changed rule applies to the next exception opened, and to the open ones when you ' +
    'apply it below.',
  caption: 'Root-cause rules',
  empty: 'No rules: every new exception is unclassified until someone sets its root cause.',
  rowTestId: 'rule-row',
  capability: 'admin',
  load: (db) => db.select().from(rootCauseRules).orderBy(rootCauseRules.priority),
  rowKey: (r) => r.id,
  rowTitle: (r) => r.description ?? undefined,
  columns: [
    { key: 'priority', header: 'Priority', align: 'right', cell: (r) => r.priority },
    {
      key: 'errorCodePattern',
      header: 'Error code pattern',
      className: 'font-mono text-xs',
      cell: (r) => r.errorCodePattern,
    },
    { key: 'messagePattern', header: 'Message pattern', className: 'font-mono text-xs', cell: (r) => r.messagePattern },
    { key: 'category', header: 'Category', cell: (r) => r.category },
  ],
  fields: ['id', 'priority', 'errorCodePattern', 'messagePattern', 'category', 'description'],
  csvFile: 'root-cause-rules.csv',
  write: {
    input: ruleInput,
    notSaved: 'The rule was not saved.',
    save: insertRule,
    said: (_, { row }) =>
      `Added the rule at priority ${row.priority} (${row.category}); the next exception opened follows it.`,
    form: {
      name: 'rule',
      submit: 'Add rule',
      fields: [
        { name: 'priority', label: 'Priority', placeholder: '15', className: 'w-20' },
        { name: 'errorCodePattern', label: 'Error code pattern', placeholder: '^WMS_ITEM', className: 'font-mono' },
        { name: 'messagePattern', label: 'Message pattern', placeholder: 'unknown bin', className: 'font-mono' },
        { name: 'category', label: 'Category', options: CATEGORIES },
        { name: 'description', label: 'Description (optional)' },
      ],
    },
  },
  remove: {
    key: z.object({ id: ruleId }),
    which: 'Say which rule to remove.',
    run: (db, { id }) => removeRule(db, id),
    values: (r) => ({ id: r.id }),
    label: (r) => `Remove the rule at priority ${r.priority} (${r.errorCodePattern ?? r.messagePattern})`,
  },
  api: {
    key: 'rules',
    write: 'POST',
    hint: '{ "priority", "errorCodePattern", "messagePattern", "category" }',
    reply: (_, { row }) => ({ rule: row }),
  },
});

/** Adds a rule from any value (422 by field when not valid). The ingest reads the rules each batch. */
export async function addRule(db: Executor, value: unknown) {
  return (await saveValue(rootCauseRulesList.write!, db, value)).row;
}
