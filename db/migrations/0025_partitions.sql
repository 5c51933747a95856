-- Time partitioning of the tables that grow with time (SPEC 11; db/partitions.ts keeps them).
-- Hand-written: drizzle-kit does not model partitions (nor can it drop a primary key), and
-- db/schema.ts keeps describing each parent: this file is the whole SQL of the migration whose
-- snapshot drizzle-kit generates from that schema. It converts a database in place: each table
-- is renamed aside, a parent partitioned BY RANGE over its time column takes its name, columns,
-- defaults, sequences, keys, indexes and foreign keys, and its rows move over one month at a time
-- (a bare table loaded, then attached, which builds its indexes in bulk), with a NOTICE per month
-- ("partitions: …", printed by db/index.ts). One partition per UTC month, named
-- <table>_pYYYYMMDD, no DEFAULT partition. Nothing is lost: the old table is dropped only after
-- every row found its month, inside the migration's one transaction.
CREATE OR REPLACE FUNCTION pg_temp.partition_in_place(tbl text, col text, pk_name text, pk text, dropped text[] DEFAULT '{}')
  RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  old text := tbl || '_unpartitioned';
  names jsonb := '{}';
  r record;
  m timestamptz;
  part text;
  n bigint;
  total bigint := 0;
BEGIN
  EXECUTE format('ALTER TABLE %I RENAME TO %I', tbl, old);
  -- The old table's indexes (and the constraints they back) step aside for the parent's, their
  -- names kept for it.
  FOR r IN SELECT i.indexrelid, c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = old::regclass LOOP
    names := names || jsonb_build_object(r.indexrelid::text, r.relname);
    EXECUTE format('ALTER INDEX %I RENAME TO %I', r.relname, 'unpartitioned_' || r.indexrelid);
  END LOOP;
  EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE (%I)',
    tbl, old, col);
  -- A serial column's sequence belongs to the new table (dropping the old one would drop it).
  FOR r IN SELECT a.attname, pg_get_serial_sequence(old, a.attname) AS seq FROM pg_attribute a
      WHERE a.attrelid = old::regclass AND a.attnum > 0 AND NOT a.attisdropped
        AND pg_get_serial_sequence(old, a.attname) IS NOT NULL LOOP
    EXECUTE format('ALTER SEQUENCE %s OWNED BY %I.%I', r.seq, tbl, r.attname);
  END LOOP;
  -- The new key (it must hold the partition column), and the old table's foreign keys and other
  -- unique constraints.
  EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I PRIMARY KEY (%s)', tbl, pk_name, pk);
  FOR r IN SELECT conname, conindid, pg_get_constraintdef(oid) AS def, contype FROM pg_constraint
      WHERE conrelid = old::regclass AND contype IN ('u', 'f') LOOP
    IF r.contype = 'f' THEN
      EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', old, r.conname);
      EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I %s', tbl, r.conname, r.def);
    ELSE
      EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I %s', tbl, names ->> r.conindid::text, r.def);
    END IF;
  END LOOP;
  -- Indexes that back no constraint, named as before (on the parent while it has no partition:
  -- each month's are built in bulk as it is attached).
  FOR r IN SELECT i.indexrelid, pg_get_indexdef(i.indexrelid) AS def FROM pg_index i
      WHERE i.indrelid = old::regclass
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = old::regclass)
        AND NOT (names ->> i.indexrelid::text) = ANY (dropped)
  LOOP
    EXECUTE regexp_replace(r.def, '^CREATE (UNIQUE )?INDEX \S+ ON \S+ ',
      'CREATE \1INDEX ' || quote_ident(names ->> r.indexrelid::text) || ' ON ' || quote_ident(tbl) || ' ');
  END LOOP;
  FOR m IN EXECUTE format(
      'SELECT DISTINCT date_trunc(''month'', %I AT TIME ZONE ''UTC'') AT TIME ZONE ''UTC'' FROM %I ORDER BY 1', col, old)
  LOOP
    part := tbl || '_p' || to_char(m AT TIME ZONE 'UTC', 'YYYYMMDD');
    EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part, tbl);
    EXECUTE format('INSERT INTO %I SELECT * FROM %I WHERE %I >= %L AND %I < %L', part, old, col, m, col,
      m + interval '1 month');
    GET DIAGNOSTICS n = ROW_COUNT;
    total := total + n;
    EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', tbl, part, m,
      m + interval '1 month');
    RAISE NOTICE 'partitions: %: % rows moved into %', tbl, n, part;
  END LOOP;
  EXECUTE format('SELECT count(*) FROM %I', old) INTO n;
  IF n <> total THEN
    RAISE EXCEPTION 'partitions: % had % rows, % moved', tbl, n, total;
  END IF;
  EXECUTE format('DROP TABLE %I', old);
  IF total > 0 THEN
    RAISE NOTICE 'partitions: % partitioned by month of %, % rows', tbl, col, total;
  END IF;
END $$;
--> statement-breakpoint
CREATE TABLE "message_keys" (
	"message_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
INSERT INTO "message_keys" ("message_id", "created_at") SELECT "message_id", "created_at" FROM "integration_messages";
--> statement-breakpoint
ALTER TABLE "message_keys" ADD CONSTRAINT "message_keys_pkey" PRIMARY KEY ("message_id");
--> statement-breakpoint
-- The key leads with created_at, so the index on created_at alone goes.
SELECT pg_temp.partition_in_place('integration_messages', 'created_at', 'integration_messages_created_at_message_id_pk',
  'created_at, message_id', ARRAY['integration_messages_created_idx']);
--> statement-breakpoint
SELECT pg_temp.partition_in_place('message_history', 'replaced_at', 'message_history_replaced_at_id_pk', 'replaced_at, id');
--> statement-breakpoint
SELECT pg_temp.partition_in_place('exception_audit', 'at', 'exception_audit_at_id_pk', 'at, id');
--> statement-breakpoint
-- The quarantine's identities are claimed in quarantine_keys; its index on received_at is the key's lead.
CREATE TABLE "quarantine_keys" ("identity" text PRIMARY KEY NOT NULL);
--> statement-breakpoint
INSERT INTO "quarantine_keys" ("identity") SELECT DISTINCT "identity" FROM "quarantine" WHERE "identity" IS NOT NULL;
--> statement-breakpoint
SELECT pg_temp.partition_in_place('quarantine', 'received_at', 'quarantine_received_at_id_pk', 'received_at, id',
  ARRAY['quarantine_identity_idx', 'quarantine_received_idx']);
--> statement-breakpoint
DROP FUNCTION pg_temp.partition_in_place(text, text, text, text, text[]);
