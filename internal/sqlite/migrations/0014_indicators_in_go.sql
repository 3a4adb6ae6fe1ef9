-- Issue 14: every Decision 766 indicator is defined once, in Go
-- (motcua.IndicatorsOf). Each dossier row now carries what it adds to the
-- summaries, computed by Go whenever the row is written: its receipt day
-- and month, its due day, and a 0 or 1 per counter (NULL kpi_day: not
-- received, counted nowhere). The summaries are rebuilt from these columns
-- in Go right after this migration (sqldb.rebuildIndicators), and the
-- triggers of migration 0015 only add them up: no SQL holds an indicator's
-- formula or Vietnam's time zone any more.
DROP TRIGGER dossiers_kpi_insert;
DROP TRIGGER dossiers_kpi_delete;
DROP TRIGGER dossiers_kpi_update_old;
DROP TRIGGER dossiers_kpi_update_new;
DROP TRIGGER dossiers_kpi_open_insert;
DROP TRIGGER dossiers_kpi_open_delete;
DROP TRIGGER dossiers_kpi_open_update_old;
DROP TRIGGER dossiers_kpi_open_update_new;
DROP INDEX dossiers_open;
DROP INDEX dossiers_open_due;
DROP INDEX dossiers_missed;

ALTER TABLE dossiers ADD COLUMN kpi_day INTEGER;
ALTER TABLE dossiers ADD COLUMN kpi_month INTEGER;
ALTER TABLE dossiers ADD COLUMN kpi_due_day INTEGER;
ALTER TABLE dossiers ADD COLUMN kpi_reused INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN kpi_online INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN kpi_verified INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN kpi_digitized INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN kpi_result_expected INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN kpi_e_result INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN kpi_shared INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN kpi_late INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN kpi_missed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN kpi_open INTEGER NOT NULL DEFAULT 0;
