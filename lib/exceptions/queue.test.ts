import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '@/db';
import { testDb } from '@/lib/testing/db';
import { send } from '@/lib/testing/send';
import { computeKpis } from '@/lib/kpi/kpis';
import { computeKpisFromRaw } from '@/lib/kpi/raw-baseline';
import { applyBulkAction, bulkActionInput } from './actions';
import { iterateExceptions, listExceptions, listGroups, parseQueueFilters } from './queries';

const h = testDb();
const HOUR = 3_600_000;
const now = Date.now();
const at = (hoursAgo: number) => new Date(now - hoursAgo * HOUR).toISOString();
const failed = (id: string, hoursAgo: number, facility: string, code: string, text: string) => ({
  messageId: id,
  txType: 'receipt',
  direction: 'wms_to_erp',
  facility,
  sku: `SKU-${id}`,
  status: 'failed',
  errorCode: code,
  errorMessage: text,
  createdAt: at(hoursAgo),
  updatedAt: at(hoursAgo),
});

beforeAll(async () => {
  await send(h.db, [
    failed('A', 100, 'DC1', 'ITEM_NOT_FOUND', 'Item "SKU-1" not found'),
    failed('B', 50, 'DC2', 'ITEM_NOT_FOUND', 'Item "SKU-2" not found'),
    failed('C', 2, 'DC1', 'TIMEOUT', 'timed out after 30000 ms'),
    failed('D', 0.5, 'DC2', 'ITEM_NOT_FOUND', 'Item "SKU-3" not found'),
  ]);
});

const ids = async () =>
  (
    await rows<{ id: string; message_id: string }>(
      h.db,
      sql`select id::text, message_id from exceptions order by message_id`,
    )
  ).reduce<Record<string, number>>((m, r) => ({ ...m, [r.message_id]: Number(r.id) }), {});

describe('exception queue', () => {
  it('sorts by age and filters by facility, age, error code and free text on the server', async () => {
    const all = await listExceptions(h.db, parseQueueFilters({}));
    expect(all.rows.map((r) => r.messageId)).toEqual(['A', 'B', 'C', 'D']);
    expect((await listExceptions(h.db, parseQueueFilters({ sort: 'newest' }))).rows[0].messageId).toBe('D');
    expect((await listExceptions(h.db, parseQueueFilters({ facility: 'DC2' }))).rows.map((r) => r.messageId)).toEqual([
      'B',
      'D',
    ]);
    expect((await listExceptions(h.db, parseQueueFilters({ olderThan: '24h' }))).rows.map((r) => r.messageId)).toEqual([
      'A',
      'B',
    ]);
    expect((await listExceptions(h.db, parseQueueFilters({ errorCode: 'TIMEOUT' }))).total).toBe(1);
    expect((await listExceptions(h.db, parseQueueFilters({ q: 'sku-3' }))).rows.map((r) => r.messageId)).toEqual(['D']);
    // Nonsense parameters fall back to defaults instead of failing the page.
    expect((await listExceptions(h.db, parseQueueFilters({ state: 'bogus', page: '-4', sort: 'x' }))).total).toBe(4);
  });

  it('groups by fingerprint, masking identifiers', async () => {
    const g = await listGroups(h.db, parseQueueFilters({ view: 'groups' }));
    expect(g.rows.map((r) => [r.errorCode, r.count])).toEqual([
      ['ITEM_NOT_FOUND', 3],
      ['TIMEOUT', 1],
    ]);
    expect(g.rows[0].facilities).toEqual(['DC1', 'DC2']);
    expect(g.rows[0].regressed).toBe(false);
    // The group's latest exception is its sample, and its SKUs come newest first.
    expect(g.rows[0]).toMatchObject({
      txType: 'receipt',
      sample: 'Item "SKU-3" not found',
      skus: ['SKU-D', 'SKU-B', 'SKU-A'],
      open: 3,
    });
    expect(g.rows[0].firstSeen).toBe(at(100));
    expect(g.rows[0].lastSeen).toBe(at(0.5));
    expect(g).toMatchObject({ total: 2, page: 1, pages: 1 });
    // Filters apply to every column: at DC1 the group has A only.
    const dc1 = await listGroups(h.db, parseQueueFilters({ view: 'groups', facility: 'DC1' }));
    expect(dc1.rows.map((r) => [r.errorCode, r.count, r.facilities, r.skus, r.sample])).toEqual([
      ['ITEM_NOT_FOUND', 1, ['DC1'], ['SKU-A'], 'Item "SKU-1" not found'],
      ['TIMEOUT', 1, ['DC1'], ['SKU-C'], 'timed out after 30000 ms'],
    ]);
    // By first seen; a page past the last shows the last.
    expect(
      (await listGroups(h.db, parseQueueFilters({ view: 'groups', sort: 'age' }))).rows.map((r) => r.errorCode),
    ).toEqual(['ITEM_NOT_FOUND', 'TIMEOUT']);
    expect(
      (await listGroups(h.db, parseQueueFilters({ view: 'groups', sort: 'lastSeen' }))).rows.map((r) => r.errorCode),
    ).toEqual(['ITEM_NOT_FOUND', 'TIMEOUT']);
    expect(await listGroups(h.db, parseQueueFilters({ view: 'groups', page: '9' }))).toMatchObject({
      total: 2,
      page: 1,
      pages: 1,
    });
    expect(await listGroups(h.db, parseQueueFilters({ view: 'groups', errorCode: 'NONE' }))).toEqual({
      rows: [],
      total: 0,
      page: 1,
      pages: 1,
    });
  });

  it('bulk actions need their fields, change only open exceptions, and write the audit log', async () => {
    expect(bulkActionInput.safeParse({ ids: [], action: 'acknowledge' }).success).toBe(false);
    const noCause = bulkActionInput.safeParse({ ids: ['1'], action: 'resolve' });
    expect(noCause.success).toBe(false);
    expect(noCause.error!.issues[0]).toMatchObject({ path: ['rootCause'] });
    const id = await ids();
    expect(
      await applyBulkAction(
        h.db,
        bulkActionInput.parse({ ids: [String(id.A), String(id.B)], action: 'acknowledge' }),
        'kim',
      ),
    ).toBe(2);
    expect(
      await applyBulkAction(h.db, bulkActionInput.parse({ ids: [String(id.A)], action: 'assign', owner: 'it' }), 'kim'),
    ).toBe(1);
    expect(
      await applyBulkAction(
        h.db,
        bulkActionInput.parse({
          ids: [String(id.A)],
          action: 'resolve',
          rootCause: 'master_data',
          effortMinutes: '12',
        }),
        'kim',
      ),
    ).toBe(1);
    // Resolving again changes nothing: it is closed.
    expect(await applyBulkAction(h.db, bulkActionInput.parse({ ids: [String(id.A)], action: 'ignore' }), 'kim')).toBe(
      0,
    );
    const audit = await rows<{ action: string; actor: string }>(
      h.db,
      sql`select action, actor from exception_audit where exception_id = ${id.A} order by id`,
    );
    expect(audit.map((a) => a.action)).toEqual(['opened', 'acknowledged', 'assigned', 'resolved']);
    const [a] = await rows<{ state: string; owner: string; root_cause: string; effort_minutes: number }>(
      h.db,
      sql`select state, owner, root_cause, effort_minutes from exceptions where id = ${id.A}`,
    );
    expect(a).toEqual({ state: 'resolved', owner: 'it', root_cause: 'master_data', effort_minutes: 12 });
    // Still-open B and D are older than A's resolution: not a regression. One failing after it is.
    expect((await listGroups(h.db, parseQueueFilters({ view: 'groups' }))).rows[0].regressed).toBe(false);
    await send(h.db, [
      failed('E', (now - Date.now() - 1000) / HOUR, 'DC1', 'ITEM_NOT_FOUND', 'Item "SKU-9" not found'),
    ]);
    expect((await listGroups(h.db, parseQueueFilters({ view: 'groups' }))).rows[0].regressed).toBe(true);
    // The KPI counters follow every action: open now, and opened by root cause as it is now (C
    // opened as timing, resolved as mapping).
    const before = await computeKpis(h.db, { from: new Date(now - 200 * HOUR), to: new Date(now + HOUR) });
    expect(
      await applyBulkAction(
        h.db,
        bulkActionInput.parse({ ids: [String(id.C)], action: 'resolve', rootCause: 'mapping' }),
        'kim',
      ),
    ).toBe(1);
    for (const facility of [null, 'DC1', 'DC2']) {
      const scope = { from: new Date(now - 200 * HOUR), to: new Date(now + HOUR), facility };
      const [got, raw] = await Promise.all([computeKpis(h.db, scope), computeKpisFromRaw(h.db, scope)]);
      expect(got.openExceptions).toBe(raw.openExceptions);
      expect(Object.fromEntries(Object.entries(got.exceptionsByRootCause).filter(([, n]) => n))).toEqual(
        raw.exceptionsByRootCause,
      );
    }
    const all = await computeKpis(h.db, { from: new Date(now - 200 * HOUR), to: new Date(now + HOUR) });
    expect(before.openExceptions).toBe(4); // B acknowledged, C, D and E open; A resolved
    expect(all.openExceptions).toBe(3);
    expect([before.exceptionsByRootCause.timing, before.exceptionsByRootCause.mapping]).toEqual([1, 0]);
    expect([all.exceptionsByRootCause.timing, all.exceptionsByRootCause.mapping]).toEqual([0, 1]);
  });

  it('exports every row in pages for CSV', async () => {
    let n = 0;
    for await (const page of iterateExceptions(h.db, parseQueueFilters({ state: 'all' }))) n += page.length;
    expect(n).toBe((await listExceptions(h.db, parseQueueFilters({ state: 'all' }))).total);
  });
});
