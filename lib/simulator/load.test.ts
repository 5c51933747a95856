/**
 * Loading the same simulation twice changes nothing: every table holds the same rows after the
 * second load as after the first, and the second load reports everything unchanged.
 */
import { describe, expect, it } from 'vitest';
import { testDb } from '@/lib/testing/db';
import { tableContents } from '@/lib/testing/table-contents';
import { loadSimulation } from '@/lib/simulator/load';
import { simulate } from '@/lib/simulator/simulate';

const h = testDb();

describe('loadSimulation', () => {
  it('a second identical load changes nothing', async () => {
    const opts = { facilities: 2, days: 3, messagesPerDay: 300, seed: 11, until: new Date('2026-11-20T06:00:00Z') };
    const first = await loadSimulation(h.db, simulate(opts), { batchSize: 500 });
    expect(first.snapshots).toEqual({ accepted: 4, updated: 0, unchanged: 0 });
    const before = await tableContents(h.db);
    expect(before.integration_messages.rows).toBeGreaterThan(1000);
    expect(before.snapshot_rows.rows).toBeGreaterThan(200);
    const second = await loadSimulation(h.db, simulate(opts), { batchSize: 500 });
    for (const [feed, t] of Object.entries(second)) {
      expect({ feed, ...t }).toMatchObject({ feed, accepted: 0, updated: 0 });
    }
    expect(second.messages.unchanged).toBe(first.messages.accepted + first.messages.updated);
    expect(await tableContents(h.db)).toEqual(before);
  });
});
