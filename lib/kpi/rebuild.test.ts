import { beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '@/db';
import { AppError } from '@/lib/errors';
import { setIngestFaultForTests } from '@/lib/ingest/messages';
import { freshGuessForTests } from '@/lib/ingest/store';
import { computeKpis } from '@/lib/kpi/kpis';
import { computeKpisFromRaw } from '@/lib/kpi/raw-baseline';
import {
  executeRebuild,
  expireJobHeartbeats,
  findRecoverableRebuilds,
  getRebuild,
  listRebuilds,
  requestRebuild,
  type RebuildProgress,
} from '@/lib/kpi/rebuild';
import { SimulatedCrash } from '@/lib/resumable-job';
import { emptyMessageTables, testDb } from '@/lib/testing/db';
import { send } from '@/lib/testing/send';
import { env } from '@/lib/env';

const h = testDb();
beforeEach(async () => {
  await emptyMessageTables(h.db, ['jobs']);
  freshGuessForTests(true);
});

const T0 = Date.parse('2026-10-05T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Message i of a feed over 20 days: few contents (so delivered copies repeat within 24 h), some
 * without a document, failures that open exceptions; `version` 1 is a later update of the same
 * message (a retry that delivered, or a new status).
 */
function message(i: number, version = 0) {
  const created = T0 + ((i * 7919) % (20 * 24 * 60)) * 60_000 + (i % 1000);
  const statuses = [
    'failed',
    'dead_letter',
    'pending',
    'delivered',
    'delivered',
    'delivered',
    'retrying',
    'delivered',
    'delivered',
  ];
  const status = version ? (i % 3 === 0 ? 'failed' : 'delivered') : statuses[i % statuses.length];
  const processed = status === 'delivered' ? created + ((i * 137) % 100_000) + 1 : null;
  return {
    messageId: `M${i}`,
    txType: i % 2 ? 'receipt' : 'shipment',
    direction: 'wms_to_erp',
    facility: i % 5 ? 'DC1' : 'DC2',
    correlationKey: i % 11 === 0 ? null : `PO-${i % 4}`,
    lineKey: '10',
    sku: 'SKU-1',
    quantity: i % 2 ? 24 : '24.000',
    uom: 'EA',
    status,
    attempts: 1 + (i % 4 === 0 ? 1 : 0) + version,
    errorCode: status === 'failed' || status === 'dead_letter' ? 'TIMEOUT' : null,
    errorMessage:
      status === 'failed' || status === 'dead_letter' ? `ERP endpoint timed out after ${30000 + (i % 50)} ms` : null,
    createdAt: iso(created),
    processedAt: processed === null ? null : iso(processed),
    updatedAt: iso(created + (version ? 3_600_000 : 0) + (processed ? processed - created : 0)),
  };
}

/**
 * A delivered copy of the same content 40 minutes after the one before, across each midnight: a duplicate whose
 * original lies in the day before.
 */
function acrossMidnight(day: number) {
  const at = (ms: number) => iso(ms);
  const first = T0 + day * 86_400_000 + 23.5 * 3_600_000;
  return [first, first + 40 * 60_000].map((created, k) => ({
    ...message(3),
    messageId: `X${day}-${k}`,
    correlationKey: `SO-${day}`,
    status: 'delivered',
    createdAt: at(created),
    processedAt: at(created + 1500),
    updatedAt: at(created + 1500),
  }));
}

/** 400 messages and 20 duplicates across midnight in batches of 50, then updates of every third message. */
async function load() {
  const all = [
    ...Array.from({ length: 400 }, (_, i) => message(i)),
    ...Array.from({ length: 19 }, (_, d) => acrossMidnight(d)).flat(),
  ];
  for (let b = 0; b < all.length; b += 50) await send(h.db, all.slice(b, b + 50));
  const updates = Array.from({ length: 400 }, (_, i) => i)
    .filter((i) => i % 3 === 0)
    .map((i) => message(i, 1));
  for (let b = 0; b < updates.length; b += 40) await send(h.db, updates.slice(b, b + 40));
}

/** Everything a rebuild recomputes, without rows whose counts are all zero. */
async function derived() {
  return {
    hourly: await rows(
      h.db,
      sql`select * from message_rollup_hourly where messages <> 0 or failed <> 0 or dead_letter <> 0 or retrying <> 0 or
        first_pass_failed <> 0 or delivered <> 0
      or delay_sum_us <> 0 or duplicates <> 0 order by 1, 2, 3, 4`,
    ),
    daily: await rows(
      h.db,
      sql`select * from message_rollup_daily where messages <> 0 or failed <> 0 or dead_letter <> 0 or retrying <> 0 or
        first_pass_failed <> 0 or delivered <> 0
      or delay_sum_us <> 0 or duplicates <> 0 order by 1, 2, 3, 4`,
    ),
    sketches: await rows(
      h.db,
      sql`select * from delay_sketches where cardinality(delay_idx) > 0 order by 1, 2, 3, 4, 5`,
    ),
    exceptionHourly: await rows(h.db, sql`select * from exception_rollup_hourly where opened <> 0 order by 1, 2, 3, 4`),
    exceptionDaily: await rows(h.db, sql`select * from exception_rollup_daily where opened <> 0 order by 1, 2, 3, 4`),
    open: await rows(h.db, sql`select * from open_exception_counts where n <> 0 order by 1, 2`),
    duplicates: await rows(h.db, sql`select message_id from integration_messages where is_duplicate order by 1`),
  };
}

async function rebuild(hook?: (p: RebuildProgress) => void | Promise<void>) {
  const { id } = await requestRebuild(h.db, 'test');
  await executeRebuild(h.db, id, hook);
  return (await getRebuild(h.db, id))!;
}

describe('rollup rebuild job', () => {
  it('finds nothing to fix in what the ingest kept, and leaves it as it was', async () => {
    await load();
    const kept = await derived();
    // The fixture exercises what the rebuild recomputes.
    expect(kept.duplicates.length).toBeGreaterThan(5);
    expect(kept.open.length).toBeGreaterThan(0);
    expect(kept.sketches.filter((r) => (r as { grain: string }).grain === 'week').length).toBeGreaterThan(3);
    const job = await rebuild();
    expect(job.status).toBe('succeeded');
    expect(job.progress).toBe(1);
    expect(job.result).toMatchObject({
      stage: 'done',
      days: 20,
      daysDone: 20,
      daysRebuilt: 20,
      duplicateFlagsFixed: 0,
      rowsFixed: 0,
      attempts: 1,
    });
    expect(job.result!.firstDay).toBe('2026-10-05T00:00:00.000Z');
    expect(await derived()).toEqual(kept);
  });

  it.runIf(env().DATABASE_URL)('each day of a rebuild waits for a batch that holds the ingest lock', async () => {
    await load();
    const { id } = await requestRebuild(h.db, 'test');
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let batch: Promise<unknown> | null = null;
    const job = executeRebuild(h.db, id, async (p) => {
      if (p.stage !== 'days' || p.daysDone !== 3 || batch) return;
      // A batch takes the lock and holds it; the day waits for it.
      let locked!: () => void;
      const inLock = new Promise<void>((r) => (locked = r));
      setIngestFaultForTests(async (stage) => {
        if (stage !== 'after-lock') return;
        locked();
        await held;
      });
      batch = send(h.db, [message(1000)]);
      await inLock;
      setIngestFaultForTests(null);
    });
    await new Promise((r) => setTimeout(r, 150));
    while (!batch) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 400));
    const during = (await getRebuild(h.db, id))!.result;
    release();
    await Promise.all([batch, job]);
    expect(during).toMatchObject({ stage: 'days', daysDone: 3 });
    expect((await getRebuild(h.db, id))!.result).toMatchObject({
      stage: 'done',
      daysDone: 20,
      rowsFixed: 0,
      duplicateFlagsFixed: 0,
    });
  });

  it('repairs wrong, missing and extra rollup rows, sketches, exception counts and duplicate flags, and counts them', async () => {
    await load();
    const kept = await derived();
    // Eight rows made wrong, missing or extra, and three duplicate flags flipped.
    await h.db.execute(
      sql`update message_rollup_hourly set messages = messages + 5 where ctid = (select ctid from message_rollup_hourly
        order by bucket limit 1)`,
    );
    await h.db.execute(
      sql`delete from message_rollup_daily where ctid = (select ctid from message_rollup_daily order by bucket desc
        limit 1)`,
    );
    await h.db.execute(
      sql`insert into message_rollup_hourly (bucket, facility, tx_type, direction, messages) values
        ('2020-01-01T00:00:00Z', 'DC9', 'receipt', 'wms_to_erp', 3)`,
    );
    await h.db.execute(
      sql`delete from delay_sketches where ctid = (select ctid from delay_sketches where grain = 'week' order by bucket
        limit 1)`,
    );
    await h.db.execute(sql`update delay_sketches set delay_n = array_fill(7::bigint, array[cardinality(delay_idx)])
      where ctid = (select ctid from delay_sketches where grain = 'hour' and tx_type = '*' order by bucket desc limit
        1)`);
    await h.db.execute(
      sql`insert into delay_sketches values ('day', 'receipt', '2026-10-13T00:00:00Z', 'DC7', 'wms_to_erp', '{10100}',
        '{2}')`,
    );
    await h.db.execute(
      sql`update open_exception_counts set n = n + 2 where ctid = (select ctid from open_exception_counts limit 1)`,
    );
    await h.db.execute(
      sql`delete from exception_rollup_daily where ctid = (select ctid from exception_rollup_daily limit 1)`,
    );
    await h.db.execute(
      sql`update integration_messages set is_duplicate = not is_duplicate where message_id in ('M3', 'M40', 'M77')`,
    );
    expect(await derived()).not.toEqual(kept);

    const job = await rebuild();
    expect(job.status).toBe('succeeded');
    expect(job.result).toMatchObject({ duplicateFlagsFixed: 3, rowsFixed: 8 });
    expect(await derived()).toEqual(kept);
  });

  it('skips the empty days between a stray old message and the rest, and removes their rows', async () => {
    await load();
    await send(h.db, [
      {
        ...message(5),
        messageId: 'OLD-1',
        createdAt: '2019-03-04T05:06:07.000Z',
        processedAt: '2019-03-04T05:06:09.000Z',
        updatedAt: '2019-03-04T05:06:09.000Z',
      },
    ]);
    const kept = await derived();
    await h.db.execute(
      sql`insert into message_rollup_daily (bucket, facility, tx_type, direction, messages) values
        ('2023-06-01T00:00:00Z', 'DC1', 'receipt', 'wms_to_erp', 4)`,
    );
    await h.db.execute(
      sql`insert into delay_sketches values ('hour', '*', '2021-01-01T10:00:00Z', 'DC1', '*', '{10100}', '{1}')`,
    );
    const seen: string[] = [];
    const { id } = await requestRebuild(h.db, 'test');
    await executeRebuild(h.db, id, (p) => void (p.stage === 'days' && seen.push(p.nextDay!.slice(0, 10))));
    const job = (await getRebuild(h.db, id))!;
    expect(job.result).toMatchObject({
      stage: 'done',
      firstDay: '2019-03-04T00:00:00.000Z',
      daysRebuilt: 21,
      rowsFixed: 2,
      duplicateFlagsFixed: 0,
    });
    expect(job.result!.days).toBe(job.result!.daysDone);
    expect(job.result!.days).toBeGreaterThan(2700);
    expect(seen.slice(0, 3)).toEqual(['2019-03-04', '2026-10-05', '2026-10-06']);
    expect(await derived()).toEqual(kept);
  });

  it('a log emptied by hand leaves no rollups behind', async () => {
    await load();
    await h.db.execute(sql`delete from integration_messages`);
    const job = await rebuild();
    expect(job.status).toBe('succeeded');
    expect(job.result).toMatchObject({ days: 0, firstDay: null });
    expect(job.result!.rowsFixed).toBeGreaterThan(100);
    const after = await derived();
    expect([after.hourly, after.daily, after.sketches]).toEqual([[], [], []]);
  });

  it('a rebuild interrupted by a restart resumes at the day after the last one committed', async () => {
    await load();
    const kept = await derived();
    await h.db.execute(sql`update message_rollup_hourly set messages = 0`);
    const { id } = await requestRebuild(h.db, 'test');
    await expect(
      executeRebuild(h.db, id, (p) => {
        if (p.stage === 'days' && p.daysDone === 5) throw new SimulatedCrash('killed');
      }),
    ).rejects.toThrow('killed');
    const crashed = (await getRebuild(h.db, id))!;
    expect(crashed.status).toBe('running');
    expect(crashed.result).toMatchObject({ stage: 'days', daysDone: 5, nextDay: '2026-10-10T00:00:00.000Z' });
    expect(crashed.progress).toBeGreaterThan(0.2);
    expect(crashed.progress).toBeLessThan(0.3);
    // A live worker's job is not taken; a dead one's is, at start (embedded) or by the sweep.
    expect(await findRecoverableRebuilds(h.db)).toEqual([]);
    expect(await executeRebuild(h.db, id)).toBe(false);
    await expireJobHeartbeats(h.db);
    expect(await findRecoverableRebuilds(h.db)).toEqual([id]);
    const seen: string[] = [];
    expect(await executeRebuild(h.db, id, (p) => void seen.push(`${p.stage} ${p.daysDone}`))).toBe(true);
    expect(seen[0]).toBe('days 5');
    expect(seen).not.toContain('plan 0');
    const done = (await getRebuild(h.db, id))!;
    expect(done.status).toBe('succeeded');
    expect(done.result).toMatchObject({ daysDone: 20, attempts: 2 });
    expect(await derived()).toEqual(kept);
  });

  it('one rebuild at a time: a second request gets a conflict naming the running job', async () => {
    const { id } = await requestRebuild(h.db, 'admin@example.com');
    const second = await requestRebuild(h.db, 'admin@example.com').catch((e) => e);
    expect(second).toBeInstanceOf(AppError);
    expect(second).toMatchObject({ code: 'conflict', extra: { jobId: id } });
    expect((await listRebuilds(h.db, 1))[0]).toMatchObject({ id, status: 'queued', requestedBy: 'admin@example.com' });
    await executeRebuild(h.db, id);
    expect((await requestRebuild(h.db, null)).id).toBeGreaterThan(id);
  });

  it('a job failed after three interrupted attempts is not run again', async () => {
    await load();
    const { id } = await requestRebuild(h.db, 'test');
    for (let k = 0; k < 3; k++) {
      await expect(
        executeRebuild(h.db, id, () => {
          throw new SimulatedCrash('killed');
        }),
      ).rejects.toThrow('killed');
      await expireJobHeartbeats(h.db);
    }
    expect(await executeRebuild(h.db, id)).toBe(true);
    expect(await getRebuild(h.db, id)).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('Interrupted 3 times'),
    });
  });

  it("a failed job keeps the error's class and code for people to read, never its message", async () => {
    await load();
    const { id } = await requestRebuild(h.db, 'test');
    const driverLike = Object.assign(new Error('Failed query: update … params: s3cret-password,ACME-Key'), {
      code: '57014',
    });
    expect(
      await executeRebuild(h.db, id, () => {
        throw driverLike;
      }),
    ).toBe(true);
    const failed = (await getRebuild(h.db, id))!;
    expect(failed.status).toBe('failed');
    expect(failed.error).toBe('The rebuild failed (Error 57014); the server log has the details.');
    expect(failed.error).not.toContain('s3cret');
  });

  it('the ingest goes on during a rebuild, and what both leave matches the log', async () => {
    await load();
    // New messages, updates and replays sent in parallel with the rebuild, some of them onto days it is rebuilding.
    const more = [
      ...Array.from({ length: 300 }, (_, i) => message(400 + i)),
      ...Array.from({ length: 200 }, (_, i) => message(i * 2, 1)),
    ];
    const { id } = await requestRebuild(h.db, 'test');
    const sending = (async () => {
      for (let b = 0; b < more.length; b += 25) await send(h.db, more.slice(b, b + 25));
    })();
    await Promise.all([executeRebuild(h.db, id), sending]);
    expect((await getRebuild(h.db, id))!.status).toBe('succeeded');
    const after = await derived();
    // A second rebuild, with nothing sent meanwhile, finds nothing to fix.
    const check = await rebuild();
    expect(check.result).toMatchObject({ duplicateFlagsFixed: 0, rowsFixed: 0 });
    expect(await derived()).toEqual(after);
    const scope = {
      from: new Date('2026-10-01T00:00:00Z'),
      to: new Date('2026-11-01T00:00:00Z'),
      facility: null,
      txType: null,
    };
    const [got, raw] = [await computeKpis(h.db, scope), await computeKpisFromRaw(h.db, scope)];
    expect(got.messages).toBe(738);
    expect(got.messages).toBe(raw.messages);
    expect(got.duplicateCount).toBe(raw.duplicateCount);
    expect(got.openExceptions).toBe(raw.openExceptions);
  });
});
