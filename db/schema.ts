import { sql, type SQL } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/** Every timestamp is timestamptz; every quantity is numeric (never float). */
const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const ROLES = ['ops', 'finance', 'it', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const TX_TYPES = [
  'item_master',
  'purchase_order',
  'receipt',
  'putaway',
  'order_release',
  'pick',
  'shipment',
  'adjustment',
  'cycle_count',
  'transfer',
  'return',
  'lot_status',
  'serial_update',
  'order_cancel',
] as const;
export type TxType = (typeof TX_TYPES)[number];

export const DIRECTIONS = ['erp_to_wms', 'wms_to_erp'] as const;
export const MESSAGE_STATUSES = ['pending', 'retrying', 'delivered', 'failed', 'dead_letter'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];
export const SYSTEMS = ['erp', 'wms'] as const;
export const EXCEPTION_STATES = ['open', 'acknowledged', 'resolved', 'ignored'] as const;
export const ROOT_CAUSES = [
  'ownership',
  'master_data',
  'timing',
  'mapping',
  'exception_handling',
  'unclassified',
] as const;
export type RootCause = (typeof ROOT_CAUSES)[number];

// ---------------------------------------------------------------- people and machines

export const users = pgTable(
  'users',
  {
    id: serial('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    passwordHash: text('password_hash'),
    disabled: boolean('disabled').notNull().default(false),
    /**
     * Sessions begun before this are void: set when the account is switched off, so switching it on again does not
     * revive them.
     */
    sessionsFrom: tstz('sessions_from'),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('users_email_key').on(sql`lower(${t.email})`),
    check('users_role_check', sql`${t.role} in ('ops','finance','it','manager','admin')`),
  ],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    /** The first characters of the key, to recognise it in lists; never enough to use it. */
    prefix: text('prefix').notNull(),
    /** SHA-256 of the whole key: keys are 192-bit random, so a slow hash adds nothing. */
    keyHash: text('key_hash').notNull(),
    /**
     * What the key may do (SPEC 7): `ingest`, `read`, `admin` (lib/auth/route-policy.ts KEY_SCOPES).
     * Keys made before scopes existed keep doing what they did: ingest and read.
     */
    scopes: text('scopes')
      .array()
      .notNull()
      .default(sql`'{ingest,read}'::text[]`),
    createdAt: tstz('created_at').notNull().defaultNow(),
    lastUsedAt: tstz('last_used_at'),
    revokedAt: tstz('revoked_at'),
  },
  (t) => [
    uniqueIndex('api_keys_hash_key').on(t.keyHash),
    uniqueIndex('api_keys_active_name_key')
      .on(t.name)
      .where(sql`${t.revokedAt} is null`),
  ],
);

/**
 * Security events that belong to no exception: password sign-ins (`signin.failed`, `signin.ok`) and
 * lockouts (`signin.locked`, `detail`: `{ scope: 'account' | 'address', until, failures }`). The
 * sign-in throttle (lib/auth/throttle.ts) counts its failures here, so the count holds across
 * restarts and across app servers.
 */
export const securityAudit = pgTable(
  'security_audit',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: tstz('at').notNull().defaultNow(),
    /** Who: the email signed in with (lower case), as typed, whether or not such an account exists. */
    actor: text('actor'),
    /** The client address the request came from (lib/auth/throttle.ts says how it is read). */
    address: text('address'),
    action: text('action').notNull(),
    detail: jsonb('detail'),
  },
  (t) => [
    index('security_audit_actor_idx').on(t.actor, t.action, t.at),
    index('security_audit_address_idx').on(t.address, t.action, t.at),
  ],
);

// ---------------------------------------------------------------- the integration log

/**
 * The UTC day of a message's creation, as the SKU index keys it. Queries must spell it exactly
 * so (the column may be qualified) for the planner to match the index expression.
 */
export const skuDay = (column = 'created_at') => `date_bin('1 day', ${column}, '2000-01-01 00:00:00+00')`;

/**
 * A facility's SKU as the SKU index keys it after the day: a 32-bit hash of the two, where the
 * text pair cost twice as much to keep (every insert compared strings down the index, and wrote a
 * wide entry). The index keys the columns (the defaults); a reader gives the qualified columns for
 * one side and the facility and SKU it looks for (text) for the other, so both hash alike, and
 * matches the columns too: two SKUs may share a hash (lib/messages/sku.ts).
 */
export const skuKey = (facility: SQL | string = 'facility', sku: SQL | string = 'sku') => {
  const part = (v: SQL | string) => (typeof v === 'string' ? sql.raw(v) : v);
  return sql`hashtext(${part(facility)} || '|' || ${part(sku)})`;
};

/** A message's columns: the log's, and kept_messages' (the rows retention moves aside) below. */
const messageColumns = () => ({
  /**
   * The sender's id. Unique over the whole log, which is partitioned by month of createdAt
   * (db/partitions.ts), through `message_keys`; a partitioned table's own key must hold its
   * partition column.
   */
  messageId: text('message_id').notNull(),
  txType: text('tx_type', { enum: TX_TYPES }).notNull(),
  direction: text('direction', { enum: DIRECTIONS }).notNull(),
  facility: text('facility').notNull(),
  correlationKey: text('correlation_key'),
  lineKey: text('line_key'),
  sku: text('sku'),
  quantity: numeric('quantity'),
  uom: text('uom'),
  lot: text('lot'),
  location: text('location'),
  status: text('status', { enum: MESSAGE_STATUSES }).notNull(),
  attempts: integer('attempts').notNull().default(1),
  errorCode: text('error_code'),
  errorMessage: text('error_message'),
  createdAt: tstz('created_at').notNull(),
  processedAt: tstz('processed_at'),
  updatedAt: tstz('updated_at').notNull(),
  payload: jsonb('payload'),
  /** Whom an outbound document is for (optional; the weekly review ranks exceptions by it). */
  customer: text('customer'),
  /** Maintained by the ingest: delivered and repeating an earlier delivered copy within 24 h. */
  isDuplicate: boolean('is_duplicate').notNull().default(false),
  receivedAt: tstz('received_at').notNull().defaultNow(),
});

export const integrationMessages = pgTable('integration_messages', messageColumns(), (t) => [
  // Tiles read rollups; the raw log is read by created_at only at a window's partial edges. The
  // key leads with created_at and serves those reads (no index of its own), and a live feed's
  // inserts land at its right edge instead of a random place in a text index.
  primaryKey({ columns: [t.createdAt, t.messageId] }),
  // A SKU's messages, by day first: a batch's inserts land in today's part of the index, where
  // (facility, sku) first put each one at a random place in an index of the whole log (at ten
  // million messages it outgrew the server's buffers and made COPY wait on page writes). Then the
  // facility and SKU as one hash (skuKey). Readers walk the days back from the newest
  // (lib/messages/sku.ts).
  index('integration_messages_sku_key_idx')
    .on(sql.raw(skuDay()), skuKey())
    .where(sql`${t.sku} is not null`),
  // A document's messages: search, the timeline, and duplicate detection (a message's content
  // includes its correlation key, so the copies of a content are among its document's messages).
  // Only ever looked up by equality: a hash index, half the upkeep of a B-tree on the text.
  index('integration_messages_document_hash_idx')
    .using('hash', t.correlationKey)
    .where(sql`${t.correlationKey} is not null`),
]);

/**
 * Messages whose time partition retention dropped while an open exception still referred to them
 * (lib/retention/kept.ts): moved here just before the drop, one row per message, and read by the
 * message detail and the exception pages beside the log. Bounded by the exceptions, not the log.
 */
export const keptMessages = pgTable('kept_messages', {
  ...messageColumns(),
  messageId: text('message_id').primaryKey(),
  keptAt: tstz('kept_at').notNull().defaultNow(),
});

/**
 * Each message id once, with the createdAt of its stored row: the log's partitions cannot keep an id
 * unique among them, this table's key does, and it tells in which partition a message lives. A
 * retention drop of a month leaves its keys behind; the ingest treats a key without a row as free.
 */
export const messageKeys = pgTable('message_keys', {
  messageId: text('message_id').primaryKey(),
  createdAt: tstz('created_at').notNull(),
});

/**
 * Versions of a message that a later record replaced (the current one is the row itself), so a
 * message's status history can be shown. New messages cost nothing here.
 */
export const messageHistory = pgTable(
  'message_history',
  {
    /** With replacedAt the key: the table is partitioned by month of replacedAt (db/partitions.ts). */
    id: bigserial('id', { mode: 'number' }).notNull(),
    messageId: text('message_id').notNull(),
    status: text('status', { enum: MESSAGE_STATUSES }).notNull(),
    attempts: integer('attempts').notNull(),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    processedAt: tstz('processed_at'),
    updatedAt: tstz('updated_at').notNull(),
    replacedAt: tstz('replaced_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.replacedAt, t.id] }),
    index('message_history_message_idx').on(t.messageId, t.updatedAt),
  ],
);

/** Rejected records of every feed, kept with their raw text and the reasons. */
export const quarantine = pgTable(
  'quarantine',
  {
    /** With receivedAt the key: the quarantine is partitioned by month of receivedAt (db/partitions.ts). */
    id: bigserial('id', { mode: 'number' }).notNull(),
    feed: text('feed').notNull(),
    receivedAt: tstz('received_at').notNull().defaultNow(),
    source: text('source'),
    recordIndex: integer('record_index'),
    recordKey: text('record_key'),
    raw: text('raw').notNull(),
    errors: jsonb('errors').$type<string[]>().notNull(),
    /** The import (SPEC 10) whose file held the record; null for the JSON API's feeds. */
    importId: bigint('import_id', { mode: 'number' }),
    /** The file of that import the row came from (an import may read several). */
    fileName: text('file_name'),
    /**
     * What makes a rejected record one and the same (lib/ingest/quarantine.ts): a digest of feed,
     * source, import, file, place, raw text and reasons. A batch sent again after an unclear
     * commit adds nothing (unique through `quarantine_keys`). Null on rows kept before it existed.
     */
    identity: text('identity'),
  },
  (t) => [
    // Newest first, as the list reads it.
    primaryKey({ columns: [t.receivedAt, t.id] }),
    index('quarantine_import_idx')
      .on(t.importId, t.recordIndex)
      .where(sql`${t.importId} is not null`),
  ],
);

/**
 * Each quarantined record's identity once: the quarantine's months cannot keep it unique among
 * them. A retention drop of a month leaves its identities behind (a record sent again after that is
 * still the same record, kept once).
 */
export const quarantineKeys = pgTable('quarantine_keys', {
  identity: text('identity').primaryKey(),
});

// ---------------------------------------------------------------- rollups (SPEC 2: tiles never scan the log)

const rollupColumns = {
  facility: text('facility').notNull(),
  txType: text('tx_type').notNull(),
  direction: text('direction').notNull(),
  messages: bigint('messages', { mode: 'number' }).notNull().default(0),
  /** failed or dead_letter (the failure rate's numerator); of those, dead_letter alone below. */
  failed: bigint('failed', { mode: 'number' }).notNull().default(0),
  deadLetter: bigint('dead_letter', { mode: 'number' }).notNull().default(0),
  /** With messages, delivered, failed and deadLetter: every status's count (the log explorer's totals). */
  retrying: bigint('retrying', { mode: 'number' }).notNull().default(0),
  firstPassFailed: bigint('first_pass_failed', { mode: 'number' }).notNull().default(0),
  delivered: bigint('delivered', { mode: 'number' }).notNull().default(0),
  /** Sum of processedAt − createdAt in microseconds over delivered messages (exact). */
  delaySumUs: numeric('delay_sum_us').notNull().default('0'),
  duplicates: bigint('duplicates', { mode: 'number' }).notNull().default(0),
};

export const messageRollupHourly = pgTable(
  'message_rollup_hourly',
  { bucket: tstz('bucket').notNull(), ...rollupColumns },
  (t) => [primaryKey({ columns: [t.bucket, t.facility, t.txType, t.direction] })],
);

export const messageRollupDaily = pgTable(
  'message_rollup_daily',
  { bucket: tstz('bucket').notNull(), ...rollupColumns },
  (t) => [primaryKey({ columns: [t.bucket, t.facility, t.txType, t.direction] })],
);

/**
 * Delay sketches (lib/kpi/delay-sketch.ts) per hour, day and week (weeks start on Monday, UTC),
 * per rollup cell and, with txType and direction '*', per facility. A row holds its bucket
 * indexes in ascending order and their counts, as two arrays of the same length; the ingest
 * merges a batch's changes into them under its batch lock, one row per touched cell and grain.
 * A 90-day window merges about 13 weeks and a few days per facility instead of 90 days, and the
 * counts rollups stay narrow. Keyed so that one txType (or '*') and grain is one range of buckets.
 */
/** The grains sketches are kept at; a window reads the coarsest that fit inside it. */
export const SKETCH_GRAINS = ['hour', 'day', 'week'] as const;
export type SketchGrain = (typeof SKETCH_GRAINS)[number];

export const delaySketches = pgTable(
  'delay_sketches',
  {
    grain: text('grain', { enum: SKETCH_GRAINS }).notNull(),
    txType: text('tx_type').notNull(),
    bucket: tstz('bucket').notNull(),
    facility: text('facility').notNull(),
    direction: text('direction').notNull(),
    delayIdx: integer('delay_idx').array().notNull(),
    delayN: bigint('delay_n', { mode: 'number' }).array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.grain, t.txType, t.bucket, t.facility, t.direction] })],
);

// Exception counts, kept by statement triggers on `exceptions` (migration 0004) whatever writes
// it: the ingest, the queue's actions, the demo. Opened per hour/day and root cause for
// exceptionsByRootCause; open now per facility and txType for openExceptions.
const exceptionRollupColumns = {
  facility: text('facility').notNull(),
  txType: text('tx_type').notNull(),
  rootCause: text('root_cause').notNull(),
  opened: bigint('opened', { mode: 'number' }).notNull().default(0),
};

export const exceptionRollupHourly = pgTable(
  'exception_rollup_hourly',
  { bucket: tstz('bucket').notNull(), ...exceptionRollupColumns },
  (t) => [primaryKey({ columns: [t.bucket, t.facility, t.txType, t.rootCause] })],
);

export const exceptionRollupDaily = pgTable(
  'exception_rollup_daily',
  { bucket: tstz('bucket').notNull(), ...exceptionRollupColumns },
  (t) => [primaryKey({ columns: [t.bucket, t.facility, t.txType, t.rootCause] })],
);

export const openExceptionCounts = pgTable(
  'open_exception_counts',
  {
    facility: text('facility').notNull(),
    txType: text('tx_type').notNull(),
    n: bigint('n', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.facility, t.txType] })],
);

// ---------------------------------------------------------------- exceptions

export const exceptions = pgTable(
  'exceptions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    messageId: text('message_id').notNull(),
    facility: text('facility').notNull(),
    txType: text('tx_type').notNull(),
    sku: text('sku'),
    fingerprint: text('fingerprint').notNull(),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    state: text('state', { enum: EXCEPTION_STATES }).notNull().default('open'),
    owner: text('owner'),
    rootCause: text('root_cause', { enum: ROOT_CAUSES }).notNull().default('unclassified'),
    rootCauseSource: text('root_cause_source').notNull().default('rule'),
    note: text('note'),
    effortMinutes: integer('effort_minutes'),
    openedAt: tstz('opened_at').notNull(),
    acknowledgedAt: tstz('acknowledged_at'),
    resolvedAt: tstz('resolved_at'),
    resolvedBy: text('resolved_by'),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    // At most one unclosed exception per message; a message failing again after a resolution opens a new one.
    uniqueIndex('exceptions_one_open_per_message')
      .on(t.messageId)
      .where(sql`${t.state} in ('open','acknowledged')`),
    // Tiny: answers "open exceptions now" and "oldest open" in well under a millisecond at any size.
    index('exceptions_open_idx')
      .on(t.openedAt)
      .where(sql`${t.state} in ('open','acknowledged')`),
    index('exceptions_opened_idx').on(t.openedAt),
    index('exceptions_fingerprint_idx').on(t.fingerprint, t.openedAt),
    index('exceptions_resolved_idx')
      .on(t.resolvedAt)
      .where(sql`${t.resolvedAt} is not null`),
  ],
);

export const exceptionAudit = pgTable(
  'exception_audit',
  {
    /** With `at` the key: the audit log is partitioned by month of `at` (db/partitions.ts). */
    id: bigserial('id', { mode: 'number' }).notNull(),
    exceptionId: bigint('exception_id', { mode: 'number' })
      .notNull()
      .references(() => exceptions.id, { onDelete: 'cascade' }),
    at: tstz('at').notNull().defaultNow(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    detail: jsonb('detail'),
  },
  (t) => [primaryKey({ columns: [t.at, t.id] }), index('exception_audit_exception_idx').on(t.exceptionId, t.at)],
);

export const rootCauseRules = pgTable('root_cause_rules', {
  id: serial('id').primaryKey(),
  priority: integer('priority').notNull().default(100),
  /** Regular expression matched against the error code (case-insensitive); null matches any. */
  errorCodePattern: text('error_code_pattern'),
  /** Regular expression matched against the error message (case-insensitive); null matches any. */
  messagePattern: text('message_pattern'),
  category: text('category', { enum: ROOT_CAUSES }).notNull(),
  description: text('description'),
});

export const errorGlossary = pgTable('error_glossary', {
  errorCode: text('error_code').primaryKey(),
  meaning: text('meaning').notNull(),
  action: text('action'),
});

// ---------------------------------------------------------------- inventory and master data

export const snapshots = pgTable(
  'snapshots',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    system: text('system', { enum: SYSTEMS }).notNull(),
    facility: text('facility').notNull(),
    takenAt: tstz('taken_at').notNull(),
    rowCount: integer('row_count').notNull().default(0),
    /**
     * True when no (sku, location, lot) occurs twice: reconciliation can then compare rows without aggregating them
     * first.
     */
    uniquePositions: boolean('unique_positions').notNull().default(false),
    /**
     * True when no position repeats even once SKUs are compared under every matching rule (lib/sku-matching): a
     * reconciliation can then join its rows without aggregating them first, whatever rules it runs with. False for
     * snapshots stored before it existed (they take the aggregating path).
     */
    uniqueSkuKeys: boolean('unique_sku_keys').notNull().default(false),
    /** Who sent it: an API key's name or a person's email. */
    source: text('source'),
    /**
     * sha256 of the rows as sent (lib/recon/snapshots.ts): the same snapshot sent again is recognised
     * without reading its rows. Null for snapshots stored before it existed (their rows are compared).
     */
    contentHash: text('content_hash'),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('snapshots_system_facility_taken_key').on(t.system, t.facility, t.takenAt)],
);

export const snapshotRows = pgTable(
  'snapshot_rows',
  {
    /**
     * No foreign key on purpose: a per-row FK check costs ~7 s per million rows on import, and rows
     * are only ever written inside their snapshot's own transaction (lib/recon/snapshots.ts).
     */
    snapshotId: bigint('snapshot_id', { mode: 'number' }).notNull(),
    sku: text('sku').notNull(),
    location: text('location').notNull().default(''),
    lot: text('lot').notNull().default(''),
    uom: text('uom').notNull(),
    quantity: numeric('quantity').notNull(),
  },
  (t) => [index('snapshot_rows_snapshot_idx').on(t.snapshotId, t.sku, t.location, t.lot)],
);

export const reconciliationRuns = pgTable(
  'reconciliation_runs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    facility: text('facility').notNull(),
    status: text('status', { enum: ['queued', 'running', 'succeeded', 'failed'] })
      .notNull()
      .default('queued'),
    progress: doublePrecision('progress').notNull().default(0),
    counts: jsonb('counts').$type<Record<string, number>>().notNull().default({}),
    erpSnapshotId: bigint('erp_snapshot_id', { mode: 'number' }),
    wmsSnapshotId: bigint('wms_snapshot_id', { mode: 'number' }),
    requestedBy: text('requested_by'),
    /** SKU ranges the run is cut into; chunks before `chunksDone` are committed (a restart resumes there). */
    chunks: jsonb('chunks').$type<string[]>(),
    chunksDone: integer('chunks_done').notNull().default(0),
    /** The SKU matching rules the run compares with (the facility's, or the request's override). */
    skuMatching: jsonb('sku_matching').$type<{
      ignoreCase: boolean;
      ignoreSeparators: boolean;
      ignoreLeadingZeros: boolean;
    }>(),
    /** Joined ERP/WMS row pairs whose SKUs differ as written: matched only thanks to a rule. */
    matchedByRule: integer('matched_by_rule'),
    attempts: integer('attempts').notNull().default(0),
    heartbeatAt: tstz('heartbeat_at'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    startedAt: tstz('started_at'),
    finishedAt: tstz('finished_at'),
    error: text('error'),
  },
  (t) => [
    index('reconciliation_runs_facility_idx').on(t.facility, t.createdAt),
    // Never two at once for one facility.
    uniqueIndex('reconciliation_runs_one_active')
      .on(t.facility)
      .where(sql`${t.status} in ('queued','running')`),
  ],
);

export const reconciliationDifferences = pgTable(
  'reconciliation_differences',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    runId: bigint('run_id', { mode: 'number' })
      .notNull()
      .references(() => reconciliationRuns.id, { onDelete: 'cascade' }),
    facility: text('facility').notNull(),
    kind: text('kind', { enum: ['missing_in_erp', 'missing_in_wms', 'quantity', 'uom', 'lot', 'location'] }).notNull(),
    /** The item: the ERP item master's code when it knows the item (by the run's SKU rules), else the SKU as written. */
    sku: text('sku').notNull(),
    /** Each side's SKU as written in its snapshot (several, comma-separated, when a rule joined several texts). */
    erpSku: text('erp_sku'),
    wmsSku: text('wms_sku'),
    /** The ERP side's location and lot (the WMS side's when the ERP has no row). */
    location: text('location'),
    lot: text('lot'),
    /** The WMS side's location and lot when they differ from the ERP's (lot and location pairs). */
    wmsLocation: text('wms_location'),
    wmsLot: text('wms_lot'),
    erpUoms: text('erp_uoms'),
    wmsUoms: text('wms_uoms'),
    /** Quantities in base units. */
    erpQuantity: numeric('erp_quantity'),
    wmsQuantity: numeric('wms_quantity'),
    /** WMS minus ERP. Its value is not stored: |delta| × the current ERP unit cost (SPEC 4), joined when read. */
    delta: numeric('delta').notNull(),
    suspectedSource: text('suspected_source').notNull().default('unknown'),
  },
  (t) => [
    index('reconciliation_differences_run_idx').on(t.runId, t.kind),
    index('reconciliation_differences_sku_idx').on(t.runId, t.sku),
  ],
);

export const items = pgTable(
  'items',
  {
    system: text('system', { enum: SYSTEMS }).notNull(),
    sku: text('sku').notNull(),
    description: text('description'),
    baseUom: text('base_uom').notNull(),
    uoms: jsonb('uoms').$type<{ uom: string; toBase: string }[]>().notNull().default([]),
    lotControlled: boolean('lot_controlled').notNull().default(false),
    serialControlled: boolean('serial_controlled').notNull().default(false),
    unitCost: numeric('unit_cost'),
    status: text('status').notNull().default('active'),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.system, t.sku] })],
);

export const MASTER_DATA_FINDINGS = [
  'missing_in_erp',
  'missing_in_wms',
  'base_uom',
  'conversion',
  'lot_control',
  'serial_control',
  'status',
  'near_identical_code',
] as const;

/** The master data audit (SPEC 5), recomputed whenever item masters arrive. */
export const masterDataFindings = pgTable(
  'master_data_findings',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind', { enum: MASTER_DATA_FINDINGS }).notNull(),
    sku: text('sku').notNull(),
    /** For near-identical codes: the other code. */
    otherSku: text('other_sku'),
    field: text('field'),
    erpValue: text('erp_value'),
    wmsValue: text('wms_value'),
    detectedAt: tstz('detected_at').notNull().defaultNow(),
  },
  (t) => [index('master_data_findings_kind_idx').on(t.kind, t.sku)],
);

export const manualCorrections = pgTable(
  'manual_corrections',
  {
    correctionId: text('correction_id').primaryKey(),
    system: text('system', { enum: SYSTEMS }).notNull(),
    facility: text('facility').notNull(),
    sku: text('sku').notNull(),
    location: text('location'),
    lot: text('lot'),
    quantityDelta: numeric('quantity_delta').notNull(),
    uom: text('uom').notNull(),
    reasonCode: text('reason_code'),
    userName: text('user_name'),
    at: tstz('at').notNull(),
    effortMinutes: integer('effort_minutes'),
    receivedAt: tstz('received_at').notNull().defaultNow(),
  },
  (t) => [
    index('manual_corrections_at_idx').on(t.at),
    index('manual_corrections_facility_idx').on(t.facility, t.sku, t.at),
  ],
);

export const changeLog = pgTable(
  'change_log',
  {
    changeId: text('change_id').primaryKey(),
    at: tstz('at').notNull(),
    system: text('system').notNull(),
    kind: text('kind', { enum: ['mapping', 'config', 'release'] }).notNull(),
    summary: text('summary').notNull(),
    integrationReviewed: boolean('integration_reviewed').notNull().default(false),
  },
  (t) => [index('change_log_at_idx').on(t.at)],
);

// ---------------------------------------------------------------- settings

export const ownershipMatrix = pgTable(
  'ownership_matrix',
  {
    dataObject: text('data_object').notNull(),
    field: text('field').notNull(),
    owner: text('owner', { enum: ['erp', 'wms', 'shared'] }).notNull(),
    precedence: text('precedence'),
  },
  (t) => [primaryKey({ columns: [t.dataObject, t.field] })],
);

/**
 * How SKUs of a facility are compared by reconciliation and the master data audit (SPEC 10). '*' is the default for
 * every facility without rules of its own, and the rules of the master data audit (item masters have no facility).
 * Surrounding spaces are always ignored.
 */
export const skuMatchingRules = pgTable('sku_matching_rules', {
  facility: text('facility').primaryKey(),
  ignoreCase: boolean('ignore_case').notNull().default(true),
  ignoreSeparators: boolean('ignore_separators').notNull().default(false),
  ignoreLeadingZeros: boolean('ignore_leading_zeros').notNull().default(false),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

/** How long a lifecycle step may take to be delivered (SPEC 5); a step without a row has the default (1 h). */
export const stepSlas = pgTable('step_slas', {
  txType: text('tx_type').primaryKey(),
  slaMs: integer('sla_ms').notNull(),
});

export const thresholds = pgTable(
  'thresholds',
  {
    kpi: text('kpi').notNull(),
    /** '*' is the default for every facility. */
    facility: text('facility').notNull().default('*'),
    amber: doublePrecision('amber').notNull(),
    red: doublePrecision('red').notNull(),
    /** 'up' when higher is worse (failure rate), 'down' when lower is worse. */
    worse: text('worse', { enum: ['up', 'down'] })
      .notNull()
      .default('up'),
  },
  (t) => [primaryKey({ columns: [t.kpi, t.facility] })],
);

export const jobs = pgTable(
  'jobs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull(),
    status: text('status', { enum: ['queued', 'running', 'succeeded', 'failed'] })
      .notNull()
      .default('queued'),
    progress: doublePrecision('progress').notNull().default(0),
    params: jsonb('params'),
    result: jsonb('result'),
    error: text('error'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    startedAt: tstz('started_at'),
    heartbeatAt: tstz('heartbeat_at'),
    finishedAt: tstz('finished_at'),
  },
  (t) => [
    index('jobs_status_idx').on(t.status, t.createdAt),
    /** One job of a kind at a time: a second request while one is queued or running is refused. */
    uniqueIndex('jobs_one_active_per_kind_idx')
      .on(t.kind)
      .where(sql`status in ('queued', 'running')`),
  ],
);

export const REVIEW_CADENCES = ['daily', 'weekly', 'monthly'] as const;
export type ReviewCadence = (typeof REVIEW_CADENCES)[number];

/**
 * Who signed off a recurring review (SPEC 6), when, with what notes: one sign-off per cadence,
 * period (the first UTC day it covers, YYYY-MM-DD) and facility ('*' for all facilities).
 */
export const reviewSignoffs = pgTable(
  'review_signoffs',
  {
    id: serial('id').primaryKey(),
    cadence: text('cadence', { enum: REVIEW_CADENCES }).notNull(),
    period: text('period').notNull(),
    facility: text('facility').notNull().default('*'),
    /** The signer's email; name and role as they were when signing. */
    signedBy: text('signed_by').notNull(),
    signedByName: text('signed_by_name'),
    role: text('role', { enum: ROLES }),
    at: tstz('at').notNull().defaultNow(),
    notes: text('notes'),
  },
  (t) => [uniqueIndex('review_signoffs_period_idx').on(t.cadence, t.period, t.facility)],
);

// ---------------------------------------------------------------- imports from real systems (SPEC 10)

export const IMPORT_FORMATS = ['sap-idoc-status', 'oca-queue-job', 'celigo-errors', 'profile'] as const;
export type ImportFormatName = (typeof IMPORT_FORMATS)[number];
export const IMPORT_VIA = ['api', 'page', 'cli', 'watch'] as const;

/** One import: who or which key, the format, its options and files, what it did, and how long it took. */
export const importRuns = pgTable(
  'import_runs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    format: text('format', { enum: IMPORT_FORMATS }).notNull(),
    via: text('via', { enum: IMPORT_VIA }).notNull(),
    /** An API key's name or a person's email ('watch' imports: the folder). */
    source: text('source'),
    options: jsonb('options').$type<Record<string, string>>().notNull().default({}),
    files: jsonb('files').$type<{ name: string; size: number }[]>().notNull().default([]),
    bytes: bigint('bytes', { mode: 'number' }).notNull().default(0),
    status: text('status', { enum: ['running', 'succeeded', 'failed'] })
      .notNull()
      .default('running'),
    rows: integer('rows').notNull().default(0),
    accepted: integer('accepted').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    unchanged: integer('unchanged').notNull().default(0),
    rejected: integer('rejected').notNull().default(0),
    /** The first warnings ({ row, message }); `warningCount` counts them all. */
    warnings: jsonb('warnings').$type<{ row: number; message: string; file?: string }[]>().notNull().default([]),
    warningCount: integer('warning_count').notNull().default(0),
    /** Why the whole import failed (a 4xx or an error); null when it ran. */
    error: text('error'),
    startedAt: tstz('started_at').notNull().defaultNow(),
    finishedAt: tstz('finished_at'),
    durationMs: integer('duration_ms'),
  },
  (t) => [index('import_runs_started_idx').on(t.startedAt)],
);

/** Which messages an import wrote (accepted or updated): the history links to them. */
export const importMessages = pgTable(
  'import_messages',
  {
    importId: bigint('import_id', { mode: 'number' }).notNull(),
    messageId: text('message_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.messageId] })],
);

/**
 * SAP EDIDC control records as imported (SPEC 10): an IDoc's message is recomputed from its control
 * record and every EDIDS status row known, whichever import brought them.
 */
export const idocControl = pgTable('idoc_control', {
  /** As written: leading zeros kept. */
  docnum: text('docnum').primaryKey(),
  mestyp: text('mestyp'),
  direct: text('direct'),
  sndprn: text('sndprn'),
  rcvprn: text('rcvprn'),
  status: text('status'),
  /** CREDAT+CRETIM and UPDDAT+UPDTIM, read in the importing request's time zone. */
  createdAt: tstz('created_at'),
  updatedAt: tstz('updated_at'),
  raw: text('raw').notNull(),
  importId: bigint('import_id', { mode: 'number' }),
});

/** SAP EDIDS status rows as imported; they accumulate across imports. */
export const idocStatus = pgTable(
  'idoc_status',
  {
    docnum: text('docnum').notNull(),
    countr: integer('countr').notNull(),
    status: text('status').notNull(),
    /** LOGDAT+LOGTIM, read in the importing request's time zone. */
    loggedAt: tstz('logged_at'),
    stamid: text('stamid'),
    stamno: text('stamno'),
    statxt: text('statxt'),
    stapa1: text('stapa1'),
    stapa2: text('stapa2'),
    stapa3: text('stapa3'),
    stapa4: text('stapa4'),
    /** As read; empty when the IDoc's control record was known as the row came (it can then never be rejected). */
    raw: text('raw').notNull(),
    importId: bigint('import_id', { mode: 'number' }),
    /** The row's number in its file (a row rejected for want of a control record is reported by it). */
    rowNumber: integer('row_number'),
    fileName: text('file_name'),
  },
  (t) => [primaryKey({ columns: [t.docnum, t.countr] })],
);

/** Mapping profiles (SPEC 10), saved by name by an IT or admin user. */
export const importProfiles = pgTable('import_profiles', {
  name: text('name').primaryKey(),
  profile: jsonb('profile').notNull(),
  updatedBy: text('updated_by'),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

// ---------------------------------------------------------------- alerts (SPEC 9)

export const ALERT_RULE_KINDS = [
  'kpi',
  'oldest_exception_age',
  'open_exceptions',
  'new_exception_group',
  'mismatch_value',
  'review_overdue',
] as const;
export type AlertRuleKind = (typeof ALERT_RULE_KINDS)[number];
export const ALERT_SEVERITIES = ['critical', 'warning', 'info'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];
export const ALERT_STATES = ['normal', 'pending', 'firing'] as const;
export type AlertState = (typeof ALERT_STATES)[number];
/** What goes out: the four notifications of SPEC 9, and PagerDuty's acknowledge. */
export const ALERT_EVENTS = ['firing', 'resolved', 'escalated', 'repeat', 'acknowledged'] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];
export const ALERT_CHANNEL_TYPES = ['email', 'webhook', 'slack', 'teams', 'pagerduty'] as const;
export type AlertChannelType = (typeof ALERT_CHANNEL_TYPES)[number];
export const ALERT_DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'suppressed'] as const;

/** A channel of SPEC 9: its type's fields (to, url, secret, routingKey…) kept as given, flat. */
export const alertChannels = pgTable('alert_channels', {
  id: text('id').primaryKey(),
  type: text('type', { enum: ALERT_CHANNEL_TYPES }).notNull(),
  config: jsonb('config').$type<Record<string, unknown>>().notNull().default({}),
  /** A disabled channel gets no deliveries (the demo's example channel). */
  enabled: boolean('enabled').notNull().default(true),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

/** A rule of SPEC 9, its durations kept as written ('30s', '5m', '1h', '7d'). */
export const alertRules = pgTable('alert_rules', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  kind: text('kind', { enum: ALERT_RULE_KINDS }).notNull(),
  /** The numeric KPI of SPEC 4 when kind is 'kpi' (e.g. failedMessageRate). */
  kpi: text('kpi'),
  /** A facility code, null for all together, '*' for each facility on its own. */
  facility: text('facility'),
  txType: text('tx_type'),
  window: text('window'),
  op: text('op', { enum: ['>', '<'] })
    .notNull()
    .default('>'),
  threshold: doublePrecision('threshold').notNull(),
  resolveThreshold: doublePrecision('resolve_threshold'),
  pendingFor: text('pending_for').notNull().default('0s'),
  severity: text('severity', { enum: ALERT_SEVERITIES }).notNull().default('warning'),
  channels: jsonb('channels').$type<string[]>().notNull().default([]),
  notifyResolved: boolean('notify_resolved').notNull().default(true),
  repeatEvery: text('repeat_every'),
  escalateAfter: text('escalate_after'),
  escalateTo: jsonb('escalate_to').$type<string[]>().notNull().default([]),
  /** Fields of one kind only (review_overdue's time of day, …). */
  options: jsonb('options').$type<Record<string, unknown>>().notNull().default({}),
  enabled: boolean('enabled').notNull().default(true),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

/**
 * One alert per rule and scope (SPEC 9): its state now and the facts its notifications carry.
 * `facility` is the scope: null for a rule over all facilities together, the code otherwise.
 */
export const alerts = pgTable(
  'alerts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ruleId: text('rule_id').notNull(),
    facility: text('facility'),
    state: text('state', { enum: ALERT_STATES }).notNull().default('normal'),
    value: doublePrecision('value'),
    /** When the condition began to hold (pending), when it fired, when it last resolved. */
    pendingSince: tstz('pending_since'),
    startedAt: tstz('started_at'),
    resolvedAt: tstz('resolved_at'),
    acknowledgedAt: tstz('acknowledged_at'),
    acknowledgedBy: text('acknowledged_by'),
    acknowledgeNote: text('acknowledge_note'),
    /** The last firing or repeat notification to the rule's channels (repeatEvery counts from it). */
    lastNotifiedAt: tstz('last_notified_at'),
    escalatedAt: tstz('escalated_at'),
    /** An event held back by a silence, sent when the silence ends if still firing. */
    silencedEvent: text('silenced_event', { enum: ALERT_EVENTS }),
    evaluatedAt: tstz('evaluated_at'),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('alerts_rule_scope_idx').on(t.ruleId, sql`coalesce(${t.facility}, '')`),
    index('alerts_state_idx').on(t.state),
  ],
);

/** Every state change of an alert, with its time and value, and acknowledgements (who, note). */
export const alertTransitions = pgTable(
  'alert_transitions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    alertId: bigint('alert_id', { mode: 'number' }).notNull(),
    at: tstz('at').notNull().defaultNow(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    value: doublePrecision('value'),
    /** 'acknowledged', 'escalated', … when the row records an event rather than a state. */
    note: text('note'),
    by: text('by'),
  },
  (t) => [index('alert_transitions_alert_idx').on(t.alertId, t.at)],
);

/** Silences of SPEC 9: suppress notifications (not state) for matching alerts between two times. */
export const alertSilences = pgTable('alert_silences', {
  id: text('id').primaryKey(),
  ruleId: text('rule_id'),
  facility: text('facility'),
  startsAt: tstz('starts_at').notNull(),
  endsAt: tstz('ends_at').notNull(),
  comment: text('comment'),
  createdBy: text('created_by'),
  createdAt: tstz('created_at').notNull().defaultNow(),
});

/**
 * The outbox: one row per notification event, written in the transaction that changed the alert,
 * with the alert object of SPEC 9 as it was then. Deliveries are made from it, one per channel.
 */
export const alertEvents = pgTable(
  'alert_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    alertId: bigint('alert_id', { mode: 'number' }).notNull(),
    event: text('event', { enum: ALERT_EVENTS }).notNull(),
    alert: jsonb('alert').$type<Record<string, unknown>>().notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [index('alert_events_alert_idx').on(t.alertId, t.createdAt)],
);

/**
 * One delivery per (event, channel), written with its event: `id` is the Sync-Health-Delivery
 * header, the same on every retry. Claimed with FOR UPDATE SKIP LOCKED; `nextAttemptAt` is when
 * it may be tried (again).
 */
export const alertDeliveries = pgTable(
  'alert_deliveries',
  {
    id: text('id').primaryKey(),
    eventId: bigint('event_id', { mode: 'number' }).notNull(),
    channelId: text('channel_id').notNull(),
    status: text('status', { enum: ALERT_DELIVERY_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: tstz('next_attempt_at').notNull().defaultNow(),
    lastError: text('last_error'),
    deliveredAt: tstz('delivered_at'),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('alert_deliveries_event_channel_idx').on(t.eventId, t.channelId),
    index('alert_deliveries_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`status = 'pending'`),
  ],
);

/** Every attempt of a delivery, for the admin: when, how long, the answer or the error. */
export const alertDeliveryAttempts = pgTable(
  'alert_delivery_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deliveryId: text('delivery_id').notNull(),
    at: tstz('at').notNull().defaultNow(),
    ok: boolean('ok').notNull(),
    statusCode: integer('status_code'),
    error: text('error'),
    durationMs: integer('duration_ms'),
  },
  (t) => [index('alert_delivery_attempts_delivery_idx').on(t.deliveryId, t.at)],
);

/** Key-value facts about this database (demo data loaded, …). */
export const appMeta = pgTable('app_meta', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

export type User = typeof users.$inferSelect;
export type IntegrationMessage = typeof integrationMessages.$inferSelect;
export type ExceptionRow = typeof exceptions.$inferSelect;
export type AlertRuleRow = typeof alertRules.$inferSelect;
export type AlertRow = typeof alerts.$inferSelect;
export type AlertChannelRow = typeof alertChannels.$inferSelect;
