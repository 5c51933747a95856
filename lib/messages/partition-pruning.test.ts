/**
 * The hot reads of the log keep partition pruning: with messages in October, November and
 * December, a window inside November reads November's partition only, as executed (EXPLAIN ANALYZE).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '@/db';
import { computeKpis } from '@/lib/kpi/kpis';
import { testDb } from '@/lib/testing/db';
import { explaining, partitionsRead } from '@/lib/testing/plans';
import { send } from '@/lib/testing/send';
import { messageFilters, searchMessages } from './queries';
import { latestSkuTxType } from './sku';

const h = testDb();
const NOV = 'integration_messages_p20261101';

beforeAll(async () => {
  const days = ['2026-10-12', '2026-10-31', '2026-11-05', '2026-11-11', '2026-11-12', '2026-11-30', '2026-12-01'];
  await send(
    h.db,
    days.flatMap((d, i) =>
      [0, 1, 2].map((k) => ({
        messageId: `M-${i}-${k}`,
        txType: k ? 'receipt' : 'shipment',
        direction: 'wms_to_erp',
        facility: 'DC1',
        correlationKey: `PO-${i}`,
        lineKey: '10',
        sku: 'SKU-1',
        quantity: 24,
        uom: 'EA',
        status: k === 2 ? 'failed' : 'delivered',
        attempts: 1,
        createdAt: `${d}T${10 + k}:20:00Z`,
        processedAt: k === 2 ? null : `${d}T${10 + k}:20:05Z`,
      })),
    ),
  );
  expect(
    (
      await rows<{ part: string }>(
        h.db,
        sql`select distinct tableoid::regclass::text as part from integration_messages order by 1`,
      )
    ).map((r) => r.part),
  ).toEqual(['integration_messages_p20261001', NOV, 'integration_messages_p20261201']);
});

describe('partition pruning of the hot reads', () => {
  it("KPIs: the raw edges of a window and its exact p95 read the window's month only", async () => {
    const x = explaining(h.db);
    const k = await computeKpis(x.db, {
      from: new Date('2026-11-05T10:45:00Z'),
      to: new Date('2026-11-12T11:40:00Z'),
    });
    expect(k.messages).toBe(7);
    expect(x.plans.some((p) => /integration_messages/.test(p))).toBe(true);
    expect(partitionsRead(x.plans)).toEqual([NOV]);
  });

  it("the message search over a window reads the window's month only", async () => {
    const x = explaining(h.db);
    const found = await searchMessages(x.db, messageFilters.parse({}), {
      from: new Date('2026-11-11T00:00:00Z'),
      to: new Date('2026-11-30T00:00:00Z'),
    });
    expect(found.total).toBe(6);
    expect(x.plans.some((p) => /integration_messages/.test(p))).toBe(true);
    expect(partitionsRead(x.plans)).toEqual([NOV]);
  });

  it('SKU history walks back from its day without reading a later month', async () => {
    const x = explaining(h.db);
    const [r] = await rows<{ t: string | null }>(
      x.db,
      sql`select ${latestSkuTxType(sql`${'DC1'}::text`, sql`${'SKU-1'}::text`, sql`${'2026-11-12T11:00:00Z'}::timestamptz`)} as t`,
    );
    expect(r.t).toBe('shipment');
    // Its day has one: November alone is read (by the day's index entry alone, every month would be).
    expect(partitionsRead(x.plans)).toEqual([NOV]);
  });
});
