import { beforeAll, describe, expect, it } from 'vitest';
import { reconciliationDifferences, reconciliationRuns } from '@/db/schema';
import { ingestChanges, ingestItems } from '@/lib/ingest/feeds';
import { freshDb, testDb } from '@/lib/testing/db';
import { testMessage } from '@/lib/testing/records';
import { send } from '@/lib/testing/send';
import { loadMonthlyReview } from '@/lib/review/monthly';
import { reviewPeriod } from '@/lib/review/period';
import * as weekly from '@/lib/review/weekly';

const h = testDb();
const now = new Date('2026-11-28T01:00:00Z');
const week = (facility?: string) => reviewPeriod('weekly', { week: '2026-11-18', facility }, now);
const raw = (list: unknown[]) => list.map((value) => ({ value, raw: JSON.stringify(value) }));
const failed = (messageId: string, facility: string, txType: string, sku: string, at: string, errorCode: string) =>
  testMessage(messageId, at, {
    txType,
    facility,
    correlationKey: `DOC-${messageId}`,
    sku,
    status: 'failed',
    updatedAt: at,
    errorCode,
    errorMessage: `${errorCode} for ${sku}`,
  });
const item = (system: string, sku: string, status: string) => ({
  system,
  sku,
  baseUom: 'EA',
  uoms: [{ uom: 'EA', toBase: 1 }],
  status,
});

beforeAll(async () => {
  const r = await send(h.db, [
    failed('m1', 'F', 'receipt', 'A', '2026-11-17T08:00:00Z', 'ITEM_NOT_FOUND'),
    failed('m2', 'F', 'receipt', 'A', '2026-11-18T08:00:00Z', 'UOM_INVALID'),
    failed('m3', 'G', 'shipment', 'B', '2026-11-19T08:00:00Z', 'TIMEOUT'),
    failed('m4', 'F', 'putaway', 'A', '2026-11-20T08:00:00Z', 'LOT_REQUIRED'),
    // Outside the week: a second after it, a second before it.
    failed('m5', 'F', 'receipt', 'C', '2026-11-23T00:00:00Z', 'UOM_INVALID'),
    failed('m6', 'F', 'receipt', 'C', '2026-11-15T23:59:59Z', 'UOM_INVALID'),
  ]);
  expect(r.rejected).toEqual([]);
  // Reconciliations: two of F in the week, F's latest after it, one of G, and a failed one of G.
  const run = async (
    facility: string,
    status: 'succeeded' | 'failed',
    finishedAt: string,
    diffs: [string, string][],
  ) => {
    const [x] = await h.db
      .insert(reconciliationRuns)
      .values({ facility, status, finishedAt: new Date(finishedAt), progress: 1 })
      .returning({ id: reconciliationRuns.id });
    if (diffs.length) {
      await h.db.insert(reconciliationDifferences).values(
        diffs.map(([kind, sku]) => ({
          runId: x.id,
          facility,
          kind: kind as 'uom',
          sku,
          delta: '1',
          suspectedSource: kind === 'uom' ? 'receipt' : 'unknown',
        })),
      );
    }
  };
  await run('F', 'succeeded', '2026-11-18T06:00:00Z', [
    ['uom', 'A'],
    ['lot', 'C'],
  ]);
  await run('F', 'succeeded', '2026-11-21T06:00:00Z', [
    ['uom', 'A'],
    ['quantity', 'D'],
  ]);
  await run('F', 'succeeded', '2026-11-24T06:00:00Z', [['quantity', 'E']]);
  await run('G', 'succeeded', '2026-11-20T06:00:00Z', [['missing_in_erp', 'B']]);
  await run('G', 'failed', '2026-11-22T06:00:00Z', [['quantity', 'X']]);
  // The audit finds C's status differs between the item masters.
  await ingestItems(h.db, raw([item('erp', 'C', 'active'), item('wms', 'C', 'blocked')]), 'test');
  await ingestChanges(
    h.db,
    raw([
      {
        changeId: 'ch1',
        at: '2026-11-17T10:00:00Z',
        system: 'wms',
        kind: 'mapping',
        summary: 'status map v2',
        integrationReviewed: false,
      },
      {
        changeId: 'ch2',
        at: '2026-11-18T10:00:00Z',
        system: 'erp',
        kind: 'release',
        summary: 'reviewed release',
        integrationReviewed: true,
      },
      {
        changeId: 'ch3',
        at: '2026-11-23T10:00:00Z',
        system: 'erp',
        kind: 'config',
        summary: 'next week',
        integrationReviewed: false,
      },
    ]),
    'test',
  );
});

describe('the weekly review', () => {
  it("counts the week's exceptions per facility and root cause", async () => {
    expect(await weekly.causesByFacility(h.db, week())).toEqual([
      { facility: 'F', byCause: [0, 3, 0, 0, 0, 0], total: 3, open: 3 },
      { facility: 'G', byCause: [0, 0, 1, 0, 0, 0], total: 1, open: 1 },
    ]);
    expect((await weekly.causesByFacility(h.db, week('G'))).map((x) => x.facility)).toEqual(['G']);
  });

  it("counts the week's exceptions per customer their messages name (the stored record's), and root cause", async () => {
    const c = await freshDb();
    try {
      const r = await send(c.db, [
        // One shipment per customer; the second is replaced by a later record naming the first customer.
        { ...failed('s1', 'G', 'shipment', 'B', '2026-11-21T08:00:00Z', 'TIMEOUT'), customer: 'Northwind' },
        { ...failed('s2', 'F', 'shipment', 'B', '2026-11-21T09:00:00Z', 'STATUS_MAP'), customer: 'Contoso' },
        {
          ...failed('s2', 'F', 'shipment', 'B', '2026-11-21T09:00:00Z', 'STATUS_MAP'),
          customer: 'Northwind',
          updatedAt: '2026-11-21T09:30:00Z',
        },
        // No customer, and a customer outside the week.
        failed('s3', 'F', 'shipment', 'B', '2026-11-21T10:00:00Z', 'TIMEOUT'),
        { ...failed('s4', 'F', 'shipment', 'B', '2026-11-24T10:00:00Z', 'TIMEOUT'), customer: 'Contoso' },
      ]);
      expect(r.rejected).toEqual([]);
      expect(await weekly.causesByCustomer(c.db, week())).toEqual([
        { customer: 'Northwind', byCause: [0, 0, 1, 1, 0, 0], total: 2, open: 2 },
      ]);
      expect(await weekly.causesByCustomer(c.db, week('F'))).toEqual([
        { customer: 'Northwind', byCause: [0, 0, 0, 1, 0, 0], total: 1, open: 1 },
      ]);
    } finally {
      await c.close();
    }
  });

  it("ranks SKUs by the week's exceptions and the differences of each facility's latest reconciliation", async () => {
    // F's latest run is the one after the week (E); G's is its last succeeded one (B), not the failed one after it.
    expect(await weekly.topSkus(h.db, week())).toEqual([
      { sku: 'A', facilities: ['F'], exceptions: 3, mainCause: 'master_data', differences: 0, kinds: [], sources: [] },
      {
        sku: 'B',
        facilities: ['G'],
        exceptions: 1,
        mainCause: 'timing',
        differences: 1,
        kinds: ['missing_in_erp'],
        sources: ['unknown'],
      },
      {
        sku: 'E',
        facilities: ['F'],
        exceptions: 0,
        mainCause: null,
        differences: 1,
        kinds: ['quantity'],
        sources: ['unknown'],
      },
    ]);
    expect((await weekly.topSkus(h.db, week('G'))).map((s) => s.sku)).toEqual(['B']);
  });

  it('finds items whose UOM, lot or status trouble repeats', async () => {
    // A: UOM_INVALID and two uom differences (both runs of F finished in the week), LOT_REQUIRED.
    // C: a lot difference, and the status the audit finds; its UOM errors fall outside the week.
    expect(await weekly.repeatedItemIssues(h.db, week())).toEqual([
      { sku: 'A', uom: 3, lot: 1, status: 0, total: 4 },
      { sku: 'C', uom: 0, lot: 1, status: 1, total: 2 },
    ]);
  });

  it("lists the week's changes that integration did not review", async () => {
    expect(await weekly.unreviewedChanges(h.db, week())).toEqual([
      { changeId: 'ch1', at: '2026-11-17T10:00:00.000Z', system: 'wms', kind: 'mapping', summary: 'status map v2' },
    ]);
  });
});

describe('the monthly review', () => {
  it("totals the month's messages per type against what was posted, and lists the shared fields", async () => {
    const m = await loadMonthlyReview(h.db, reviewPeriod('monthly', { month: '2026-11' }, now));
    expect(m.totals).toEqual([
      { txType: 'receipt', direction: 'wms_to_erp', sent: 4, posted: 0, failed: 4, waiting: 0, avgDelayMs: null },
      { txType: 'putaway', direction: 'wms_to_erp', sent: 1, posted: 0, failed: 1, waiting: 0, avgDelayMs: null },
      { txType: 'shipment', direction: 'wms_to_erp', sent: 1, posted: 0, failed: 1, waiting: 0, avgDelayMs: null },
    ]);
    expect(m.shared).toEqual([{ dataObject: 'item', field: 'status', precedence: 'erp wins on conflict' }]);
    expect((await loadMonthlyReview(h.db, reviewPeriod('monthly', { month: '2026-10' }, now))).totals).toEqual([]);
  });
});
