-- Cheaper inserts into the log. The SKU index leads with the day, so a batch's entries land in
-- today's part of it instead of anywhere in an index of the whole log. The document index keys
-- on the correlation key alone, and the stored content hash goes: duplicate detection compares
-- the content of a document's messages directly. At 3M rows, the hash and the two-column
-- document index cost 5.8 s per million rows copied, against 3.1 s for the copy itself.
DROP INDEX "integration_messages_sku_idx";--> statement-breakpoint
DROP INDEX "integration_messages_document_idx";--> statement-breakpoint
CREATE INDEX "integration_messages_sku_day_idx" ON "integration_messages" USING btree (date_bin('1 day', created_at, '2000-01-01 00:00:00+00'),"facility","sku","created_at");--> statement-breakpoint
CREATE INDEX "integration_messages_document_idx" ON "integration_messages" USING btree ("correlation_key") WHERE "integration_messages"."correlation_key" is not null;--> statement-breakpoint
ALTER TABLE "integration_messages" DROP COLUMN "content_hash";