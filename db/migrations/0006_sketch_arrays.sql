-- Delay sketches move into the rollup rows: one row per cell (and per facility) holds its bucket
-- indexes and counts as two arrays, where there was a row per bucket. The ingest then writes one
-- row per cell a batch touches instead of thousands of bucket rows. delay_sketch_rebuild() fills
-- the arrays from the log with the SQL twin of the ingest's bucket function (BUCKET_SQL in
-- lib/kpi/delay-sketch.ts, alpha = 0.95%); this migration calls it once.
CREATE TABLE "facility_delay_daily" (
	"bucket" timestamp with time zone NOT NULL,
	"facility" text NOT NULL,
	"delay_idx" integer[] DEFAULT '{}'::integer[] NOT NULL,
	"delay_n" bigint[] DEFAULT '{}'::bigint[] NOT NULL,
	CONSTRAINT "facility_delay_daily_bucket_facility_pk" PRIMARY KEY("bucket","facility")
);
--> statement-breakpoint
CREATE TABLE "facility_delay_hourly" (
	"bucket" timestamp with time zone NOT NULL,
	"facility" text NOT NULL,
	"delay_idx" integer[] DEFAULT '{}'::integer[] NOT NULL,
	"delay_n" bigint[] DEFAULT '{}'::bigint[] NOT NULL,
	CONSTRAINT "facility_delay_hourly_bucket_facility_pk" PRIMARY KEY("bucket","facility")
);
--> statement-breakpoint
DROP TABLE "delay_sketch_daily" CASCADE;--> statement-breakpoint
DROP TABLE "delay_sketch_facility_daily" CASCADE;--> statement-breakpoint
DROP TABLE "delay_sketch_facility_hourly" CASCADE;--> statement-breakpoint
DROP TABLE "delay_sketch_hourly" CASCADE;--> statement-breakpoint
ALTER TABLE "message_rollup_daily" ADD COLUMN "delay_idx" integer[] DEFAULT '{}'::integer[] NOT NULL;--> statement-breakpoint
ALTER TABLE "message_rollup_daily" ADD COLUMN "delay_n" bigint[] DEFAULT '{}'::bigint[] NOT NULL;--> statement-breakpoint
ALTER TABLE "message_rollup_hourly" ADD COLUMN "delay_idx" integer[] DEFAULT '{}'::integer[] NOT NULL;--> statement-breakpoint
ALTER TABLE "message_rollup_hourly" ADD COLUMN "delay_n" bigint[] DEFAULT '{}'::bigint[] NOT NULL;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION delay_sketch_rebuild() RETURNS void LANGUAGE sql AS $$
  UPDATE message_rollup_hourly SET delay_idx = '{}', delay_n = '{}' WHERE cardinality(delay_idx) > 0;
  INSERT INTO message_rollup_hourly AS t (bucket, facility, tx_type, direction, delay_idx, delay_n)
  SELECT bucket, facility, tx_type, direction, array_agg(idx ORDER BY idx), array_agg(n ORDER BY idx)
  FROM (
    SELECT date_trunc('hour', created_at, 'UTC') AS bucket, facility, tx_type, direction, (case when (extract(epoch from processed_at - created_at) * 1000)::float8 = 0 then 0 else sign((extract(epoch from processed_at - created_at) * 1000)::float8)::int * (ceil(ln(abs((extract(epoch from processed_at - created_at) * 1000)::float8)) / 0.019000571614286515) + 10000)::int end) AS idx, count(*) AS n
    FROM integration_messages WHERE status = 'delivered' AND processed_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5
  ) AS g GROUP BY 1, 2, 3, 4
  ON CONFLICT (bucket, facility, tx_type, direction) DO UPDATE SET delay_idx = excluded.delay_idx, delay_n = excluded.delay_n;
  UPDATE message_rollup_daily SET delay_idx = '{}', delay_n = '{}' WHERE cardinality(delay_idx) > 0;
  INSERT INTO message_rollup_daily AS t (bucket, facility, tx_type, direction, delay_idx, delay_n)
  SELECT bucket, facility, tx_type, direction, array_agg(idx ORDER BY idx), array_agg(n ORDER BY idx)
  FROM (
    SELECT date_trunc('day', created_at, 'UTC') AS bucket, facility, tx_type, direction, (case when (extract(epoch from processed_at - created_at) * 1000)::float8 = 0 then 0 else sign((extract(epoch from processed_at - created_at) * 1000)::float8)::int * (ceil(ln(abs((extract(epoch from processed_at - created_at) * 1000)::float8)) / 0.019000571614286515) + 10000)::int end) AS idx, count(*) AS n
    FROM integration_messages WHERE status = 'delivered' AND processed_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5
  ) AS g GROUP BY 1, 2, 3, 4
  ON CONFLICT (bucket, facility, tx_type, direction) DO UPDATE SET delay_idx = excluded.delay_idx, delay_n = excluded.delay_n;
  DELETE FROM facility_delay_hourly;
  DELETE FROM facility_delay_daily;
  INSERT INTO facility_delay_hourly (bucket, facility, delay_idx, delay_n)
  SELECT bucket, facility, array_agg(idx ORDER BY idx), array_agg(n ORDER BY idx)
  FROM (
    SELECT r.bucket, r.facility, u.idx, sum(u.n)::bigint AS n FROM message_rollup_hourly AS r, unnest(r.delay_idx, r.delay_n) AS u(idx, n)
    GROUP BY 1, 2, 3 HAVING sum(u.n) <> 0
  ) AS g GROUP BY 1, 2;
  INSERT INTO facility_delay_daily (bucket, facility, delay_idx, delay_n)
  SELECT bucket, facility, array_agg(idx ORDER BY idx), array_agg(n ORDER BY idx)
  FROM (
    SELECT r.bucket, r.facility, u.idx, sum(u.n)::bigint AS n FROM message_rollup_daily AS r, unnest(r.delay_idx, r.delay_n) AS u(idx, n)
    GROUP BY 1, 2, 3 HAVING sum(u.n) <> 0
  ) AS g GROUP BY 1, 2;
$$;
--> statement-breakpoint
SELECT delay_sketch_rebuild();
