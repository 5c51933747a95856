CREATE TABLE "api_keys" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "app_meta" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "change_log" (
	"change_id" text PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"system" text NOT NULL,
	"kind" text NOT NULL,
	"summary" text NOT NULL,
	"integration_reviewed" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "delay_sketch_daily" (
	"bucket" timestamp with time zone NOT NULL,
	"facility" text NOT NULL,
	"tx_type" text NOT NULL,
	"direction" text NOT NULL,
	"idx" integer NOT NULL,
	"n" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "delay_sketch_daily_bucket_facility_tx_type_direction_idx_pk" PRIMARY KEY("bucket","facility","tx_type","direction","idx")
);
--> statement-breakpoint
CREATE TABLE "delay_sketch_facility_daily" (
	"bucket" timestamp with time zone NOT NULL,
	"facility" text NOT NULL,
	"idx" integer NOT NULL,
	"n" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "delay_sketch_facility_daily_bucket_facility_idx_pk" PRIMARY KEY("bucket","facility","idx")
);
--> statement-breakpoint
CREATE TABLE "delay_sketch_facility_hourly" (
	"bucket" timestamp with time zone NOT NULL,
	"facility" text NOT NULL,
	"idx" integer NOT NULL,
	"n" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "delay_sketch_facility_hourly_bucket_facility_idx_pk" PRIMARY KEY("bucket","facility","idx")
);
--> statement-breakpoint
CREATE TABLE "delay_sketch_hourly" (
	"bucket" timestamp with time zone NOT NULL,
	"facility" text NOT NULL,
	"tx_type" text NOT NULL,
	"direction" text NOT NULL,
	"idx" integer NOT NULL,
	"n" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "delay_sketch_hourly_bucket_facility_tx_type_direction_idx_pk" PRIMARY KEY("bucket","facility","tx_type","direction","idx")
);
--> statement-breakpoint
CREATE TABLE "error_glossary" (
	"error_code" text PRIMARY KEY NOT NULL,
	"meaning" text NOT NULL,
	"action" text
);
--> statement-breakpoint
CREATE TABLE "exception_audit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"exception_id" bigint NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"detail" jsonb
);
--> statement-breakpoint
CREATE TABLE "exceptions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"message_id" text NOT NULL,
	"facility" text NOT NULL,
	"tx_type" text NOT NULL,
	"sku" text,
	"fingerprint" text NOT NULL,
	"error_code" text,
	"error_message" text,
	"state" text DEFAULT 'open' NOT NULL,
	"owner" text,
	"root_cause" text DEFAULT 'unclassified' NOT NULL,
	"root_cause_source" text DEFAULT 'rule' NOT NULL,
	"note" text,
	"effort_minutes" integer,
	"opened_at" timestamp with time zone NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"resolved_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "integration_messages" (
	"message_id" text PRIMARY KEY NOT NULL,
	"tx_type" text NOT NULL,
	"direction" text NOT NULL,
	"facility" text NOT NULL,
	"correlation_key" text,
	"line_key" text,
	"sku" text,
	"quantity" numeric,
	"uom" text,
	"lot" text,
	"location" text,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 1 NOT NULL,
	"error_code" text,
	"error_message" text,
	"created_at" timestamp with time zone NOT NULL,
	"processed_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	"payload" jsonb,
	"content_hash" uuid GENERATED ALWAYS AS (case when correlation_key is null then null else md5(
        tx_type || chr(31) || direction || chr(31) || facility || chr(31) || correlation_key || chr(31) ||
        coalesce('v' || line_key, 'n') || chr(31) || coalesce('v' || sku, 'n') || chr(31) ||
        coalesce('v' || lot, 'n') || chr(31) || coalesce('v' || location, 'n') || chr(31) ||
        coalesce('v' || uom, 'n') || chr(31) || coalesce('v' || trim_scale(quantity)::text, 'n'))::uuid end) STORED,
	"is_duplicate" boolean DEFAULT false NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "items" (
	"system" text NOT NULL,
	"sku" text NOT NULL,
	"description" text,
	"base_uom" text NOT NULL,
	"uoms" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"lot_controlled" boolean DEFAULT false NOT NULL,
	"serial_controlled" boolean DEFAULT false NOT NULL,
	"unit_cost" numeric,
	"status" text DEFAULT 'active' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "items_system_sku_pk" PRIMARY KEY("system","sku")
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"progress" double precision DEFAULT 0 NOT NULL,
	"params" jsonb,
	"result" jsonb,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"heartbeat_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "manual_corrections" (
	"correction_id" text PRIMARY KEY NOT NULL,
	"system" text NOT NULL,
	"facility" text NOT NULL,
	"sku" text NOT NULL,
	"location" text,
	"lot" text,
	"quantity_delta" numeric NOT NULL,
	"uom" text NOT NULL,
	"reason_code" text,
	"user_name" text,
	"at" timestamp with time zone NOT NULL,
	"effort_minutes" integer,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "message_rollup_daily" (
	"bucket" timestamp with time zone NOT NULL,
	"facility" text NOT NULL,
	"tx_type" text NOT NULL,
	"direction" text NOT NULL,
	"messages" bigint DEFAULT 0 NOT NULL,
	"failed" bigint DEFAULT 0 NOT NULL,
	"first_pass_failed" bigint DEFAULT 0 NOT NULL,
	"delivered" bigint DEFAULT 0 NOT NULL,
	"delay_sum_us" numeric DEFAULT '0' NOT NULL,
	"duplicates" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "message_rollup_daily_bucket_facility_tx_type_direction_pk" PRIMARY KEY("bucket","facility","tx_type","direction")
);
--> statement-breakpoint
CREATE TABLE "message_rollup_hourly" (
	"bucket" timestamp with time zone NOT NULL,
	"facility" text NOT NULL,
	"tx_type" text NOT NULL,
	"direction" text NOT NULL,
	"messages" bigint DEFAULT 0 NOT NULL,
	"failed" bigint DEFAULT 0 NOT NULL,
	"first_pass_failed" bigint DEFAULT 0 NOT NULL,
	"delivered" bigint DEFAULT 0 NOT NULL,
	"delay_sum_us" numeric DEFAULT '0' NOT NULL,
	"duplicates" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "message_rollup_hourly_bucket_facility_tx_type_direction_pk" PRIMARY KEY("bucket","facility","tx_type","direction")
);
--> statement-breakpoint
CREATE TABLE "ownership_matrix" (
	"data_object" text NOT NULL,
	"field" text NOT NULL,
	"owner" text NOT NULL,
	"precedence" text,
	CONSTRAINT "ownership_matrix_data_object_field_pk" PRIMARY KEY("data_object","field")
);
--> statement-breakpoint
CREATE TABLE "quarantine" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"feed" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"source" text,
	"record_index" integer,
	"record_key" text,
	"raw" text NOT NULL,
	"errors" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reconciliation_differences" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"run_id" bigint NOT NULL,
	"facility" text NOT NULL,
	"kind" text NOT NULL,
	"sku" text NOT NULL,
	"location" text,
	"lot" text,
	"erp_quantity" numeric,
	"wms_quantity" numeric,
	"delta" numeric NOT NULL,
	"suspected_source" text DEFAULT 'unknown' NOT NULL,
	"unit_cost" numeric
);
--> statement-breakpoint
CREATE TABLE "reconciliation_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"facility" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"progress" double precision DEFAULT 0 NOT NULL,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"erp_snapshot_id" bigint,
	"wms_snapshot_id" bigint,
	"requested_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "review_signoffs" (
	"id" serial PRIMARY KEY NOT NULL,
	"cadence" text NOT NULL,
	"period" text NOT NULL,
	"signed_by" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"notes" text
);
--> statement-breakpoint
CREATE TABLE "root_cause_rules" (
	"id" serial PRIMARY KEY NOT NULL,
	"priority" integer DEFAULT 100 NOT NULL,
	"error_code_pattern" text,
	"message_pattern" text,
	"category" text NOT NULL,
	"description" text
);
--> statement-breakpoint
CREATE TABLE "snapshot_rows" (
	"snapshot_id" bigint NOT NULL,
	"facility" text NOT NULL,
	"sku" text NOT NULL,
	"location" text DEFAULT '' NOT NULL,
	"lot" text DEFAULT '' NOT NULL,
	"uom" text NOT NULL,
	"quantity" numeric NOT NULL
);
--> statement-breakpoint
CREATE TABLE "snapshots" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"system" text NOT NULL,
	"facility" text NOT NULL,
	"taken_at" timestamp with time zone NOT NULL,
	"row_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "thresholds" (
	"kpi" text NOT NULL,
	"facility" text DEFAULT '*' NOT NULL,
	"amber" double precision NOT NULL,
	"red" double precision NOT NULL,
	"worse" text DEFAULT 'up' NOT NULL,
	CONSTRAINT "thresholds_kpi_facility_pk" PRIMARY KEY("kpi","facility")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" serial PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"password_hash" text,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_role_check" CHECK ("users"."role" in ('ops','finance','it','manager','admin'))
);
--> statement-breakpoint
ALTER TABLE "exception_audit" ADD CONSTRAINT "exception_audit_exception_id_exceptions_id_fk" FOREIGN KEY ("exception_id") REFERENCES "public"."exceptions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconciliation_differences" ADD CONSTRAINT "reconciliation_differences_run_id_reconciliation_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."reconciliation_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "snapshot_rows" ADD CONSTRAINT "snapshot_rows_snapshot_id_snapshots_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "public"."snapshots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_hash_key" ON "api_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_active_name_key" ON "api_keys" USING btree ("name") WHERE "api_keys"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX "change_log_at_idx" ON "change_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "exception_audit_exception_idx" ON "exception_audit" USING btree ("exception_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "exceptions_one_open_per_message" ON "exceptions" USING btree ("message_id") WHERE "exceptions"."state" in ('open','acknowledged');--> statement-breakpoint
CREATE INDEX "exceptions_open_idx" ON "exceptions" USING btree ("opened_at") WHERE "exceptions"."state" in ('open','acknowledged');--> statement-breakpoint
CREATE INDEX "exceptions_opened_idx" ON "exceptions" USING btree ("opened_at");--> statement-breakpoint
CREATE INDEX "exceptions_fingerprint_idx" ON "exceptions" USING btree ("fingerprint","opened_at");--> statement-breakpoint
CREATE INDEX "exceptions_resolved_idx" ON "exceptions" USING btree ("resolved_at") WHERE "exceptions"."resolved_at" is not null;--> statement-breakpoint
CREATE INDEX "integration_messages_created_idx" ON "integration_messages" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "integration_messages_correlation_idx" ON "integration_messages" USING btree ("correlation_key","created_at");--> statement-breakpoint
CREATE INDEX "integration_messages_sku_idx" ON "integration_messages" USING btree ("facility","sku","created_at");--> statement-breakpoint
CREATE INDEX "integration_messages_content_idx" ON "integration_messages" USING btree ("content_hash","created_at") WHERE "integration_messages"."content_hash" is not null;--> statement-breakpoint
CREATE INDEX "jobs_status_idx" ON "jobs" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "manual_corrections_at_idx" ON "manual_corrections" USING btree ("at");--> statement-breakpoint
CREATE INDEX "manual_corrections_facility_idx" ON "manual_corrections" USING btree ("facility","sku","at");--> statement-breakpoint
CREATE INDEX "quarantine_received_idx" ON "quarantine" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "reconciliation_differences_run_idx" ON "reconciliation_differences" USING btree ("run_id","kind");--> statement-breakpoint
CREATE INDEX "reconciliation_runs_facility_idx" ON "reconciliation_runs" USING btree ("facility","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "reconciliation_runs_one_active" ON "reconciliation_runs" USING btree ("facility") WHERE "reconciliation_runs"."status" in ('queued','running');--> statement-breakpoint
CREATE INDEX "snapshot_rows_snapshot_idx" ON "snapshot_rows" USING btree ("snapshot_id","sku","location","lot");--> statement-breakpoint
CREATE UNIQUE INDEX "snapshots_system_facility_taken_key" ON "snapshots" USING btree ("system","facility","taken_at");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree (lower("email"));