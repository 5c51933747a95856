/**
 * One snapshot per system, facility and takenAt: the same snapshot sent again is "unchanged" (200,
 * nothing written), other rows under a taken name are a conflict (409) — through the route handler.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '@/db';
import { testDb } from '@/lib/testing/db';
import { createApiKey } from '@/lib/auth/api-keys';
import { POST as postSnapshot } from '@/app/api/v1/snapshots/route';

const h = testDb();
let key: string;
beforeAll(async () => {
  key = (await createApiKey(h.db, 'snapshots')).key;
});

async function post(body: string, contentType = 'application/json', query = '') {
  const res = await postSnapshot(
    new Request(`http://test/api/v1/snapshots${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': contentType },
      body,
    }),
  );
  return { status: res.status, body: await res.json() };
}

type Row = { sku: string; location?: string; lot?: string | null; uom: string; quantity: string | number };
const snapshot = (facility: string, takenAt: string, list: Row[]) =>
  JSON.stringify({ system: 'wms', facility, takenAt, rows: list });
const ROWS: Row[] = [
  { sku: 'S1', location: 'A-01', lot: null, uom: 'EA', quantity: '5' },
  { sku: 'S2', location: 'A-02', lot: 'L1', uom: 'EA', quantity: '7.5' },
  { sku: 'S2', location: 'A-02', lot: 'L1', uom: 'EA', quantity: '1' },
];

/** What the database holds for a facility: snapshots, their rows, and the row partitions in all. */
async function stored(facility: string) {
  const [r] = await rows<{ snapshots: number; rows: number; partitions: number }>(
    h.db,
    sql`select (select count(*)::int from snapshots where facility = ${facility}) as snapshots,
               (select count(*)::int from snapshot_rows r join snapshots s on s.id = r.snapshot_id
                 where s.facility = ${facility}) as rows,
               (select count(*)::int from pg_inherits where inhparent = 'snapshot_rows'::regclass) as partitions`,
  );
  return r;
}

describe('a snapshot sent again', () => {
  it('with the same rows is unchanged: 200, the stored id, nothing written', async () => {
    const first = await post(snapshot('SAME', '2026-11-01T10:00:00+01:00', ROWS));
    const name = { system: 'wms', facility: 'SAME', takenAt: '2026-11-01T09:00:00.000Z' };
    expect(first).toMatchObject({ status: 201, body: { ...name, rows: 3, unchanged: false } });
    const before = await stored('SAME');
    const again = await post(snapshot('SAME', '2026-11-01T09:00:00Z', ROWS));
    // ROWS repeat a position: stored as sent (reconciliation sums them), and said.
    const warnings = [
      { row: 2, message: 'repeats the sku S2, location A-02 and lot L1 of row 1: their quantities are summed' },
    ];
    expect(again).toEqual({
      status: 200,
      body: { id: first.body.id, ...name, rows: 3, unchanged: true, warnings, warningCount: 1 },
    });
    expect(await stored('SAME')).toEqual(before);
    expect(before).toMatchObject({ snapshots: 1, rows: 3 });
    // The same rows in another order, a quantity written otherwise: still the same snapshot (the
    // hashes differ, the rows are compared).
    const reordered = [{ ...ROWS[2], quantity: 1.0 }, ROWS[0], { ...ROWS[1], quantity: '7.50' }];
    const unchanged = { status: 200, body: { id: first.body.id, unchanged: true } };
    expect(await post(snapshot('SAME', '2026-11-01T09:00:00Z', reordered))).toMatchObject(unchanged);
    // As CSV too.
    const csv = 'sku,location,lot,uom,quantity\nS1,A-01,,EA,5\nS2,A-02,L1,EA,7.5\nS2,A-02,L1,EA,1\n';
    const q = '?system=wms&facility=SAME&takenAt=2026-11-01T09:00:00Z';
    expect(await post(csv, 'text/csv', q)).toMatchObject({ ...unchanged, body: { ...unchanged.body, rows: 3 } });
    expect(await stored('SAME')).toEqual(before);
  });

  it('with other rows is a 409 that names the snapshot and says its content differs', async () => {
    const first = await post(snapshot('OTHER', '2026-11-02T00:00:00Z', ROWS));
    expect(first.status).toBe(201);
    const before = await stored('OTHER');
    const others = [ROWS.slice(0, 2), [...ROWS.slice(0, 2), { ...ROWS[2], quantity: '2' }], [...ROWS, ROWS[0]]];
    for (const list of others) {
      const r = await post(snapshot('OTHER', '2026-11-02T00:00:00Z', list));
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('conflict');
      expect(r.body.error.message).toBe(
        `A WMS snapshot of OTHER taken at 2026-11-02T00:00:00.000Z is already stored (snapshot ${first.body.id}) ` +
          'with other rows; nothing was changed. One system, facility and takenAt name one snapshot: ' +
          'send a new takenAt for a new snapshot.',
      );
    }
    expect(await stored('OTHER')).toEqual(before);
    // Another takenAt is another snapshot.
    expect((await post(snapshot('OTHER', '2026-11-02T00:01:00Z', ROWS.slice(0, 2)))).status).toBe(201);
  });

  it('stored before content hashes existed is compared by its rows', async () => {
    const first = await post(snapshot('LEGACY', '2026-11-03T00:00:00Z', ROWS));
    await h.db.execute(sql`update snapshots set content_hash = null where id = ${first.body.id}`);
    const at = '2026-11-03T00:00:00Z';
    const again = await post(snapshot('LEGACY', at, ROWS));
    expect(again).toMatchObject({ status: 200, body: { id: first.body.id, unchanged: true } });
    expect((await post(snapshot('LEGACY', at, ROWS.slice(1)))).status).toBe(409);
    expect((await post(snapshot('LEGACY', at, [...ROWS.slice(1), { ...ROWS[0], sku: 'S9' }]))).status).toBe(409);
    expect(await stored('LEGACY')).toMatchObject({ snapshots: 1, rows: 3 });
  });

  it('twice at the same moment stores it once: one 201, one 200 unchanged', async () => {
    const body = snapshot('RACE', '2026-11-04T00:00:00Z', ROWS);
    const answers = await Promise.all([post(body), post(body)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await stored('RACE')).toMatchObject({ snapshots: 1, rows: 3 });
  });
});
