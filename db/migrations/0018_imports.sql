CREATE TABLE "idoc_control" (
	"docnum" text PRIMARY KEY NOT NULL,
	"mestyp" text,
	"direct" text,
	"sndprn" text,
	"rcvprn" text,
	"status" text,
	"created_at" timestamp with time zone,
	"updated_at" timestamp with time zone,
	"raw" text NOT NULL,
	"import_id" bigint
);
--> statement-breakpoint
CREATE TABLE "idoc_status" (
	"docnum" text NOT NULL,
	"countr" integer NOT NULL,
	"status" text NOT NULL,
	"logged_at" timestamp with time zone,
	"stamid" text,
	"stamno" text,
	"statxt" text,
	"stapa1" text,
	"stapa2" text,
	"stapa3" text,
	"stapa4" text,
	"raw" text NOT NULL,
	"import_id" bigint,
	"row_number" integer,
	"file_name" text,
	CONSTRAINT "idoc_status_docnum_countr_pk" PRIMARY KEY("docnum","countr")
);
--> statement-breakpoint
CREATE TABLE "import_messages" (
	"import_id" bigint NOT NULL,
	"message_id" text NOT NULL,
	CONSTRAINT "import_messages_import_id_message_id_pk" PRIMARY KEY("import_id","message_id")
);
--> statement-breakpoint
CREATE TABLE "import_profiles" (
	"name" text PRIMARY KEY NOT NULL,
	"profile" jsonb NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "import_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"format" text NOT NULL,
	"via" text NOT NULL,
	"source" text,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"files" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"bytes" bigint DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"rows" integer DEFAULT 0 NOT NULL,
	"accepted" integer DEFAULT 0 NOT NULL,
	"updated" integer DEFAULT 0 NOT NULL,
	"unchanged" integer DEFAULT 0 NOT NULL,
	"rejected" integer DEFAULT 0 NOT NULL,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"warning_count" integer DEFAULT 0 NOT NULL,
	"error" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"duration_ms" integer
);
--> statement-breakpoint
ALTER TABLE "quarantine" ADD COLUMN "import_id" bigint;--> statement-breakpoint
ALTER TABLE "quarantine" ADD COLUMN "file_name" text;--> statement-breakpoint
CREATE INDEX "idoc_status_import_idx" ON "idoc_status" USING btree ("import_id");--> statement-breakpoint
CREATE INDEX "import_runs_started_idx" ON "import_runs" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "quarantine_import_idx" ON "quarantine" USING btree ("import_id","record_index") WHERE "quarantine"."import_id" is not null;