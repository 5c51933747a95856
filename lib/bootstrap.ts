/**
 * What every entry point runs after opening the database (migrations are applied by the open):
 * default settings, and on the embedded demo database the demo users.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '@/db';
import { BOOTSTRAP_LOCK } from '@/db/locks';
import { errorGlossary, ownershipMatrix, rootCauseRules, thresholds, users, ROLES } from '@/db/schema';
import { hashPassword } from '@/lib/auth/passwords';
import { env } from '@/lib/env';

export const DEMO_PASSWORD = 'demo-pass-2026';
export const demoEmail = (role: string) => `${role}@demo.synchealth.dev`;

/** Demo mode: the embedded database, or DEMO_MODE=1 on a server. Shows demo credentials on /login. */
export function demoMode(): boolean {
  const { DEMO_MODE, DATABASE_URL } = env();
  return DEMO_MODE ?? !DATABASE_URL;
}

export const DEFAULT_ROOT_CAUSE_RULES = [
  {
    priority: 10,
    errorCodePattern: '^(OWN|FIELD_OWNER)',
    messagePattern: null,
    category: 'ownership',
    description: 'Field written by a system that does not own it',
  },
  {
    priority: 20,
    errorCodePattern: '^(ITEM|UOM|LOT|SERIAL|MD)',
    messagePattern: null,
    category: 'master_data',
    description: 'Item, UOM, lot or serial master data',
  },
  {
    priority: 30,
    errorCodePattern: null,
    messagePattern: 'unknown (item|sku|uom|unit of measure)|not lot.controlled|conversion',
    category: 'master_data',
    description: 'Master data named in the error text',
  },
  {
    priority: 40,
    errorCodePattern: '^(TIMEOUT|SEQ|PREREQ|ORDER_ALREADY)',
    messagePattern: null,
    category: 'timing',
    description: 'Timeouts, sequence and prerequisite errors',
  },
  {
    priority: 50,
    errorCodePattern: null,
    messagePattern: 'timed? ?out|before .* (delivered|posted)|prerequisite|not yet',
    category: 'timing',
    description: 'Timing named in the error text',
  },
  {
    priority: 60,
    errorCodePattern: '^(MAP|XFORM|STATUS_MAP)',
    messagePattern: null,
    category: 'mapping',
    description: 'Mapping and transformation',
  },
  {
    priority: 65,
    errorCodePattern: '^(LOC)',
    messagePattern: null,
    category: 'master_data',
    description: 'Unknown locations',
  },
  {
    priority: 70,
    errorCodePattern: null,
    messagePattern: 'mapping|transform|cannot map|invalid status',
    category: 'mapping',
    description: 'Mapping named in the error text',
  },
  {
    priority: 80,
    errorCodePattern: '^(DLQ|RETRY|DUP)',
    messagePattern: null,
    category: 'exception_handling',
    description: 'Retries, dead letters, duplicates',
  },
  {
    priority: 90,
    errorCodePattern: null,
    messagePattern: 'location .*(unknown|not found)|bin .*not found',
    category: 'master_data',
    description: 'Unknown locations',
  },
] as const;

export const DEFAULT_THRESHOLDS = [
  { kpi: 'failedMessageRate', amber: 0.01, red: 0.03, worse: 'up' },
  { kpi: 'firstPassFailureRate', amber: 0.03, red: 0.08, worse: 'up' },
  { kpi: 'avgProcessingDelayMs', amber: 60_000, red: 300_000, worse: 'up' },
  { kpi: 'p95ProcessingDelayMs', amber: 300_000, red: 1_800_000, worse: 'up' },
  { kpi: 'openExceptions', amber: 25, red: 100, worse: 'up' },
  { kpi: 'duplicateCount', amber: 1, red: 20, worse: 'up' },
  { kpi: 'mismatches', amber: 10, red: 100, worse: 'up' },
  { kpi: 'mismatchValue', amber: 1_000, red: 10_000, worse: 'up' },
  { kpi: 'duplicateManualCorrections', amber: 1, red: 5, worse: 'up' },
] as const;

const DEFAULT_OWNERSHIP = [
  { dataObject: 'item', field: 'description', owner: 'erp' },
  { dataObject: 'item', field: 'base_uom', owner: 'erp' },
  { dataObject: 'item', field: 'unit_cost', owner: 'erp' },
  { dataObject: 'item', field: 'lot_controlled', owner: 'erp' },
  { dataObject: 'item', field: 'status', owner: 'shared', precedence: 'erp wins on conflict' },
  { dataObject: 'inventory', field: 'location', owner: 'wms' },
  { dataObject: 'inventory', field: 'lot_status', owner: 'wms' },
  { dataObject: 'inventory', field: 'on_hand', owner: 'wms' },
  { dataObject: 'order', field: 'ship_date', owner: 'wms' },
  { dataObject: 'order', field: 'price', owner: 'erp' },
] as const;

const DEFAULT_GLOSSARY = [
  {
    errorCode: 'ITEM_NOT_FOUND',
    meaning: 'The receiving system does not know the SKU.',
    action: 'Send the item master first, then retry.',
  },
  {
    errorCode: 'UOM_INVALID',
    meaning: 'The unit of measure is not defined for this item.',
    action: 'Align the UOM conversions in both item masters.',
  },
  {
    errorCode: 'TIMEOUT',
    meaning: 'The target did not answer in time.',
    action: 'Check the target system; the retry usually succeeds.',
  },
  {
    errorCode: 'PREREQ_MISSING',
    meaning: 'A step arrived before its prerequisite was delivered.',
    action: 'Deliver the prerequisite, then replay.',
  },
  {
    errorCode: 'LOC_UNKNOWN',
    meaning: 'The location does not exist in the receiving system.',
    action: 'Create the location or correct the mapping.',
  },
  {
    errorCode: 'LOT_REQUIRED',
    meaning: 'The item is lot-controlled on one side only.',
    action: 'Align lot control in both item masters.',
  },
  {
    errorCode: 'LOT_NOT_FOUND',
    meaning: 'The receiving system does not know the lot (often a new lot from a split).',
    action: 'Create the lot in the receiving system, then replay.',
  },
] as const;

export async function seedDefaults(db: Db) {
  await db.transaction(async (tx) => {
    // Serialise concurrent first starts (several servers on one Postgres).
    await tx.execute(sql`select pg_advisory_xact_lock(${BOOTSTRAP_LOCK})`);
    // Defaults go into an empty table only: what an admin removed stays removed after a restart.
    const empty = async (
      table: typeof rootCauseRules | typeof thresholds | typeof ownershipMatrix | typeof errorGlossary,
    ) => (await tx.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(table))[0].n === 0;
    if (await empty(rootCauseRules))
      await tx.insert(rootCauseRules).values(DEFAULT_ROOT_CAUSE_RULES.map((r) => ({ ...r })));
    if (await empty(thresholds))
      await tx.insert(thresholds).values(DEFAULT_THRESHOLDS.map((t) => ({ ...t, facility: '*' })));
    if (await empty(ownershipMatrix)) await tx.insert(ownershipMatrix).values(DEFAULT_OWNERSHIP.map((o) => ({ ...o })));
    if (await empty(errorGlossary)) await tx.insert(errorGlossary).values(DEFAULT_GLOSSARY.map((g) => ({ ...g })));
  });
}

export async function seedDemoUsers(db: Db) {
  const hash = await hashPassword(DEMO_PASSWORD);
  await db
    .insert(users)
    .values(ROLES.map((role) => ({ email: demoEmail(role), name: `Demo ${role}`, role, passwordHash: hash })))
    .onConflictDoNothing();
}

export async function bootstrap(db: Db, opts: { demo?: boolean } = {}) {
  await seedDefaults(db);
  if (opts.demo ?? demoMode()) await seedDemoUsers(db);
}
