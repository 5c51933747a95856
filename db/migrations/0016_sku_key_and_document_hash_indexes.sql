DROP INDEX "integration_messages_sku_day_idx";--> statement-breakpoint
DROP INDEX "integration_messages_document_idx";--> statement-breakpoint
CREATE INDEX "integration_messages_sku_key_idx" ON "integration_messages" USING btree (date_bin('1 day', created_at, '2000-01-01 00:00:00+00'),hashtext(facility || '|' || sku)) WHERE "integration_messages"."sku" is not null;--> statement-breakpoint
CREATE INDEX "integration_messages_document_hash_idx" ON "integration_messages" USING hash ("correlation_key") WHERE "integration_messages"."correlation_key" is not null;