'use server';

import { getDb } from '@/db';
import { acknowledgeAlert } from '@/lib/alerts/acknowledge';
import { acknowledgeForm } from '@/lib/alerts/forms';
import { validatedAction } from '@/lib/http/action';

/** Acknowledge a firing alert with a note (SPEC 9: ops, it, admin) — checked here, not only in the page. */
export const acknowledgeAction = validatedAction(
  acknowledgeForm,
  'alerts.act',
  async ({ id, note }, user) => {
    await acknowledgeAlert(await getDb(), id, { by: user.email, note });
    return 'Acknowledged: no more notifications until it resolves.';
  },
  { invalid: 'Not acknowledged: check the note.', revalidate: (d) => ['/alerts', `/alerts/${d.id}`] },
);
