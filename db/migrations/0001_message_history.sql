CREATE TABLE "message_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"message_id" text NOT NULL,
	"status" text NOT NULL,
	"attempts" integer NOT NULL,
	"error_code" text,
	"error_message" text,
	"processed_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	"replaced_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "message_history_message_idx" ON "message_history" USING btree ("message_id","updated_at");