/** How long each lifecycle step may take to be delivered; the checks read it at their next run. */
import 'server-only';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '@/db';
import { stepSlas } from '@/db/schema';
import { defineList, saveValue } from '@/lib/admin/list';
import { keyPart } from '@/lib/admin/lists/fields';
import { upsert } from '@/lib/admin/lists/upsert';
import { FLOW_STEPS, STEP_SLA_MS } from '@/lib/detect/lifecycle';
import { AppError } from '@/lib/errors';
import { formatDuration } from '@/lib/format';
import { formNumber, storableText } from '@/lib/validation';

const MAX_SLA_MS = 7 * 24 * 60 * 60_000;
const txType = z.enum(FLOW_STEPS as [string, ...string[]], {
  message: `must be a step of a flow: ${FLOW_STEPS.join(', ')}`,
});
const slaMs = z
  .number({ message: 'must be a number of milliseconds' })
  .int('must be whole milliseconds')
  .min(1000, 'at least 1 second')
  .max(MAX_SLA_MS, 'at most 7 days');

export const stepSlaInput = z.object({ txType, slaMs: formNumber(slaMs) });

/** The form's SLA is in minutes; the bounds read the same (1 second, 7 days). */
const stepSlaForm = z
  .object({
    txType,
    minutes: formNumber(
      z
        .number({ message: 'must be a number of minutes' })
        .transform((m) => Math.round(m * 60_000))
        .pipe(slaMs),
    ),
  })
  .transform(({ txType, minutes }) => ({ txType, slaMs: minutes }));

/** Back to the default SLA; a 404 AppError when the step had none of its own. */
export async function removeStepSla(db: Executor, step: string) {
  if (!storableText(step)) throw new AppError('not_found', 'No such step');
  const gone = await db.delete(stepSlas).where(eq(stepSlas.txType, step)).returning({ t: stepSlas.txType });
  if (!gone.length) throw new AppError('not_found', `${step} has the default SLA already`);
}

/** Every flow step with the SLA that applies, and whether it is the default. */
export async function listStepSlas(db: Executor): Promise<{ txType: string; slaMs: number; own: boolean }[]> {
  const own = new Map((await db.select().from(stepSlas)).map((r) => [r.txType, r.slaMs]));
  return FLOW_STEPS.map((t) => ({ txType: t, slaMs: own.get(t) ?? STEP_SLA_MS, own: own.has(t) }));
}

export const stepSlasList = defineList({
  name: 'step-slas',
  title: 'Step SLAs',
  description:
    "How long each step of a document's flow may take from creation to delivery before the lifecycle check calls " +
    'it late (daily review, exception timelines). One hour unless set here.',
  caption: 'Step SLAs',
  rowTestId: 'sla-row',
  capability: 'admin',
  load: listStepSlas,
  rowKey: (r) => r.txType,
  columns: [
    { key: 'txType', header: 'Step', cell: (r) => r.txType },
    {
      key: 'slaMs',
      header: 'Late after',
      align: 'right',
      cell: (r) => (r.own ? formatDuration(r.slaMs) : { text: formatDuration(r.slaMs), muted: ' (default)' }),
    },
  ],
  fields: ['txType', 'slaMs', 'own'],
  csvFile: 'step-slas.csv',
  write: {
    input: stepSlaInput,
    formInput: stepSlaForm,
    notSaved: 'The SLA was not saved.',
    save: (db, t) => upsert(db, stepSlas, stepSlas.txType, t, { slaMs: t.slaMs }),
    said: (t) => `${t.txType} steps are now late after ${Number((t.slaMs / 60_000).toPrecision(12))} min.`,
    form: {
      name: 'sla',
      submit: 'Save SLA',
      fields: [
        { name: 'txType', label: 'Step', options: FLOW_STEPS },
        { name: 'minutes', label: 'Late after (minutes)', placeholder: '60', className: 'w-28' },
      ],
    },
  },
  remove: {
    key: z.object({ txType: keyPart() }),
    which: 'Say which step.',
    run: (db, k) => removeStepSla(db, k.txType),
    values: (r) => ({ txType: r.txType }),
    label: (r) => `Set ${r.txType} back to the default SLA`,
    when: (r) => r.own,
  },
  api: { key: 'slas', write: 'PUT', hint: '{ "txType": "receipt", "slaMs": 900000 }' },
});

/** Sets a step's SLA from any value (422 by field when not valid). */
export const saveStepSla = (db: Executor, value: unknown) => saveValue(stepSlasList.write!, db, value);
