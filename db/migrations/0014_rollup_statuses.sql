ALTER TABLE "message_rollup_daily" ADD COLUMN "dead_letter" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "message_rollup_daily" ADD COLUMN "retrying" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "message_rollup_hourly" ADD COLUMN "dead_letter" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "message_rollup_hourly" ADD COLUMN "retrying" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
-- The counts of the log stored so far; the ingest keeps them from here on. Only dead-lettered and
-- retrying messages are read (each has a row in its cell already: every message counts in `messages`).
UPDATE "message_rollup_hourly" r SET "dead_letter" = s.dl, "retrying" = s.rt
FROM (
  SELECT date_trunc('hour', created_at, 'UTC') AS b, facility, tx_type, direction,
    count(*) FILTER (WHERE status = 'dead_letter') AS dl, count(*) FILTER (WHERE status = 'retrying') AS rt
  FROM integration_messages WHERE status IN ('dead_letter', 'retrying') GROUP BY 1, 2, 3, 4
) s
WHERE r.bucket = s.b AND r.facility = s.facility AND r.tx_type = s.tx_type AND r.direction = s.direction;--> statement-breakpoint
UPDATE "message_rollup_daily" r SET "dead_letter" = s.dl, "retrying" = s.rt
FROM (
  SELECT date_trunc('day', created_at, 'UTC') AS b, facility, tx_type, direction,
    count(*) FILTER (WHERE status = 'dead_letter') AS dl, count(*) FILTER (WHERE status = 'retrying') AS rt
  FROM integration_messages WHERE status IN ('dead_letter', 'retrying') GROUP BY 1, 2, 3, 4
) s
WHERE r.bucket = s.b AND r.facility = s.facility AND r.tx_type = s.tx_type AND r.direction = s.direction;
