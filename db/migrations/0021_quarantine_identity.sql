ALTER TABLE "quarantine" ADD COLUMN "identity" text;--> statement-breakpoint
CREATE UNIQUE INDEX "quarantine_identity_idx" ON "quarantine" USING btree ("identity");