/**
 * Snapshot import (SPEC 3.2): rows arrive as a stream of batches (JSON or CSV), are validated one
 * by one and written in a single transaction — COPY on Postgres, set-based inserts on PGlite. A
 * snapshot with any invalid row stores nothing: the transaction is rolled back, the invalid rows
 * are kept in the quarantine with their errors, and the answer lists them (422).
 *
 * One snapshot per system, facility and takenAt: the same snapshot sent again (same rows) is
 * answered as unchanged, the existing one's id and nothing written; other rows under a taken
 * name are a conflict (409). The rows' hash, kept on the snapshot, makes the usual resend cheap.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rows as selectRows, type DbHandle } from '@/db';
import { CopyRows, copyFailure } from '@/db/copy';
import { AppError } from '@/lib/errors';
import {
  fastSnapshotRow,
  issuesToStrings,
  MAX_SNAPSHOT_ROWS,
  snapshotHeader,
  snapshotRow,
  type SnapshotRow,
} from '@/lib/api/schemas';
import type { Rejected } from '@/lib/api/schemas';
import { quarantineRecords } from '@/lib/ingest/quarantine';
import { PositionSet } from '@/lib/recon/position-set';
import {
  checkName,
  conflict,
  ContentHash,
  rename,
  Taken,
  Unchanged,
  type Ask,
  type Header,
} from '@/lib/recon/snapshot-name';

/** Where a snapshot goes: the database, and its postgres.js client when there is one (COPY). */
export type SnapshotTarget = Pick<DbHandle, 'db'> & Partial<Pick<DbHandle, 'pg'>>;

export type SnapshotEvent =
  | { kind: 'rows'; values: unknown[]; lines?: number[] }
  | { kind: 'header'; value: Record<string, unknown> }
  /** A row that could not even be read (CSV: wrong field count, bad encoding). */
  | { kind: 'bad'; index: number; line?: number; raw: string; errors: string[] };

/** Something stored as sent that a person should know of: a negative quantity, a position repeated. */
export interface SnapshotWarning {
  /** The row: its line in a CSV file (the header is line 1), its index in a JSON body's rows. */
  row: number;
  message: string;
}

export interface SnapshotResult {
  id: number;
  system: 'erp' | 'wms';
  facility: string;
  takenAt: string;
  rows: number;
  /** True when this very snapshot was stored already: `id` is the stored one, nothing was written. */
  unchanged: boolean;
  /** The first WARNING_CAP warnings; `warningCount` counts them all. */
  warnings: SnapshotWarning[];
  warningCount: number;
}

/** Rejected rows listed in an answer; all of them (up to QUARANTINE_CAP) are kept in the quarantine. */
const ANSWER_CAP = 1000;
const QUARANTINE_CAP = 10_000;
const WARNING_CAP = 1000;
const BATCH = 5000;

class Invalid extends Error {}

/** A quantity below zero (not "-0" or "-0.00"). */
const NEGATIVE = /^-(?!0*\.?0*$)/;

interface Sink {
  /**
   * Reads while rows stream in: on the embedded database inside the snapshot's transaction (it holds the one
   * connection); on a server from the pool (the transaction's connection is busy with the COPY).
   */
  read: Ask;
  write(rows: SnapshotRow[]): Promise<void>;
  finish(header: Header, count: number, contentHash: string): Promise<number>;
}

const PENDING = () => `~pending ${randomUUID()}`;

let copyFaultForTests = false;
/**
 * Tests make the server refuse a snapshot's COPY data (a line it cannot read), to prove the import then fails instead
 * of hanging.
 */
export function setSnapshotCopyFaultForTests(on: boolean) {
  copyFaultForTests = on;
}

/**
 * The rows of snapshot `id` go to a table of their own, attached to snapshot_rows as its partition
 * at the end: loading a bare table and indexing it once is several times faster than feeding a
 * live index row by row, and attaching locks the parent only against other attaches, briefly.
 */
const partition = (id: number) => `snapshot_rows_${Math.trunc(id)}`;
const createPartition = (id: number) => `create table ${partition(id)} (like snapshot_rows including defaults)`;
const attachPartition = (id: number) => [
  `alter table ${partition(id)} add constraint ${partition(id)}_one check (snapshot_id = ${Math.trunc(id)})`,
  `alter table snapshot_rows attach partition ${partition(id)} for values in (${Math.trunc(id)})`,
  `analyze ${partition(id)}`,
];

async function withSink<T>(handle: SnapshotTarget, source: string | null, fn: (sink: Sink) => Promise<T>): Promise<T> {
  // The header may come after the rows: the snapshot's row is created first under a name no real
  // facility has, and renamed at the end — all inside the transaction.
  const pool = handle.pg;
  if (pool) {
    return (await pool.begin(async (tx) => {
      const [{ id }] = await tx<
        { id: number }[]
      >`insert into snapshots (system, facility, taken_at, source) values ('erp', ${PENDING()}, now(), ${source}) returning id::int as id`;
      await tx.unsafe(createPartition(id));
      const query = tx.unsafe(`copy ${partition(id)} (snapshot_id, sku, location, lot, uom, quantity) from stdin`);
      // The server refusing the data settles nothing on the stream itself: every wait races this.
      const refused = copyFailure(query);
      const stream = await query.writable();
      let failed: Error | null = null;
      stream.on('error', (e: Error) => (failed = e));
      refused.catch((e: Error) => (failed = e));
      const closed = Promise.race([
        refused,
        new Promise<void>((resolve, reject) => {
          stream.on('finish', resolve);
          stream.on('error', reject);
        }),
      ]);
      closed.catch(() => {}); // awaited by finish(); a write that fails first reports the error
      const sink: Sink = {
        read: (strings, ...values) => pool(strings, ...(values as never[])) as never,
        async write(list) {
          if (failed) throw failed;
          const rows = new CopyRows();
          for (const r of list) rows.add([id, r.sku, r.location, r.lot, r.uom, r.quantity]);
          if (copyFaultForTests) stream.write('not a row\n');
          if (!stream.write(rows.bytes()))
            await Promise.race([refused, new Promise<void>((resolve) => stream.once('drain', resolve))]);
        },
        async finish(h, count, contentHash) {
          stream.end();
          await closed;
          for (const statement of attachPartition(id)) await tx.unsafe(statement);
          const ask: Ask = (strings, ...values) => tx(strings, ...(values as never[])) as never;
          await checkName(ask, h, id, count, contentHash);
          await rename(
            () => tx`update snapshots set system = ${h.system}, facility = ${h.facility},
              taken_at = ${h.takenAt}::timestamptz, row_count = ${count}, unique_positions = ${h.uniquePositions},
              unique_sku_keys = ${h.uniqueSkuKeys}, content_hash = ${contentHash} where id = ${id}`,
          );
          return id;
        },
      };
      try {
        return await fn(sink);
      } catch (e) {
        // Abort a COPY still open; one the server refused is over already (aborting it again
        // would only fail again, unhandled).
        if (!stream.writableEnded && !failed) stream.destroy();
        throw e;
      }
    })) as T;
  }
  return handle.db.transaction(async (tx) => {
    const [{ id }] = await selectRows<{ id: number }>(
      tx,
      sql`insert into snapshots (system, facility, taken_at, source) values ('erp', ${PENDING()}, now(), ${source})
        returning id::int as id`,
    );
    await tx.execute(sql.raw(createPartition(id)));
    const ask: Ask = (strings, ...values) => selectRows(tx, sql(strings, ...values));
    const sink: Sink = {
      read: ask,
      async write(list) {
        await tx.execute(sql`
          insert into ${sql.raw(partition(id))} (snapshot_id, sku, location, lot, uom, quantity)
          select ${id}, r.sku, r.location, r.lot, r.uom, r.quantity::numeric
          from jsonb_to_recordset(${JSON.stringify(list)}::jsonb) as r(sku text, location text, lot text, uom text,
            quantity text)`);
      },
      async finish(h, count, contentHash) {
        for (const statement of attachPartition(id)) await tx.execute(sql.raw(statement));
        await checkName(ask, h, id, count, contentHash);
        await rename(() =>
          tx.execute(sql`update snapshots set system = ${h.system}, facility = ${h.facility},
            taken_at = ${h.takenAt}::timestamptz, row_count = ${count}, unique_positions = ${h.uniquePositions},
            unique_sku_keys = ${h.uniqueSkuKeys}, content_hash = ${contentHash} where id = ${id}`),
        );
        return id;
      },
    };
    return fn(sink);
  });
}

/**
 * Imports one snapshot from a stream of events. `source` names the sender (kept on the snapshot
 * and on quarantined rows).
 */
export async function importSnapshot(
  handle: SnapshotTarget,
  /** The rows, or what reads them given a way to query inside the snapshot's transaction. */
  events: AsyncIterable<SnapshotEvent> | ((ask: Ask) => AsyncIterable<SnapshotEvent>),
  source: string | null,
): Promise<SnapshotResult> {
  const rejected: Rejected[] = [];
  let rejectedCount = 0;
  let header: { system: 'erp' | 'wms'; facility: string; takenAt: string } | null = null;
  let headerRaw: Record<string, unknown> | null = null;
  let count = 0;
  const positions = new PositionSet();
  const content = new ContentHash();
  let contentHash: string | null = null;
  const warnings: SnapshotWarning[] = [];
  let warningCount = 0;
  const warn = (row: number, message: string) => {
    if (warningCount++ < WARNING_CAP) warnings.push({ row, message });
  };
  const reject = (r: Rejected) => {
    rejectedCount++;
    if (rejected.length < QUARANTINE_CAP) rejected.push(r);
  };
  const result = (id: number, unchanged: boolean): SnapshotResult => {
    const h = header as unknown as { system: 'erp' | 'wms'; facility: string; takenAt: string };
    return {
      id,
      system: h.system,
      facility: h.facility,
      takenAt: h.takenAt,
      rows: count,
      unchanged,
      warnings,
      warningCount,
    };
  };
  const checkHeader = (value: Record<string, unknown>) => {
    headerRaw = value;
    const parsed = snapshotHeader.safeParse(value);
    if (!parsed.success) {
      throw new AppError(
        'validation_failed',
        'The snapshot header is invalid; nothing was stored.',
        issuesToStrings(parsed.error, value),
      );
    }
    header = { ...parsed.data, takenAt: new Date(parsed.data.takenAt).toISOString() };
  };

  try {
    const id = await withSink(handle, source, async (sink) => {
      let batch: SnapshotRow[] = [];
      for await (const ev of typeof events === 'function' ? events(sink.read) : events) {
        if (ev.kind === 'header') {
          checkHeader(ev.value);
          continue;
        }
        if (ev.kind === 'bad') {
          reject({ index: ev.index, key: ev.line ? `line ${ev.line}` : null, errors: ev.errors, raw: ev.raw });
          count++;
          continue;
        }
        // A CSV row's line is its index plus a constant (the header, and lines before it).
        const offset = ev.lines?.length ? ev.lines[0] - count : 0;
        for (let k = 0; k < ev.values.length; k++) {
          const value = ev.values[k];
          const index = count++;
          if (count > MAX_SNAPSHOT_ROWS)
            throw new AppError(
              'payload_too_large',
              `At most ${MAX_SNAPSHOT_ROWS.toLocaleString('en-US')} rows per snapshot.`,
            );
          let row = fastSnapshotRow(value);
          if (!row) {
            const parsed = snapshotRow.safeParse(value);
            if (!parsed.success) {
              const line = ev.lines?.[k];
              reject({
                index,
                key: line ? `line ${line}` : null,
                errors: issuesToStrings(parsed.error, value),
                raw: JSON.stringify(value) ?? String(value),
              });
              continue;
            }
            row = parsed.data;
          }
          if (rejectedCount) continue; // nothing will be stored: only keep validating
          const repeats = positions.add(row, index);
          if (repeats !== undefined)
            warn(
              index + offset,
              `repeats the sku ${row.sku}, location ${row.location || '(none)'} and lot ${row.lot || '(none)'} of ` +
                `row ${repeats + offset}: their quantities are summed`,
            );
          if (NEGATIVE.test(row.quantity)) warn(index + offset, `quantity ${row.quantity} is negative; kept as sent`);
          batch.push(row);
          if (batch.length >= BATCH) {
            content.add(batch);
            await sink.write(batch);
            batch = [];
          }
        }
      }
      if (!header)
        throw new AppError('validation_failed', 'The snapshot header is missing; nothing was stored.', [
          'system: is required',
          'facility: is required',
          'takenAt: is required',
        ]);
      if (rejectedCount) throw new Invalid();
      if (batch.length) {
        content.add(batch);
        await sink.write(batch);
      }
      const named = {
        ...(header as Omit<Header, 'uniquePositions' | 'uniqueSkuKeys'>),
        uniquePositions: !positions.duplicate,
        uniqueSkuKeys: !positions.foldedDuplicate,
      };
      contentHash = content.digest();
      return sink.finish(named, count, contentHash);
    });
    return result(id, false);
  } catch (e) {
    if (e instanceof Unchanged) return result(e.id, true);
    if (e instanceof Taken) {
      const h = header as unknown as Header;
      // Another request stored this name between our check and our rename (rare: attaching the
      // partition waits for the other's commit, so the check usually sees it): the same rows or not?
      const [taken] = await selectRows<{ id: number; hash: string | null }>(
        handle.db,
        sql`select id::int as id, content_hash as hash from snapshots
            where system = ${h.system} and facility = ${h.facility} and taken_at = ${h.takenAt}::timestamptz`,
      );
      if (taken && taken.hash === contentHash) return result(taken.id, true);
      throw conflict(h, taken?.id);
    }
    const batchId = randomUUID();
    const where = `snapshot ${batchId}${source ? ` from ${source}` : ''}`;
    if (e instanceof Invalid) {
      await quarantineRecords(handle.db, 'snapshots', where, rejected);
      throw new AppError(
        'validation_failed',
        `${rejectedCount.toLocaleString('en-US')} of ${count.toLocaleString('en-US')} rows are invalid; nothing of this snapshot was stored. Fix them and send it again.`,
        rejected.slice(0, ANSWER_CAP).map((r) => ({ index: r.index, line: r.key ?? undefined, errors: r.errors })),
        { rejectedCount, rows: count, quarantine: where },
      );
    }
    if (e instanceof AppError && e.code === 'validation_failed' && headerRaw !== null) {
      await quarantineRecords(handle.db, 'snapshots', where, [
        { index: -1, key: 'header', errors: e.details as string[], raw: JSON.stringify(headerRaw) },
      ]);
    }
    throw e;
  }
}
