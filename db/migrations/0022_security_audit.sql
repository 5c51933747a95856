CREATE TABLE "security_audit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text,
	"address" text,
	"action" text NOT NULL,
	"detail" jsonb
);
--> statement-breakpoint
CREATE INDEX "security_audit_actor_idx" ON "security_audit" USING btree ("actor","action","at");--> statement-breakpoint
CREATE INDEX "security_audit_address_idx" ON "security_audit" USING btree ("address","action","at");