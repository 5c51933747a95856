/**
 * Postgres advisory locks of the app, one number each, so no two uses pick the same one by chance.
 * Each is taken with `pg_advisory_xact_lock` and held until its transaction ends.
 */

/** Seeding the defaults and the demo data: one process at a time (several servers may start together). */
export const BOOTSTRAP_LOCK = 7311001;
/** Message batches apply under it one at a time; the rollup rebuild takes it too, to see no batch half done. */
export const INGEST_LOCK = 7311002;
/** A retention run drops one partition at a time under it: two runs (two servers, the CLI) never race on one. */
export const RETENTION_LOCK = 7311020;
