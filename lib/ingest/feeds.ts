/**
 * The other feeds of SPEC 3.2 (items, corrections, changes): per-record validation, rejected
 * records quarantined, valid ones written in one set-based statement per batch.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { rows, type Db, type Tx } from '@/db';
import { recomputeMasterData } from '@/lib/master-data/recompute';
import { changeRecord, correctionRecord, issuesToStrings, itemRecord } from '@/lib/api/schemas';
import type { RawRecord, Rejected } from '@/lib/api/schemas';
import { quarantineRecords } from '@/lib/ingest/quarantine';
import type { IngestResult } from '@/lib/ingest/messages';

interface Feed<S extends z.ZodType> {
  name: string;
  schema: S;
  key: (r: z.output<S>) => string;
  keyOf: (value: unknown) => string | null;
  /**
   * Which of a batch's records of one key is written: the last (a newer state of the same thing,
   * as a replay across batches would leave it), or the first (facts, where the stored one is kept
   * and a later record of its id changes nothing, in the same batch or another).
   */
  keep: 'first' | 'last';
  /** One statement writing `json` (an array of records) that returns one row per written record with `inserted`. */
  write: (json: string) => SQL;
  /** Runs in the batch's transaction when a record was written (derived data kept current). */
  afterWrite?: (tx: Tx) => Promise<void>;
}

async function ingestFeed<S extends z.ZodType>(
  db: Db,
  feed: Feed<S>,
  records: RawRecord[],
  source: string | null,
): Promise<IngestResult> {
  const rejected: Rejected[] = [];
  const byKey = new Map<string, z.output<S>>();
  let superseded = 0;
  records.forEach((r, index) => {
    const key = feed.keyOf(r.value);
    if (r.parseError) return void rejected.push({ index, key, errors: [r.parseError], raw: r.raw });
    const parsed = feed.schema.safeParse(r.value);
    if (!parsed.success)
      return void rejected.push({ index, key, errors: issuesToStrings(parsed.error, r.value), raw: r.raw });
    const k = feed.key(parsed.data);
    if (byKey.has(k)) {
      superseded++;
      if (feed.keep === 'first') return;
    }
    byKey.set(k, parsed.data);
  });
  const result: IngestResult = {
    accepted: 0,
    updated: 0,
    unchanged: superseded,
    rejected: rejected.map(({ raw: _raw, ...r }) => r),
  };
  await db.transaction(async (tx) => {
    if (byKey.size) {
      const written = await rows<{ inserted: boolean }>(tx, feed.write(JSON.stringify([...byKey.values()])));
      for (const w of written) {
        if (w.inserted) result.accepted++;
        else result.updated++;
      }
      result.unchanged += byKey.size - written.length;
      if (written.length) await feed.afterWrite?.(tx);
    }
    await quarantineRecords(tx, feed.name, source, rejected);
  });
  return result;
}

const field = (v: unknown, name: string) =>
  v && typeof v === 'object' && typeof (v as Record<string, unknown>)[name] === 'string'
    ? String((v as Record<string, unknown>)[name])
    : null;

export function ingestItems(db: Db, records: RawRecord[], source: string | null) {
  return ingestFeed(
    db,
    {
      name: 'items',
      schema: itemRecord,
      key: (r) => `${r.system}|${r.sku}`,
      keyOf: (v) => (field(v, 'sku') ? `${field(v, 'system')}|${field(v, 'sku')}` : null),
      keep: 'last',
      write: (json) => sql`
        insert into items as t (system, sku, description, base_uom, uoms, lot_controlled, serial_controlled, unit_cost,
          status, updated_at)
        select r.system, r.sku, r.description, r."baseUom", r.uoms, r."lotControlled", r."serialControlled",
          r."unitCost"::numeric, r.status, now()
        from jsonb_to_recordset(${json}::jsonb) as r(system text, sku text, description text, "baseUom" text, uoms
          jsonb,
          "lotControlled" boolean, "serialControlled" boolean, "unitCost" text, status text)
        on conflict (system, sku) do update set description = excluded.description, base_uom = excluded.base_uom, uoms =
          excluded.uoms,
          lot_controlled = excluded.lot_controlled, serial_controlled = excluded.serial_controlled, unit_cost =
            excluded.unit_cost,
          status = excluded.status, updated_at = now()
        where (t.description, t.base_uom, t.uoms, t.lot_controlled, t.serial_controlled, t.unit_cost, t.status)
          is distinct from (excluded.description, excluded.base_uom, excluded.uoms, excluded.lot_controlled,
            excluded.serial_controlled, excluded.unit_cost, excluded.status)
        returning (xmax = 0) as inserted`,
      afterWrite: recomputeMasterData,
    },
    records,
    source,
  );
}

/** Corrections are facts: idempotent on correctionId, the first record of an id is kept. */
export function ingestCorrections(db: Db, records: RawRecord[], source: string | null) {
  return ingestFeed(
    db,
    {
      name: 'corrections',
      schema: correctionRecord,
      key: (r) => r.correctionId,
      keyOf: (v) => field(v, 'correctionId'),
      keep: 'first',
      write: (json) => sql`
        insert into manual_corrections (correction_id, system, facility, sku, location, lot, quantity_delta, uom,
          reason_code, user_name, at, effort_minutes)
        select r."correctionId", r.system, r.facility, r.sku, r.location, r.lot, r."quantityDelta"::numeric, r.uom,
          r."reasonCode", r."user",
          r.at::timestamptz, r."effortMinutes"
        from jsonb_to_recordset(${json}::jsonb) as r("correctionId" text, system text, facility text, sku text, location
          text, lot text,
          "quantityDelta" text, uom text, "reasonCode" text, "user" text, at text, "effortMinutes" int)
        on conflict (correction_id) do nothing
        returning true as inserted`,
    },
    records,
    source,
  );
}

export function ingestChanges(db: Db, records: RawRecord[], source: string | null) {
  return ingestFeed(
    db,
    {
      name: 'changes',
      schema: changeRecord,
      key: (r) => r.changeId,
      keyOf: (v) => field(v, 'changeId'),
      keep: 'last',
      write: (json) => sql`
        insert into change_log as t (change_id, at, system, kind, summary, integration_reviewed)
        select r."changeId", r.at::timestamptz, r.system, r.kind, r.summary, r."integrationReviewed"
        from jsonb_to_recordset(${json}::jsonb) as r("changeId" text, at text, system text, kind text, summary text,
          "integrationReviewed" boolean)
        on conflict (change_id) do update set at = excluded.at, system = excluded.system, kind = excluded.kind, summary
          = excluded.summary,
          integration_reviewed = excluded.integration_reviewed
        where (t.at, t.system, t.kind, t.summary, t.integration_reviewed) is distinct from (excluded.at,
          excluded.system, excluded.kind, excluded.summary, excluded.integration_reviewed)
        returning (xmax = 0) as inserted`,
    },
    records,
    source,
  );
}
