/** The quarantine keeps a rejected record once, however often its batch is sent (issue #27, hole 7). */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '@/db';
import { ingestCorrections } from '@/lib/ingest/feeds';
import { ingestMessages } from '@/lib/ingest/messages';
import { testDb } from '@/lib/testing/db';
import { testCorrection, testMessage } from '@/lib/testing/records';

const h = testDb();

const raw = (values: unknown[]) => values.map((value) => ({ value, raw: JSON.stringify(value) }));
const kept = () =>
  rows<{ feed: string; record_index: number; record_key: string | null }>(
    h.db,
    sql`select feed, record_index, record_key from quarantine order by feed, source, record_index`,
  );

describe('the quarantine', () => {
  it('keeps the rejected records of a batch sent twice (a retry after an unclear commit) once', async () => {
    const batch = raw([
      testMessage('Q-1', '2026-11-20T10:00:00Z'),
      testMessage('Q-2', 'yesterday'),
      { messageId: 'Q-3' },
      testMessage('Q-4', '2026-11-20T10:00:00Z', { status: 'lost' }),
    ]);
    const first = await ingestMessages(h.db, batch, 'key A');
    expect(first.rejected.map((r) => r.index)).toEqual([1, 2, 3]);
    const again = await ingestMessages(h.db, batch, 'key A');
    expect(again.rejected).toEqual(first.rejected);
    expect(await kept()).toEqual([
      { feed: 'messages', record_index: 1, record_key: 'Q-2' },
      { feed: 'messages', record_index: 2, record_key: 'Q-3' },
      { feed: 'messages', record_index: 3, record_key: 'Q-4' },
    ]);

    const corrections = raw([testCorrection('C-1', 'erp', '2026-11-20T10:00:00Z', { quantityDelta: 'lots' })]);
    await ingestCorrections(h.db, corrections, 'key A');
    await ingestCorrections(h.db, corrections, 'key A');
    expect((await kept()).filter((r) => r.feed === 'corrections')).toEqual([
      { feed: 'corrections', record_index: 0, record_key: 'C-1' },
    ]);
  });

  it('keeps the same text as another record when it comes from another source or another place', async () => {
    const bad = { messageId: 'Q-9' };
    await ingestMessages(h.db, raw([bad]), 'key B');
    await ingestMessages(h.db, raw([bad]), 'key C');
    await ingestMessages(h.db, raw([testMessage('Q-10', '2026-11-20T10:00:00Z'), bad]), 'key C');
    const [n] = await rows<{ n: number }>(
      h.db,
      sql`select count(*)::int as n from quarantine where record_key = 'Q-9'`,
    );
    expect(n.n).toBe(3);
  });
});
