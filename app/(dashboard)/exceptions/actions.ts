'use server';

import { getDb } from '@/db';
import { applyBulkAction, bulkActionInput } from '@/lib/exceptions/actions';
import { validatedAction } from '@/lib/http/action';

const VERB = { acknowledge: 'Acknowledged', assign: 'Assigned', resolve: 'Resolved', ignore: 'Ignored' } as const;

/** Bulk acknowledge, assign, resolve or ignore — checked against the role here, not only in the page. */
export const bulkAction = validatedAction(
  bulkActionInput,
  'exceptions.act',
  async (input, user) => {
    const n = await applyBulkAction(await getDb(), input, user.email);
    const skipped = input.ids.length - n;
    const not = skipped ? ` (${skipped} already closed or unchanged)` : '';
    return `${VERB[input.action]} ${n} exception${n === 1 ? '' : 's'}${not}.`;
  },
  { invalid: 'Nothing was changed: check the highlighted fields.', revalidate: ['/exceptions', '/'] },
);
