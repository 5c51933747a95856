CREATE TABLE "exception_rollup_daily" (
	"bucket" timestamp with time zone NOT NULL,
	"facility" text NOT NULL,
	"tx_type" text NOT NULL,
	"root_cause" text NOT NULL,
	"opened" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "exception_rollup_daily_bucket_facility_tx_type_root_cause_pk" PRIMARY KEY("bucket","facility","tx_type","root_cause")
);
--> statement-breakpoint
CREATE TABLE "exception_rollup_hourly" (
	"bucket" timestamp with time zone NOT NULL,
	"facility" text NOT NULL,
	"tx_type" text NOT NULL,
	"root_cause" text NOT NULL,
	"opened" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "exception_rollup_hourly_bucket_facility_tx_type_root_cause_pk" PRIMARY KEY("bucket","facility","tx_type","root_cause")
);
--> statement-breakpoint
CREATE TABLE "open_exception_counts" (
	"facility" text NOT NULL,
	"tx_type" text NOT NULL,
	"n" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "open_exception_counts_facility_tx_type_pk" PRIMARY KEY("facility","tx_type")
);
--> statement-breakpoint
-- Exception counts follow every write to `exceptions` (the ingest, the queue's actions, the demo),
-- set by set: statement triggers read the changed rows from their transition tables and add the
-- difference. Buckets are UTC hours and days, as the message rollups.
CREATE FUNCTION exception_rollup_apply(p_opened timestamptz[], p_facility text[], p_tx_type text[], p_root_cause text[], p_opened_delta int[], p_open_delta int[])
RETURNS void LANGUAGE sql AS $$
  INSERT INTO exception_rollup_hourly AS t (bucket, facility, tx_type, root_cause, opened)
  SELECT date_trunc('hour', d.opened, 'UTC'), d.facility, d.tx_type, d.root_cause, sum(d.delta)
  FROM unnest(p_opened, p_facility, p_tx_type, p_root_cause, p_opened_delta) AS d(opened, facility, tx_type, root_cause, delta)
  GROUP BY 1, 2, 3, 4 HAVING sum(d.delta) <> 0 ORDER BY 1, 2, 3, 4
  ON CONFLICT (bucket, facility, tx_type, root_cause) DO UPDATE SET opened = t.opened + excluded.opened;
  INSERT INTO exception_rollup_daily AS t (bucket, facility, tx_type, root_cause, opened)
  SELECT date_trunc('day', d.opened, 'UTC'), d.facility, d.tx_type, d.root_cause, sum(d.delta)
  FROM unnest(p_opened, p_facility, p_tx_type, p_root_cause, p_opened_delta) AS d(opened, facility, tx_type, root_cause, delta)
  GROUP BY 1, 2, 3, 4 HAVING sum(d.delta) <> 0 ORDER BY 1, 2, 3, 4
  ON CONFLICT (bucket, facility, tx_type, root_cause) DO UPDATE SET opened = t.opened + excluded.opened;
  INSERT INTO open_exception_counts AS t (facility, tx_type, n)
  SELECT d.facility, d.tx_type, sum(d.delta)
  FROM unnest(p_facility, p_tx_type, p_open_delta) AS d(facility, tx_type, delta)
  GROUP BY 1, 2 HAVING sum(d.delta) <> 0 ORDER BY 1, 2
  ON CONFLICT (facility, tx_type) DO UPDATE SET n = t.n + excluded.n;
$$;
--> statement-breakpoint
CREATE FUNCTION exceptions_rollup_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM exception_rollup_apply(array_agg(opened_at), array_agg(facility), array_agg(tx_type), array_agg(root_cause),
      array_agg(1), array_agg(CASE WHEN state IN ('open', 'acknowledged') THEN 1 ELSE 0 END))
    FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM exception_rollup_apply(array_agg(opened_at), array_agg(facility), array_agg(tx_type), array_agg(root_cause),
      array_agg(-1), array_agg(CASE WHEN state IN ('open', 'acknowledged') THEN -1 ELSE 0 END))
    FROM old_rows;
  ELSE
    PERFORM exception_rollup_apply(array_agg(opened_at), array_agg(facility), array_agg(tx_type), array_agg(root_cause),
      array_agg(sign), array_agg(CASE WHEN state IN ('open', 'acknowledged') THEN sign ELSE 0 END))
    FROM (
      SELECT opened_at, facility, tx_type, root_cause, state, 1 AS sign FROM new_rows
      UNION ALL
      SELECT opened_at, facility, tx_type, root_cause, state, -1 AS sign FROM old_rows
    ) d;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER exceptions_rollup_insert AFTER INSERT ON exceptions REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION exceptions_rollup_trigger();
--> statement-breakpoint
CREATE TRIGGER exceptions_rollup_update AFTER UPDATE ON exceptions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION exceptions_rollup_trigger();
--> statement-breakpoint
CREATE TRIGGER exceptions_rollup_delete AFTER DELETE ON exceptions REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION exceptions_rollup_trigger();
--> statement-breakpoint
CREATE FUNCTION exceptions_rollup_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE exception_rollup_hourly, exception_rollup_daily, open_exception_counts;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER exceptions_rollup_truncate AFTER TRUNCATE ON exceptions FOR EACH STATEMENT EXECUTE FUNCTION exceptions_rollup_truncate();
--> statement-breakpoint
INSERT INTO exception_rollup_hourly (bucket, facility, tx_type, root_cause, opened)
SELECT date_trunc('hour', opened_at, 'UTC'), facility, tx_type, root_cause, count(*) FROM exceptions GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
INSERT INTO exception_rollup_daily (bucket, facility, tx_type, root_cause, opened)
SELECT date_trunc('day', opened_at, 'UTC'), facility, tx_type, root_cause, count(*) FROM exceptions GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
INSERT INTO open_exception_counts (facility, tx_type, n)
SELECT facility, tx_type, count(*) FROM exceptions WHERE state IN ('open', 'acknowledged') GROUP BY 1, 2;
