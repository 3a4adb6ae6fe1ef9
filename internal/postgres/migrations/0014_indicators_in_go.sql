-- Issue 14: every Decision 766 indicator is defined once, in Go
-- (motcua.IndicatorsOf). Each dossier row now carries what it adds to the
-- summaries, computed by Go whenever the row is written: its receipt day
-- and month, its due day, and a 0 or 1 per counter (NULL kpi_day: not
-- received, counted nowhere). The summaries are rebuilt from these columns
-- in Go right after this migration (sqldb.rebuildIndicators), and the
-- trigger of migration 0015 only adds them up: no SQL holds an indicator's
-- formula or Vietnam's time zone any more.
DROP TRIGGER dossiers_kpi_insert ON dossiers;
DROP TRIGGER dossiers_kpi_change ON dossiers;
DROP FUNCTION dossiers_kpi();
DROP FUNCTION kpi_daily_add(dossiers, INTEGER);
DROP FUNCTION kpi_monthly_add(dossiers, INTEGER);
DROP FUNCTION kpi_open_due_add(dossiers, INTEGER);
DROP FUNCTION kpi_open_due_total_add(dossiers, INTEGER);
DROP FUNCTION kpi_month(BIGINT);
DROP INDEX dossiers_open;
DROP INDEX dossiers_open_due;
DROP INDEX dossiers_missed;

ALTER TABLE dossiers ADD COLUMN kpi_day INTEGER, ADD COLUMN kpi_month INTEGER, ADD COLUMN kpi_due_day INTEGER,
	ADD COLUMN kpi_reused SMALLINT NOT NULL DEFAULT 0, ADD COLUMN kpi_online SMALLINT NOT NULL DEFAULT 0,
	ADD COLUMN kpi_verified SMALLINT NOT NULL DEFAULT 0, ADD COLUMN kpi_digitized SMALLINT NOT NULL DEFAULT 0,
	ADD COLUMN kpi_result_expected SMALLINT NOT NULL DEFAULT 0, ADD COLUMN kpi_e_result SMALLINT NOT NULL DEFAULT 0,
	ADD COLUMN kpi_shared SMALLINT NOT NULL DEFAULT 0, ADD COLUMN kpi_late SMALLINT NOT NULL DEFAULT 0,
	ADD COLUMN kpi_missed SMALLINT NOT NULL DEFAULT 0, ADD COLUMN kpi_open SMALLINT NOT NULL DEFAULT 0;
