-- Delay sketches move out of the rollup rows into one table, per hour, day and week (weeks start
-- on Monday, UTC), per cell and per facility (txType and direction '*'). The counts rollups are
-- narrow again, and a 90-day window merges about 13 weeks and a few days per facility instead
-- of 90 days. delay_sketch_rebuild() now fills the new table from the log with the SQL twin of
-- the ingest's bucket function (BUCKET_SQL in lib/kpi/delay-sketch.ts, alpha = 0.95%).
CREATE TABLE "delay_sketches" (
	"grain" text NOT NULL,
	"tx_type" text NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"facility" text NOT NULL,
	"direction" text NOT NULL,
	"delay_idx" integer[] NOT NULL,
	"delay_n" bigint[] NOT NULL,
	CONSTRAINT "delay_sketches_grain_tx_type_bucket_facility_direction_pk" PRIMARY KEY("grain","tx_type","bucket","facility","direction")
);
--> statement-breakpoint
DROP TABLE "facility_delay_daily" CASCADE;--> statement-breakpoint
DROP TABLE "facility_delay_hourly" CASCADE;--> statement-breakpoint
ALTER TABLE "message_rollup_daily" DROP COLUMN "delay_idx";--> statement-breakpoint
ALTER TABLE "message_rollup_daily" DROP COLUMN "delay_n";--> statement-breakpoint
ALTER TABLE "message_rollup_hourly" DROP COLUMN "delay_idx";--> statement-breakpoint
ALTER TABLE "message_rollup_hourly" DROP COLUMN "delay_n";
--> statement-breakpoint
CREATE OR REPLACE FUNCTION delay_sketch_rebuild() RETURNS void LANGUAGE sql AS $$
  DELETE FROM delay_sketches;
  WITH base AS (
    SELECT date_trunc('hour', created_at, 'UTC') AS hour, facility, tx_type, direction, (case when (extract(epoch from processed_at - created_at) * 1000)::float8 = 0 then 0 else sign((extract(epoch from processed_at - created_at) * 1000)::float8)::int * (ceil(ln(abs((extract(epoch from processed_at - created_at) * 1000)::float8)) / 0.019000571614286515) + 10000)::int end) AS idx, count(*) AS n
    FROM integration_messages WHERE status = 'delivered' AND processed_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5
  ), grains AS (
    SELECT 'hour' AS grain, hour AS bucket, facility, tx_type, direction, idx, n FROM base
    UNION ALL SELECT 'day', date_trunc('day', hour, 'UTC'), facility, tx_type, direction, idx, n FROM base
    UNION ALL SELECT 'week', date_trunc('week', hour, 'UTC'), facility, tx_type, direction, idx, n FROM base
  ), levels AS (
    SELECT grain, tx_type, bucket, facility, direction, idx, n FROM grains
    UNION ALL SELECT grain, '*', bucket, facility, '*', idx, n FROM grains
  )
  INSERT INTO delay_sketches (grain, tx_type, bucket, facility, direction, delay_idx, delay_n)
  SELECT grain, tx_type, bucket, facility, direction, array_agg(idx ORDER BY idx), array_agg(n ORDER BY idx)
  FROM (SELECT grain, tx_type, bucket, facility, direction, idx, sum(n)::bigint AS n FROM levels GROUP BY 1, 2, 3, 4, 5, 6) AS s
  GROUP BY 1, 2, 3, 4, 5;
$$;
--> statement-breakpoint
SELECT delay_sketch_rebuild();
