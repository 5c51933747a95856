CREATE TABLE "step_slas" (
	"tx_type" text PRIMARY KEY NOT NULL,
	"sla_ms" integer NOT NULL
);
