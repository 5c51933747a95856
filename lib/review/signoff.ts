/** Sign-offs of the recurring reviews (SPEC 6): who signed a review of a period, when, with what notes. */
import 'server-only';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '@/db';
import { REVIEW_CADENCES, reviewSignoffs, type Role } from '@/db/schema';
import { isCalendarDay } from '@/lib/time';
import { storableString } from '@/lib/validation';

export const signoffInput = z.object({
  cadence: z.enum(REVIEW_CADENCES),
  period: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day, YYYY-MM-DD')
    .refine(isCalendarDay, 'must be a calendar day'),
  facility: storableString()
    .trim()
    .max(64)
    .optional()
    .transform((f) => f || '*'),
  notes: storableString()
    .trim()
    .max(2000, 'at most 2,000 characters')
    .optional()
    .transform((n) => n || null),
});
export type SignoffInput = z.infer<typeof signoffInput>;

export interface Signoff {
  signedBy: string;
  signedByName: string | null;
  role: Role | null;
  at: string;
  notes: string | null;
}

/** The columns a sign-off is shown with. */
const SIGNOFF_COLUMNS = {
  signedBy: reviewSignoffs.signedBy,
  signedByName: reviewSignoffs.signedByName,
  role: reviewSignoffs.role,
  at: reviewSignoffs.at,
  notes: reviewSignoffs.notes,
};
const shown = (r: {
  signedBy: string;
  signedByName: string | null;
  role: Role | null;
  at: Date;
  notes: string | null;
}): Signoff => ({ ...r, at: new Date(r.at).toISOString() });

export async function getSignoff(
  db: Executor,
  cadence: SignoffInput['cadence'],
  period: string,
  facility: string | null,
): Promise<Signoff | null> {
  const [r] = await db
    .select(SIGNOFF_COLUMNS)
    .from(reviewSignoffs)
    .where(
      and(
        eq(reviewSignoffs.cadence, cadence),
        eq(reviewSignoffs.period, period),
        eq(reviewSignoffs.facility, facility ?? '*'),
      ),
    );
  return r ? shown(r) : null;
}

/**
 * Signs a review off; the first sign-off of a review stands. Returns the sign-off on record and
 * whether it is this one (the one on record is read only when another came first).
 */
export async function signOff(
  db: Executor,
  input: SignoffInput,
  user: { email: string; name: string; role: Role },
): Promise<{ created: boolean; signoff: Signoff }> {
  const [inserted] = await db
    .insert(reviewSignoffs)
    .values({
      cadence: input.cadence,
      period: input.period,
      facility: input.facility,
      signedBy: user.email,
      signedByName: user.name,
      role: user.role,
      notes: input.notes,
    })
    .onConflictDoNothing()
    .returning(SIGNOFF_COLUMNS);
  if (inserted) return { created: true, signoff: shown(inserted) };
  const signoff = await getSignoff(db, input.cadence, input.period, input.facility === '*' ? null : input.facility);
  return { created: false, signoff: signoff! };
}
