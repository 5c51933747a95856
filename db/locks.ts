/**
 * Postgres advisory locks of the app, one number each, so no two uses pick the same one by chance.
 * Each is taken with `pg_advisory_xact_lock` and held until its transaction ends.
 */

/** Seeding the defaults and the demo data: one process at a time (several servers may start together). */
export const BOOTSTRAP_LOCK = 7311001;
/** Message batches apply under it one at a time; the rollup rebuild takes it too, to see no batch half done. */
export const INGEST_LOCK = 7311002;
/**
 * Alert state changes (an evaluation pass's writes, an acknowledge) one at a time across servers:
 * a pass re-reads the alerts under it, so two servers never both emit the same event (SPEC 9).
 */
export const ALERTS_LOCK = 7311003;
/** Creating time partitions (db/partitions.ts): one creator at a time, each checking the catalog under it. */
export const PARTITION_LOCK = 7311004;
/** A retention run drops one partition at a time under it: two runs (two servers, the CLI) never race on one. */
export const RETENTION_LOCK = 7311020;
