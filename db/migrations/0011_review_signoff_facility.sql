ALTER TABLE "review_signoffs" ADD COLUMN "facility" text DEFAULT '*' NOT NULL;--> statement-breakpoint
ALTER TABLE "review_signoffs" ADD COLUMN "signed_by_name" text;--> statement-breakpoint
ALTER TABLE "review_signoffs" ADD COLUMN "role" text;--> statement-breakpoint
CREATE UNIQUE INDEX "review_signoffs_period_idx" ON "review_signoffs" USING btree ("cadence","period","facility");