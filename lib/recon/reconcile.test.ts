import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '@/db';
import { testDb } from '@/lib/testing/db';
import { testMessage } from '@/lib/testing/records';
import { createApiKey } from '@/lib/auth/api-keys';
import { computeKpis } from '@/lib/kpi/kpis';
import { ingestItems } from '@/lib/ingest/feeds';
import { ingestMessages } from '@/lib/ingest/messages';
import { executeRun, expireHeartbeats, findRecoverable, getRun, requestReconciliation } from '@/lib/recon/reconcile';
import { SimulatedCrash } from '@/lib/resumable-job';
import { setSnapshotCopyFaultForTests } from '@/lib/recon/snapshots';
import { POST as postSnapshot } from '@/app/api/v1/snapshots/route';
import { POST as postRecon } from '@/app/api/v1/reconciliations/route';
import { GET as getRecon } from '@/app/api/v1/reconciliations/[id]/route';
import { env } from '@/lib/env';

const h = testDb();
let key: string;
beforeAll(async () => {
  key = (await createApiKey(h.db, 'recon')).key;
});

const raw = (xs: unknown[]) => xs.map((value) => ({ value, raw: JSON.stringify(value) }));
const item = (sku: string, over: Record<string, unknown> = {}) => ({
  system: 'erp',
  sku,
  description: sku,
  baseUom: 'EA',
  uoms: [{ uom: 'CASE', toBase: 12 }],
  unitCost: '2.50',
  ...over,
});

async function post(
  fn: (r: Request, ...rest: never[]) => Promise<Response>,
  body: BodyInit,
  contentType = 'application/json',
  query = '',
) {
  const res = await fn(
    new Request(`http://test/api/v1/snapshots${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': contentType },
      body,
    }),
  );
  return { status: res.status, body: await res.json() };
}

type Row = { sku: string; location?: string; lot?: string | null; uom: string; quantity: number | string };
let clock = Date.parse('2026-11-20T00:00:00Z');
async function snapshot(system: 'erp' | 'wms', facility: string, rowsList: Row[]) {
  clock += 60_000;
  const r = await post(
    postSnapshot,
    JSON.stringify({ system, facility, takenAt: new Date(clock).toISOString(), rows: rowsList }),
  );
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

async function reconcile(facility: string) {
  const { id } = await requestReconciliation(h.db, facility, 'test');
  await executeRun(h.db, id);
  const run = await getRun(h.db, id);
  const diffs = await rows<{
    kind: string;
    sku: string;
    location: string;
    lot: string;
    wmsLocation: string | null;
    wmsLot: string | null;
    delta: string;
    source: string;
  }>(
    h.db,
    sql`select kind, sku, location, lot, wms_location as "wmsLocation", wms_lot as "wmsLot", trim_scale(delta)::text as
      delta, suspected_source as source
        from reconciliation_differences where run_id = ${id} order by sku, kind, location, lot`,
  );
  return { run: run!, diffs };
}

describe('snapshots API', () => {
  it('stores a JSON snapshot whose header comes after its rows', async () => {
    const body = `{"rows":[{"sku":"S1","location":"A","lot":null,"uom":"EA","quantity":"5.000"}],"system":"erp","facility":"API","takenAt":"2026-11-01T10:00:00+01:00"}`;
    const r = await post(postSnapshot, body);
    expect(r).toMatchObject({
      status: 201,
      body: { system: 'erp', facility: 'API', takenAt: '2026-11-01T09:00:00.000Z', rows: 1 },
    });
    const again = await post(postSnapshot, body);
    expect(again).toMatchObject({ status: 200, body: { id: r.body.id, rows: 1, unchanged: true } });
    const [n] = await rows<{ n: number }>(
      h.db,
      sql`select count(*)::int as n from snapshot_rows r join snapshots s on s.id = r.snapshot_id where s.facility =
        'API'`,
    );
    expect(n.n).toBe(1);
  });

  it('rejects a snapshot with invalid rows whole, lists each row and keeps them in the quarantine', async () => {
    const r = await post(
      postSnapshot,
      JSON.stringify({
        system: 'wms',
        facility: 'API',
        takenAt: '2026-11-02T00:00:00Z',
        rows: [
          { sku: 'S1', uom: 'EA', quantity: 1 },
          { sku: '', uom: 'EA', quantity: 'ten' },
          { sku: 'S3', quantity: 2 },
        ],
      }),
    );
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ code: 'validation_failed', rejectedCount: 2, rows: 3 });
    expect(r.body.error.details).toEqual([
      { index: 1, errors: ['sku: must not be empty', 'quantity: must be a decimal number'] },
      { index: 2, errors: ['uom: is required'] },
    ]);
    const [n] = await rows<{ n: number }>(
      h.db,
      sql`select count(*)::int as n from snapshots where facility = 'API' and system = 'wms'`,
    );
    expect(n.n).toBe(0);
    const q = await rows<{ raw: string }>(
      h.db,
      sql`select raw from quarantine where feed = 'snapshots' and source = ${r.body.error.quarantine} order by
        record_index`,
    );
    expect(q.map((x) => JSON.parse(x.raw).sku)).toEqual(['', 'S3']);
  });

  it('rejects a bad header with field errors, and unparseable bodies with 400', async () => {
    const r = await post(postSnapshot, JSON.stringify({ system: 'crm', takenAt: 'yesterday', rows: [] }));
    expect(r.status).toBe(422);
    expect(r.body.error.details).toEqual(
      expect.arrayContaining([
        'system: must be one of erp, wms',
        expect.stringMatching(/^facility: /),
        expect.stringMatching(/^takenAt: /),
      ]),
    );
    expect((await post(postSnapshot, '{"system":"erp","rows":[{]}')).status).toBe(400);
    expect((await post(postSnapshot, 'sku\nA', 'application/xml')).status).toBe(415);
  });

  it('rejects rows holding what Postgres cannot store (NUL, half a surrogate pair) with 422, as JSON and as CSV', async () => {
    const r = await post(
      postSnapshot,
      JSON.stringify({
        system: 'erp',
        facility: 'NUL',
        takenAt: '2026-11-04T00:00:00Z',
        rows: [
          { sku: 'a\u0000b', uom: 'EA', quantity: 1 },
          { sku: 'S2', location: '\ud800', uom: 'EA', quantity: 1 },
        ],
      }),
    );
    expect(r.status).toBe(422);
    expect(r.body.error.details).toEqual([
      { index: 0, errors: ['sku: must not contain NUL (\\u0000) characters or half of a UTF-16 surrogate pair'] },
      { index: 1, errors: ['location: must not contain NUL (\\u0000) characters or half of a UTF-16 surrogate pair'] },
    ]);
    const csv = await post(
      postSnapshot,
      'sku,uom,quantity\nS1,EA,1\nS\u0000,EA,2\n',
      'text/csv',
      '?system=wms&facility=NUL&takenAt=2026-11-04T00:00:00Z',
    );
    expect(csv.status).toBe(422);
    expect(csv.body.error.details).toEqual([
      {
        index: 1,
        line: 'line 3',
        errors: ['sku: must not contain NUL (\\u0000) characters or half of a UTF-16 surrogate pair'],
      },
    ]);
    const [n] = await rows<{ n: number }>(h.db, sql`select count(*)::int as n from snapshots where facility = 'NUL'`);
    expect(n.n).toBe(0);
  });

  it.runIf(env().DATABASE_URL)(
    'fails, and frees its connection, when the server refuses the COPY of its rows',
    async () => {
      const body = JSON.stringify({
        system: 'erp',
        facility: 'COPYFAIL',
        takenAt: '2026-11-05T00:00:00Z',
        rows: [{ sku: 'S1', uom: 'EA', quantity: 1 }],
      });
      setSnapshotCopyFaultForTests(true);
      try {
        const r = await post(postSnapshot, body);
        expect(r.status).toBe(500);
      } finally {
        setSnapshotCopyFaultForTests(false);
      }
      const stuck = await rows<{ n: number }>(
        h.db,
        sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and state like
          'idle in transaction%'`,
      );
      expect(stuck).toEqual([{ n: 0 }]);
      const again = await post(postSnapshot, body);
      expect(again.status).toBe(201);
    },
  );

  it('imports a CSV with a column mapping', async () => {
    const csv = 'Item No,Bin,Batch,Unit,Qty\n"S1",A,,EA,3\nS2,"B,1",L1,CASE,2.5\n';
    const r = await post(
      postSnapshot,
      csv,
      'text/csv',
      '?system=wms&facility=CSV&takenAt=2026-11-03T00:00:00Z&col.sku=Item%20No&col.location=Bin&col.lot=Batch&col.uom=Unit&col.quantity=Qty',
    );
    expect(r).toMatchObject({ status: 201, body: { rows: 2, facility: 'CSV' } });
    const got = await rows<{ sku: string; location: string; lot: string; q: string }>(
      h.db,
      sql`select sku, location, lot, trim_scale(quantity)::text as q from snapshot_rows where snapshot_id = ${r.body.id}
        order by sku`,
    );
    expect(got).toEqual([
      { sku: 'S1', location: 'A', lot: '', q: '3' },
      { sku: 'S2', location: 'B,1', lot: 'L1', q: '2.5' },
    ]);
  });

  it('reports a malformed CSV per row and stores nothing of it', async () => {
    const q = '?system=erp&facility=CSV&takenAt=2026-11-04T00:00:00Z';
    const wrongColumns = await post(postSnapshot, 'item,qty\nS1,1\n', 'text/csv', q);
    expect(wrongColumns.status).toBe(422);
    expect(wrongColumns.body.error.details).toEqual([
      'sku: no column named "sku"; map one',
      'quantity: no column named "quantity"; map one',
    ]);
    const bytes = Buffer.concat([
      Buffer.from('sku,location,lot,uom,quantity\nS1,A,,EA,1\nS2,A,,EA,1e3x\nS3,A,EA,1\nS'),
      Buffer.from([0xe9]),
      Buffer.from('4,A,,EA,2\nS5,A,,EA,-4\n'),
    ]);
    const bad = await post(postSnapshot, bytes, 'text/csv', q);
    expect(bad.status).toBe(422);
    expect(bad.body.error).toMatchObject({ rejectedCount: 3, rows: 5 });
    expect(bad.body.error.details).toEqual([
      { index: 1, line: 'line 3', errors: ['quantity: must be a decimal number'] },
      { index: 2, line: 'line 4', errors: ['row 4 has 4 fields; the header has 5'] },
      { index: 3, line: 'line 5', errors: ['row 5 is not valid UTF-8 text (save the file as UTF-8)'] },
    ]);
    const [n] = await rows<{ n: number }>(
      h.db,
      sql`select count(*)::int as n from snapshots where facility = 'CSV' and system = 'erp'`,
    );
    expect(n.n).toBe(0);
  });
});

describe('reconciliation (SPEC 5)', () => {
  beforeEach(async () => {
    await h.db.execute(sql`truncate reconciliation_runs, reconciliation_differences, items restart identity cascade`);
  });

  it('classifies every kind of difference on a hand-built fixture', async () => {
    await ingestItems(
      h.db,
      raw(['EACH', 'UOM', 'QTY', 'SPLIT', 'MOVE', 'ONLYERP', 'ONLYWMS', '00123', 'PLT'].map((s) => item(s))),
      'test',
    );
    await snapshot('erp', 'FX', [
      { sku: 'EACH', location: 'A-1', lot: 'L1', uom: 'EA', quantity: 24 }, // vs 2 CASE: no difference
      { sku: 'UOM', location: 'A-1', lot: 'L1', uom: 'EA', quantity: 24 }, // vs 24 CASE: uom
      { sku: 'QTY', location: 'A-1', lot: null, uom: 'EA', quantity: 10 }, // vs 7: quantity
      { sku: 'SPLIT', location: 'A-1', lot: 'L1', uom: 'EA', quantity: 6 }, // WMS has it under L2: lot
      { sku: 'MOVE', location: 'A-1', lot: 'L1', uom: 'EA', quantity: 4 }, // WMS has it at B-2: location
      { sku: 'ONLYERP', location: 'A-1', lot: null, uom: 'EA', quantity: 3 },
      { sku: '00123', location: 'A-1', lot: null, uom: 'EA', quantity: 5 }, // WMS dropped the leading zeros
      { sku: 'PLT', location: 'A-1', lot: null, uom: 'EA', quantity: 5 }, // WMS counts in a unit the ERP does not know
    ]);
    await snapshot('wms', 'FX', [
      { sku: 'EACH', location: 'A-1', lot: 'L1', uom: 'CASE', quantity: 2 },
      { sku: 'UOM', location: 'A-1', lot: 'L1', uom: 'CASE', quantity: 24 },
      { sku: 'QTY', location: 'A-1', lot: '', uom: 'ea', quantity: '7.000' },
      { sku: 'SPLIT', location: 'A-1', lot: 'L2', uom: 'EA', quantity: 6 },
      { sku: 'MOVE', location: 'B-2', lot: 'L1', uom: 'EA', quantity: 4 },
      { sku: 'ONLYWMS', location: 'C-3', lot: null, uom: 'EA', quantity: 8 },
      { sku: '123', location: 'A-1', lot: null, uom: 'EA', quantity: 5 },
      { sku: 'PLT', location: 'A-1', lot: null, uom: 'PLT', quantity: 5 },
    ]);
    const { run, diffs } = await reconcile('FX');
    expect(run).toMatchObject({ status: 'succeeded', progress: 1, error: null });
    expect(diffs.map((d) => [d.sku, d.kind, d.delta])).toEqual([
      ['00123', 'missing_in_wms', '-5'],
      ['123', 'missing_in_erp', '5'],
      ['MOVE', 'location', '0'],
      ['ONLYERP', 'missing_in_wms', '-3'],
      ['ONLYWMS', 'missing_in_erp', '8'],
      ['PLT', 'uom', '0'],
      ['QTY', 'quantity', '-3'],
      ['SPLIT', 'lot', '0'],
      ['UOM', 'uom', '264'],
    ]);
    expect(diffs.find((d) => d.kind === 'lot')).toMatchObject({ location: 'A-1', lot: 'L1', wmsLot: 'L2' });
    expect(diffs.find((d) => d.kind === 'location')).toMatchObject({ location: 'A-1', wmsLocation: 'B-2' });
    expect(run.counts).toEqual({ missing_in_wms: 2, missing_in_erp: 2, location: 1, uom: 2, quantity: 1, lot: 1 });
    const k = await computeKpis(h.db, {
      from: new Date('2026-11-01T00:00:00Z'),
      to: new Date('2026-11-02T00:00:00Z'),
      facility: 'FX',
    });
    expect(k.mismatches).toBe(9);
    expect(k.mismatchesBySource).toEqual({ unknown: 9 });
    // 00123 5 + ONLYERP 3 + ONLYWMS 8 + QTY 3 + UOM 264 base units at 2.50; "123" has no ERP item, so no cost
    expect(k.mismatchValue).toBe((5 + 3 + 8 + 3 + 264) * 2.5);
  });

  it('sums repeated positions in base units before comparing (the slower path for snapshots with repeats)', async () => {
    await ingestItems(h.db, raw([item('MIX'), item('TWICE')]), 'test');
    await snapshot('erp', 'REP', [
      { sku: 'MIX', location: 'A', uom: 'CASE', quantity: 2 },
      { sku: 'MIX', location: 'A', uom: 'EA', quantity: 3 },
      { sku: 'TWICE', location: 'A', uom: 'EA', quantity: 5 },
      { sku: 'TWICE', location: 'A', uom: 'EA', quantity: 5 },
      { sku: 'SAMEUNIT', location: 'A', uom: 'PLT', quantity: 5 },
    ]);
    await snapshot('wms', 'REP', [
      { sku: 'MIX', location: 'A', uom: 'EA', quantity: 27 },
      { sku: 'TWICE', location: 'A', uom: 'EA', quantity: 5 },
      { sku: 'SAMEUNIT', location: 'A', uom: 'PLT', quantity: 5 },
    ]);
    const flags = await rows<{ u: boolean }>(
      h.db,
      sql`select unique_positions as u from snapshots where facility = 'REP' order by system`,
    );
    expect(flags.map((f) => f.u)).toEqual([false, true]);
    const { diffs } = await reconcile('REP');
    // 2 CASE + 3 EA = 27 EA agrees; 5 + 5 EA against 5 does not; equal counts in the same unit agree.
    expect(diffs.map((d) => [d.sku, d.kind, d.delta])).toEqual([['TWICE', 'quantity', '-5']]);
  });

  it('pairs lot splits in order of location then lot, one difference per pair', async () => {
    await ingestItems(h.db, raw([item('P')]), 'test');
    await snapshot('erp', 'PAIR', [
      { sku: 'P', location: 'A', lot: 'L1', uom: 'EA', quantity: 5 },
      { sku: 'P', location: 'A', lot: 'L2', uom: 'EA', quantity: 5 },
    ]);
    await snapshot('wms', 'PAIR', [
      { sku: 'P', location: 'A', lot: 'L3', uom: 'EA', quantity: 5 },
      { sku: 'P', location: 'B', lot: 'L2', uom: 'EA', quantity: 5 },
      { sku: 'P', location: 'A', lot: 'L4', uom: 'EA', quantity: 5 },
    ]);
    const { diffs } = await reconcile('PAIR');
    expect(diffs.map((d) => [d.kind, d.location, d.lot, d.wmsLocation, d.wmsLot])).toEqual([
      // A/L2 could pair with B/L2 (location) or A/L4 (lot): WMS rows are taken in order of location, then lot.
      ['lot', 'A', 'L1', 'A', 'L3'],
      ['lot', 'A', 'L2', 'A', 'L4'],
      ['missing_in_erp', 'B', 'L2', null, null],
    ]);
  });

  it('names the txType of the latest message before the WMS snapshot as the suspected source', async () => {
    await ingestItems(h.db, raw([item('SRC')]), 'test');
    const msg = (id: string, txType: string, createdAt: string) =>
      testMessage(id, createdAt, { txType, facility: 'SRCF', sku: 'SRC', updatedAt: createdAt });
    await snapshot('erp', 'SRCF', [{ sku: 'SRC', location: 'A', uom: 'EA', quantity: 1 }]);
    const wms = await snapshot('wms', 'SRCF', [{ sku: 'SRC', location: 'A', uom: 'EA', quantity: 2 }]);
    const before = new Date(Date.parse(wms.takenAt) - 3_600_000).toISOString();
    const after = new Date(Date.parse(wms.takenAt) + 1000).toISOString();
    await ingestMessages(
      h.db,
      raw([
        msg('m-old', 'receipt', '2026-01-01T00:00:00Z'),
        msg('m-latest', 'adjustment', before),
        msg('m-after', 'shipment', after),
      ]),
      'test',
    );
    const { diffs } = await reconcile('SRCF');
    expect(diffs).toMatchObject([{ kind: 'quantity', source: 'adjustment' }]);
  });

  it('never runs twice at once for one facility', async () => {
    await snapshot('erp', 'ONE', [{ sku: 'X', uom: 'EA', quantity: 1 }]);
    await snapshot('wms', 'ONE', [{ sku: 'X', uom: 'EA', quantity: 1 }]);
    const first = await requestReconciliation(h.db, 'ONE', 'a');
    await expect(requestReconciliation(h.db, 'ONE', 'b')).rejects.toMatchObject({
      code: 'conflict',
      extra: { runId: first.id },
    });
    await expect(requestReconciliation(h.db, 'NOPE', 'b')).rejects.toMatchObject({ code: 'validation_failed' });
    await executeRun(h.db, first.id);
    expect(await getRun(h.db, first.id)).toMatchObject({ status: 'succeeded', counts: {} });
  });

  it('resumes a run a restart interrupted, and ends with the same differences as an uninterrupted one', async () => {
    await ingestItems(h.db, raw([item('R1'), item('R2')]), 'test');
    await snapshot('erp', 'RST', [
      { sku: 'R1', location: 'A', uom: 'EA', quantity: 1 },
      { sku: 'R2', location: 'A', uom: 'CASE', quantity: 1 },
    ]);
    await snapshot('wms', 'RST', [{ sku: 'R1', location: 'A', uom: 'EA', quantity: 3 }]);
    const clean = await reconcile('RST');
    for (const crashAt of ['compare', 'finish'] as const) {
      const { id } = await requestReconciliation(h.db, 'RST', 'test');
      await expect(
        executeRun(h.db, id, (step) => {
          if (step === crashAt) throw new SimulatedCrash('server killed');
        }),
      ).rejects.toBeInstanceOf(SimulatedCrash);
      expect(await getRun(h.db, id)).toMatchObject({ status: 'running' });
      // A live worker's heartbeat keeps others off; once the server is gone the run is recoverable.
      expect(await executeRun(h.db, id)).toBe(false);
      expect(await findRecoverable(h.db)).not.toContain(id);
      await expireHeartbeats(h.db);
      expect(await findRecoverable(h.db)).toContain(id);
      expect(await executeRun(h.db, id)).toBe(true);
      const run = await getRun(h.db, id);
      expect(run).toMatchObject({ status: 'succeeded', counts: clean.run.counts });
      const [n] = await rows<{ n: number }>(
        h.db,
        sql`select count(*)::int as n from reconciliation_differences where run_id = ${id}`,
      );
      expect(n.n).toBe(clean.diffs.length);
    }
  });

  it('fails visibly after three interruptions instead of hanging as running', async () => {
    await snapshot('erp', 'DEAD', [{ sku: 'X', uom: 'EA', quantity: 1 }]);
    await snapshot('wms', 'DEAD', [{ sku: 'X', uom: 'EA', quantity: 1 }]);
    const { id } = await requestReconciliation(h.db, 'DEAD', 'test');
    for (let i = 0; i < 3; i++) {
      await expect(executeRun(h.db, id, () => Promise.reject(new SimulatedCrash('killed')))).rejects.toBeInstanceOf(
        SimulatedCrash,
      );
      await expireHeartbeats(h.db);
    }
    await executeRun(h.db, id);
    expect(await getRun(h.db, id)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/Interrupted 3 times/),
    });
  });

  it('is started and read through the API', async () => {
    await snapshot('erp', 'HTTP', [{ sku: 'X', uom: 'EA', quantity: 1 }]);
    await snapshot('wms', 'HTTP', [{ sku: 'X', uom: 'EA', quantity: 2 }]);
    const started = await postRecon(
      new Request('http://t/api/v1/reconciliations', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}` },
        body: '{"facility":"HTTP"}',
      }),
    );
    expect(started.status).toBe(202);
    const { id } = await started.json();
    let body: { status: string; counts: Record<string, number> } = { status: 'queued', counts: {} };
    for (let i = 0; i < 100 && (body.status === 'queued' || body.status === 'running'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      const res = await getRecon(
        new Request(`http://t/api/v1/reconciliations/${id}`, { headers: { authorization: `Bearer ${key}` } }),
        { params: Promise.resolve({ id: String(id) }) },
      );
      body = await res.json();
    }
    expect(body).toMatchObject({ status: 'succeeded', counts: { quantity: 1 } });
    const bad = await postRecon(
      new Request('http://t/api/v1/reconciliations', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}` },
        body: '{"facility":""}',
      }),
    );
    expect(bad.status).toBe(422);
    const missing = await getRecon(new Request('http://t/x', { headers: { authorization: `Bearer ${key}` } }), {
      params: Promise.resolve({ id: '999999' }),
    });
    expect(missing.status).toBe(404);
  });
});
