/**
 * The admin's lists besides thresholds: root-cause rules (SPEC 5: error code or message pattern →
 * category), each flow step's delivery SLA, the ownership matrix (which system owns each field) and
 * the error-code glossary.
 * Each is validated by one zod schema for the API and the forms; errors come back per field.
 */
import 'server-only';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { inserted, type Executor } from '@/db';
import { errorGlossary, ownershipMatrix, rootCauseRules, stepSlas, ROOT_CAUSES } from '@/db/schema';
import { FLOW_STEPS, STEP_SLA_MS } from '@/lib/detect/lifecycle';
import { AppError } from '@/lib/errors';
import { NOT_STORABLE, formNumber, parseOrFail, storableString, storableText } from '@/lib/validation';

/** An empty form field is no value. */
const optionalText = (max: number) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : v), z.string().trim().max(max, `at most ${max} characters`).refine(storableText, NOT_STORABLE).nullable().optional())
    .transform((v) => v ?? null);

/** A pattern as the classifier reads it: a regular expression, matched case-insensitively. */
const pattern = optionalText(200).superRefine((p, ctx) => {
  if (p === null) return;
  try {
    new RegExp(p, 'i');
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `not a regular expression (${(e as Error).message.replace(/^Invalid regular expression: /, '')})` });
  }
});

export const ruleInput = z
  .object({
    priority: formNumber(z.number({ message: 'must be a whole number' }).int('must be a whole number').min(1, 'must be 1 or more').max(10_000, 'at most 10,000')),
    errorCodePattern: pattern,
    messagePattern: pattern,
    category: z.enum(ROOT_CAUSES.filter((c) => c !== 'unclassified') as [string, ...string[]], { message: `must be one of ${ROOT_CAUSES.filter((c) => c !== 'unclassified').join(', ')}` }),
    description: optionalText(200),
  })
  .refine((r) => r.errorCodePattern !== null || r.messagePattern !== null, { path: ['errorCodePattern'], message: 'give an error code pattern, a message pattern or both' });

export type RuleInput = z.infer<typeof ruleInput>;

/** Adds a root-cause rule. The next exception opened is classified with it (the ingest reads the rules each batch). */
export async function addRule(db: Executor, value: unknown) {
  const r = parseOrFail(ruleInput, value, 'The rule was not saved.');
  const [row] = await db.insert(rootCauseRules).values({ ...r, category: r.category as (typeof ROOT_CAUSES)[number] }).returning();
  return row;
}

export async function removeRule(db: Executor, id: number) {
  const gone = await db.delete(rootCauseRules).where(eq(rootCauseRules.id, id)).returning({ id: rootCauseRules.id });
  if (!gone.length) throw new AppError('not_found', `No rule ${id}`);
}

const NAME = /^[a-z][a-z0-9_]*$/;
export const ownershipInput = z.object({
  dataObject: z.string({ message: 'is required' }).trim().regex(NAME, 'lower-case letters, digits and _, as in "item" or "inventory"'),
  field: z.string({ message: 'is required' }).trim().regex(NAME, 'lower-case letters, digits and _, as in "base_uom"'),
  owner: z.enum(['erp', 'wms', 'shared'], { message: 'must be erp, wms or shared' }),
  precedence: optionalText(200),
});

/** Sets who owns a field (SPEC 5); the ownership check reads it at its next run. */
export async function saveOwnership(db: Executor, value: unknown): Promise<{ created: boolean }> {
  const o = parseOrFail(ownershipInput, value, 'The ownership row was not saved.');
  const [r] = await db
    .insert(ownershipMatrix)
    .values(o)
    .onConflictDoUpdate({ target: [ownershipMatrix.dataObject, ownershipMatrix.field], set: { owner: o.owner, precedence: o.precedence } })
    .returning({ created: inserted });
  return r;
}

export async function removeOwnership(db: Executor, dataObject: string, field: string) {
  if (!storableText(dataObject) || !storableText(field)) throw new AppError('not_found', 'No such ownership row');
  const gone = await db
    .delete(ownershipMatrix)
    .where(and(eq(ownershipMatrix.dataObject, dataObject), eq(ownershipMatrix.field, field)))
    .returning({ f: ownershipMatrix.field });
  if (!gone.length) throw new AppError('not_found', `No ownership row for ${dataObject}.${field}`);
}

export const glossaryInput = z.object({
  errorCode: storableString('is required').trim().min(1, 'is required').max(64, 'at most 64 characters').regex(/^\S+$/, 'no spaces'),
  meaning: storableString('is required').trim().min(1, 'is required').max(500, 'at most 500 characters'),
  action: optionalText(500),
});

/** Explains an error code (shown beside exceptions that carry it). */
export async function saveGlossary(db: Executor, value: unknown): Promise<{ created: boolean }> {
  const g = parseOrFail(glossaryInput, value, 'The glossary entry was not saved.');
  const [r] = await db
    .insert(errorGlossary)
    .values(g)
    .onConflictDoUpdate({ target: errorGlossary.errorCode, set: { meaning: g.meaning, action: g.action } })
    .returning({ created: inserted });
  return r;
}

export async function removeGlossary(db: Executor, errorCode: string) {
  if (!storableText(errorCode)) throw new AppError('not_found', 'No such glossary entry');
  const gone = await db.delete(errorGlossary).where(eq(errorGlossary.errorCode, errorCode)).returning({ c: errorGlossary.errorCode });
  if (!gone.length) throw new AppError('not_found', `No glossary entry for ${errorCode}`);
}

const MAX_SLA_MS = 7 * 24 * 60 * 60_000;
export const stepSlaInput = z.object({
  txType: z.enum(FLOW_STEPS as [string, ...string[]], { message: `must be a step of a flow: ${FLOW_STEPS.join(', ')}` }),
  slaMs: formNumber(z.number({ message: 'must be a number of milliseconds' }).int('must be whole milliseconds').min(1000, 'at least 1 second').max(MAX_SLA_MS, 'at most 7 days')),
});

/** Sets how long a lifecycle step may take to be delivered; the checks read it at their next run. */
export async function saveStepSla(db: Executor, value: unknown): Promise<{ created: boolean }> {
  const t = parseOrFail(stepSlaInput, value, 'The SLA was not saved.');
  const [r] = await db.insert(stepSlas).values(t).onConflictDoUpdate({ target: stepSlas.txType, set: { slaMs: t.slaMs } }).returning({ created: inserted });
  return r;
}

/** Back to the default SLA; a 404 AppError when the step had none of its own. */
export async function removeStepSla(db: Executor, txType: string) {
  if (!storableText(txType)) throw new AppError('not_found', 'No such step');
  const gone = await db.delete(stepSlas).where(eq(stepSlas.txType, txType)).returning({ t: stepSlas.txType });
  if (!gone.length) throw new AppError('not_found', `${txType} has the default SLA already`);
}

/** Every flow step with the SLA that applies, and whether it is the default. */
export async function listStepSlas(db: Executor): Promise<{ txType: string; slaMs: number; own: boolean }[]> {
  const own = new Map((await db.select().from(stepSlas)).map((r) => [r.txType, r.slaMs]));
  return FLOW_STEPS.map((txType) => ({ txType, slaMs: own.get(txType) ?? STEP_SLA_MS, own: own.has(txType) }));
}
