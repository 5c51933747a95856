-- The delay sketch's buckets widen from α = 0.5% to α = 0.95% (lib/kpi/delay-sketch.ts): still within
-- SPEC's 1%, with half as many buckets to write at ingest and to merge over long windows. The
-- sketches are rebuilt from the log with the new bucket function (BUCKET_SQL).
TRUNCATE delay_sketch_hourly, delay_sketch_daily, delay_sketch_facility_hourly, delay_sketch_facility_daily;
--> statement-breakpoint
INSERT INTO delay_sketch_hourly (bucket, facility, tx_type, direction, idx, n)
SELECT date_trunc('hour', created_at, 'UTC'), facility, tx_type, direction, (case when (extract(epoch from processed_at - created_at) * 1000)::float8 = 0 then 0 else sign((extract(epoch from processed_at - created_at) * 1000)::float8)::int * (ceil(ln(abs((extract(epoch from processed_at - created_at) * 1000)::float8)) / 0.019000571614286515) + 10000)::int end), count(*)
FROM integration_messages WHERE status = 'delivered' AND processed_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO delay_sketch_facility_hourly (bucket, facility, idx, n)
SELECT bucket, facility, idx, sum(n) FROM delay_sketch_hourly GROUP BY 1, 2, 3;
--> statement-breakpoint
INSERT INTO delay_sketch_daily (bucket, facility, tx_type, direction, idx, n)
SELECT date_trunc('day', created_at, 'UTC'), facility, tx_type, direction, (case when (extract(epoch from processed_at - created_at) * 1000)::float8 = 0 then 0 else sign((extract(epoch from processed_at - created_at) * 1000)::float8)::int * (ceil(ln(abs((extract(epoch from processed_at - created_at) * 1000)::float8)) / 0.019000571614286515) + 10000)::int end), count(*)
FROM integration_messages WHERE status = 'delivered' AND processed_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO delay_sketch_facility_daily (bucket, facility, idx, n)
SELECT bucket, facility, idx, sum(n) FROM delay_sketch_daily GROUP BY 1, 2, 3;
