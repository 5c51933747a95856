/**
 * Which tables each kind of data lives in: the ONE declaration retention reads (SPEC 11). A table
 * partitioned by RANGE on its time column loses whole partitions whose upper bound is at or before
 * the kind's cutoff; a table not (yet) partitioned is reported in the preview and skipped — never
 * emptied with a DELETE. Extend a kind's list when a table of it becomes partitioned or is added.
 */
import type { RetentionKind } from '@/lib/retention/settings';

export interface RangeTable {
  /** The partitioned parent, in the current schema. */
  table: string;
  /** Before a partition of it is dropped, the rows open exceptions refer to are moved to kept_messages. */
  keepOpenExceptionMessages?: boolean;
  /** Its dropped partitions move the raw-message horizon the KPIs read (lib/retention/horizon.ts). */
  horizon?: boolean;
  /**
   * A partition holding rows of the latest succeeded reconciliation of a facility (by `run_id`) is held
   * back: that run's differences are what the page and the mismatch KPIs show, however old.
   */
  holdLatestReconciliation?: boolean;
}

export interface KindTables {
  /** Tables partitioned by RANGE on time. */
  range: RangeTable[];
  /** snapshot_rows: LIST-partitioned by snapshot id, a partition goes with its snapshot's age. */
  snapshotRows?: string;
}

export type RetentionRegistry = Record<RetentionKind, KindTables>;

export const REGISTRY: RetentionRegistry = {
  messages: {
    range: [
      { table: 'integration_messages', keepOpenExceptionMessages: true, horizon: true },
      { table: 'message_history' },
    ],
  },
  quarantine: { range: [{ table: 'quarantine' }] },
  snapshots: { range: [], snapshotRows: 'snapshot_rows' },
  differences: { range: [{ table: 'reconciliation_differences', holdLatestReconciliation: true }] },
  audit: { range: [{ table: 'exception_audit' }] },
  alerts: {
    range: [
      { table: 'alert_transitions' },
      { table: 'alert_events' },
      { table: 'alert_deliveries' },
      { table: 'alert_delivery_attempts' },
    ],
  },
};

/** The rollups that outlive raw rows, with the column that dates a row. Kept `rollups` days. */
export const ROLLUP_TABLES = [
  { table: 'message_rollup_hourly', column: 'bucket' },
  { table: 'message_rollup_daily', column: 'bucket' },
  { table: 'delay_sketches', column: 'bucket' },
  { table: 'exception_rollup_hourly', column: 'bucket' },
  { table: 'exception_rollup_daily', column: 'bucket' },
] as const;
