/**
 * An open exception keeps its message (SPEC 11): once retention has moved the message to
 * kept_messages and dropped its partition of the log, the exception still shows it, its timeline
 * and its history. The drop is played here by moving the row by hand (lib/retention/run.ts does it
 * by partition, tested in lib/retention).
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '@/db';
import { getException } from '@/lib/exceptions/queries';
import { MESSAGE_COLUMN_NAMES } from '@/lib/retention/kept';
import { testDb } from '@/lib/testing/db';
import { testMessage } from '@/lib/testing/records';
import { send } from '@/lib/testing/send';

const h = testDb();

describe('an exception whose message retention kept aside', () => {
  it('still shows the message, its payload and its status', async () => {
    await send(h.db, [
      testMessage('K1', '2025-01-02T03:00:00Z', { status: 'failed', payload: { order: 7 }, correlationKey: 'DOC-K' }),
    ]);
    const [e] = await rows<{ id: number }>(h.db, sql`select id::int as id from exceptions where message_id = 'K1'`);
    const before = await getException(h.db, e.id);
    expect(before?.message).toMatchObject({ messageId: 'K1', payload: { order: 7 } });

    const cols = sql.raw(MESSAGE_COLUMN_NAMES.join(', '));
    await h.db.execute(sql`insert into kept_messages (${cols}) select ${cols} from integration_messages
      where message_id = 'K1'`);
    await h.db.execute(sql`truncate integration_messages`);
    const after = await getException(h.db, e.id);
    expect(after?.message).toEqual(before?.message);
    expect(after?.timeline.map((t) => t.messageId)).toEqual(['K1']);
    expect(after?.history.map((x) => x.status)).toEqual(before?.history.map((x) => x.status));
  });
});
