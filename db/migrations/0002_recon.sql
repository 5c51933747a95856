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
CREATE INDEX "reconciliation_differences_sku_idx" ON "reconciliation_differences" USING btree ("run_id","sku");--> statement-breakpoint
ALTER TABLE "snapshot_rows" DROP COLUMN "facility";