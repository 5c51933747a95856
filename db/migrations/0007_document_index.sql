-- Duplicate lookups go through the document: (correlation_key, content_hash) replaces both the
-- (correlation_key, created_at) and the (content_hash, created_at) indexes. A message's content
-- includes its correlation key, and a content hash alone put each insert at a random place in
-- an index of the whole log.
DROP INDEX "integration_messages_correlation_idx";--> statement-breakpoint
DROP INDEX "integration_messages_content_idx";--> statement-breakpoint
CREATE INDEX "integration_messages_document_idx" ON "integration_messages" USING btree ("correlation_key","content_hash") WHERE "integration_messages"."correlation_key" is not null;