CREATE TABLE "sku_matching_rules" (
	"facility" text PRIMARY KEY NOT NULL,
	"ignore_case" boolean DEFAULT true NOT NULL,
	"ignore_separators" boolean DEFAULT false NOT NULL,
	"ignore_leading_zeros" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "reconciliation_differences" ADD COLUMN "erp_sku" text;--> statement-breakpoint
ALTER TABLE "reconciliation_differences" ADD COLUMN "wms_sku" text;--> statement-breakpoint
ALTER TABLE "reconciliation_runs" ADD COLUMN "sku_matching" jsonb;--> statement-breakpoint
ALTER TABLE "reconciliation_runs" ADD COLUMN "matched_by_rule" integer;--> statement-breakpoint
ALTER TABLE "snapshots" ADD COLUMN "unique_sku_keys" boolean DEFAULT false NOT NULL;