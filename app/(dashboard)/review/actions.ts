'use server';

import { getDb } from '@/db';
import { validatedAction } from '@/lib/http/action';
import { signOff, signoffInput } from '@/lib/review/signoff';

/** Signs a review off as the signed-in person (every role that may read the reviews may sign them). */
export const signOffReview = validatedAction(
  signoffInput,
  'overview.read',
  async (input, user) => {
    const { created, signoff } = await signOff(await getDb(), input, user);
    if (created) return 'Signed off.';
    const by = signoff.signedByName ?? signoff.signedBy;
    return { error: `Already signed off by ${by} at ${signoff.at}; your notes were not saved.` };
  },
  { invalid: 'Not signed off: check the highlighted fields.', revalidate: (input) => [`/review/${input.cadence}`] },
);
