CREATE TABLE "master_data_findings" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"sku" text NOT NULL,
	"other_sku" text,
	"field" text,
	"erp_value" text,
	"wms_value" text,
	"detected_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
--> statement-breakpoint
ALTER TABLE "reconciliation_differences" ADD COLUMN "wms_location" text;--> statement-breakpoint
ALTER TABLE "reconciliation_differences" ADD COLUMN "wms_lot" text;--> statement-breakpoint
ALTER TABLE "reconciliation_differences" ADD COLUMN "erp_uoms" text;--> statement-breakpoint
ALTER TABLE "reconciliation_differences" ADD COLUMN "wms_uoms" text;--> statement-breakpoint
ALTER TABLE "reconciliation_runs" ADD COLUMN "chunks" jsonb;--> statement-breakpoint
ALTER TABLE "reconciliation_runs" ADD COLUMN "chunks_done" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "reconciliation_runs" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "reconciliation_runs" ADD COLUMN "heartbeat_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "snapshots" ADD COLUMN "unique_positions" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "snapshots" ADD COLUMN "source" text;--> statement-breakpoint
CREATE INDEX "master_data_findings_kind_idx" ON "master_data_findings" USING btree ("kind","sku");--> statement-breakpoint
CREATE INDEX "reconciliation_differences_sku_idx" ON "reconciliation_differences" USING btree ("run_id","sku");--> statement-breakpoint--> statement-breakpoint
-- snapshot_rows becomes partitioned by snapshot: each snapshot is loaded into a table of its own
-- and attached whole (lib/recon/snapshots.ts), scans touch one snapshot only, and dropping an old
-- snapshot is dropping its partition. Existing rows move over. (Hand-written: drizzle-kit does
-- not model partitions; the TypeScript schema keeps describing the parent.)
ALTER TABLE "snapshot_rows" RENAME TO "snapshot_rows_unpartitioned";--> statement-breakpoint
CREATE TABLE "snapshot_rows" (
	"snapshot_id" bigint NOT NULL,
	"sku" text NOT NULL,
	"location" text DEFAULT '' NOT NULL,
	"lot" text DEFAULT '' NOT NULL,
	"uom" text NOT NULL,
	"quantity" numeric NOT NULL
) PARTITION BY LIST ("snapshot_id");--> statement-breakpoint
DROP INDEX IF EXISTS "snapshot_rows_snapshot_idx";--> statement-breakpoint
CREATE INDEX "snapshot_rows_snapshot_idx" ON "snapshot_rows" USING btree ("snapshot_id","sku","location","lot");--> statement-breakpoint
DO $$
DECLARE s bigint;
BEGIN
  FOR s IN SELECT DISTINCT snapshot_id FROM snapshot_rows_unpartitioned LOOP
    EXECUTE format('CREATE TABLE snapshot_rows_%s PARTITION OF snapshot_rows FOR VALUES IN (%s)', s, s);
  END LOOP;
END $$;--> statement-breakpoint
INSERT INTO "snapshot_rows" ("snapshot_id", "sku", "location", "lot", "uom", "quantity")
  SELECT "snapshot_id", "sku", "location", "lot", "uom", "quantity" FROM "snapshot_rows_unpartitioned";--> statement-breakpoint
DROP TABLE "snapshot_rows_unpartitioned";
