-- The indicator summaries kept from the columns Go computes on each dossier
-- row (migration 0014, motcua.IndicatorsOf): the triggers only add a row's
-- columns to its day's and month's summary rows, and an open dossier's one
-- to its due day's rows, and take them away again when the row changes or
-- goes. Which dossier counts in what is decided in Go alone.
CREATE TRIGGER dossiers_kpi_insert AFTER INSERT ON dossiers WHEN NEW.kpi_day IS NOT NULL BEGIN
	INSERT OR IGNORE INTO kpi_daily (agency_code, day) VALUES (NEW.agency_code, NEW.kpi_day);
	UPDATE kpi_daily SET received = received + 1, reused = reused + NEW.kpi_reused, online = online + NEW.kpi_online, verified = verified + NEW.kpi_verified, digitized = digitized + NEW.kpi_digitized, result_expected = result_expected + NEW.kpi_result_expected, e_result = e_result + NEW.kpi_e_result, shared = shared + NEW.kpi_shared, late = late + NEW.kpi_late, missed = missed + NEW.kpi_missed, unfinished = unfinished + NEW.kpi_open
	WHERE day = NEW.kpi_day AND agency_code = NEW.agency_code;
	INSERT OR IGNORE INTO kpi_monthly (agency_code, month) VALUES (NEW.agency_code, NEW.kpi_month);
	UPDATE kpi_monthly SET received = received + 1, reused = reused + NEW.kpi_reused, online = online + NEW.kpi_online, verified = verified + NEW.kpi_verified, digitized = digitized + NEW.kpi_digitized, result_expected = result_expected + NEW.kpi_result_expected, e_result = e_result + NEW.kpi_e_result, shared = shared + NEW.kpi_shared, late = late + NEW.kpi_late, missed = missed + NEW.kpi_missed, unfinished = unfinished + NEW.kpi_open
	WHERE month = NEW.kpi_month AND agency_code = NEW.agency_code;
END;

CREATE TRIGGER dossiers_kpi_delete AFTER DELETE ON dossiers WHEN OLD.kpi_day IS NOT NULL BEGIN
	UPDATE kpi_daily SET received = received - 1, reused = reused - OLD.kpi_reused, online = online - OLD.kpi_online, verified = verified - OLD.kpi_verified, digitized = digitized - OLD.kpi_digitized, result_expected = result_expected - OLD.kpi_result_expected, e_result = e_result - OLD.kpi_e_result, shared = shared - OLD.kpi_shared, late = late - OLD.kpi_late, missed = missed - OLD.kpi_missed, unfinished = unfinished - OLD.kpi_open
	WHERE day = OLD.kpi_day AND agency_code = OLD.agency_code;
	UPDATE kpi_monthly SET received = received - 1, reused = reused - OLD.kpi_reused, online = online - OLD.kpi_online, verified = verified - OLD.kpi_verified, digitized = digitized - OLD.kpi_digitized, result_expected = result_expected - OLD.kpi_result_expected, e_result = e_result - OLD.kpi_e_result, shared = shared - OLD.kpi_shared, late = late - OLD.kpi_late, missed = missed - OLD.kpi_missed, unfinished = unfinished - OLD.kpi_open
	WHERE month = OLD.kpi_month AND agency_code = OLD.agency_code;
END;

CREATE TRIGGER dossiers_kpi_update_old AFTER UPDATE OF agency_code, kpi_day, kpi_month, kpi_due_day, kpi_reused, kpi_online, kpi_verified, kpi_digitized, kpi_result_expected, kpi_e_result, kpi_shared, kpi_late, kpi_missed, kpi_open ON dossiers
WHEN OLD.kpi_day IS NOT NULL BEGIN
	UPDATE kpi_daily SET received = received - 1, reused = reused - OLD.kpi_reused, online = online - OLD.kpi_online, verified = verified - OLD.kpi_verified, digitized = digitized - OLD.kpi_digitized, result_expected = result_expected - OLD.kpi_result_expected, e_result = e_result - OLD.kpi_e_result, shared = shared - OLD.kpi_shared, late = late - OLD.kpi_late, missed = missed - OLD.kpi_missed, unfinished = unfinished - OLD.kpi_open
	WHERE day = OLD.kpi_day AND agency_code = OLD.agency_code;
	UPDATE kpi_monthly SET received = received - 1, reused = reused - OLD.kpi_reused, online = online - OLD.kpi_online, verified = verified - OLD.kpi_verified, digitized = digitized - OLD.kpi_digitized, result_expected = result_expected - OLD.kpi_result_expected, e_result = e_result - OLD.kpi_e_result, shared = shared - OLD.kpi_shared, late = late - OLD.kpi_late, missed = missed - OLD.kpi_missed, unfinished = unfinished - OLD.kpi_open
	WHERE month = OLD.kpi_month AND agency_code = OLD.agency_code;
END;

CREATE TRIGGER dossiers_kpi_update_new AFTER UPDATE OF agency_code, kpi_day, kpi_month, kpi_due_day, kpi_reused, kpi_online, kpi_verified, kpi_digitized, kpi_result_expected, kpi_e_result, kpi_shared, kpi_late, kpi_missed, kpi_open ON dossiers
WHEN NEW.kpi_day IS NOT NULL BEGIN
	INSERT OR IGNORE INTO kpi_daily (agency_code, day) VALUES (NEW.agency_code, NEW.kpi_day);
	UPDATE kpi_daily SET received = received + 1, reused = reused + NEW.kpi_reused, online = online + NEW.kpi_online, verified = verified + NEW.kpi_verified, digitized = digitized + NEW.kpi_digitized, result_expected = result_expected + NEW.kpi_result_expected, e_result = e_result + NEW.kpi_e_result, shared = shared + NEW.kpi_shared, late = late + NEW.kpi_late, missed = missed + NEW.kpi_missed, unfinished = unfinished + NEW.kpi_open
	WHERE day = NEW.kpi_day AND agency_code = NEW.agency_code;
	INSERT OR IGNORE INTO kpi_monthly (agency_code, month) VALUES (NEW.agency_code, NEW.kpi_month);
	UPDATE kpi_monthly SET received = received + 1, reused = reused + NEW.kpi_reused, online = online + NEW.kpi_online, verified = verified + NEW.kpi_verified, digitized = digitized + NEW.kpi_digitized, result_expected = result_expected + NEW.kpi_result_expected, e_result = e_result + NEW.kpi_e_result, shared = shared + NEW.kpi_shared, late = late + NEW.kpi_late, missed = missed + NEW.kpi_missed, unfinished = unfinished + NEW.kpi_open
	WHERE month = NEW.kpi_month AND agency_code = NEW.agency_code;
END;

CREATE TRIGGER dossiers_kpi_open_insert AFTER INSERT ON dossiers WHEN NEW.kpi_day IS NOT NULL AND NEW.kpi_open = 1 BEGIN
	INSERT INTO kpi_open_due (due_day, received_day, agency_code, dossiers) VALUES (NEW.kpi_due_day, NEW.kpi_day, NEW.agency_code, 1)
	ON CONFLICT (due_day, received_day, agency_code) DO UPDATE SET dossiers = dossiers + 1;
	INSERT INTO kpi_open_due_total (due_day, agency_code, dossiers) VALUES (NEW.kpi_due_day, NEW.agency_code, 1)
	ON CONFLICT (due_day, agency_code) DO UPDATE SET dossiers = dossiers + 1;
END;

CREATE TRIGGER dossiers_kpi_open_delete AFTER DELETE ON dossiers WHEN OLD.kpi_day IS NOT NULL AND OLD.kpi_open = 1 BEGIN
	UPDATE kpi_open_due SET dossiers = dossiers - 1
	WHERE due_day = OLD.kpi_due_day AND received_day = OLD.kpi_day AND agency_code = OLD.agency_code;
	DELETE FROM kpi_open_due WHERE due_day = OLD.kpi_due_day AND received_day = OLD.kpi_day AND agency_code = OLD.agency_code AND dossiers = 0;
	UPDATE kpi_open_due_total SET dossiers = dossiers - 1 WHERE due_day = OLD.kpi_due_day AND agency_code = OLD.agency_code;
	DELETE FROM kpi_open_due_total WHERE due_day = OLD.kpi_due_day AND agency_code = OLD.agency_code AND dossiers = 0;
END;

CREATE TRIGGER dossiers_kpi_open_update_old AFTER UPDATE OF agency_code, kpi_day, kpi_due_day, kpi_open ON dossiers
WHEN OLD.kpi_day IS NOT NULL AND OLD.kpi_open = 1 BEGIN
	UPDATE kpi_open_due SET dossiers = dossiers - 1
	WHERE due_day = OLD.kpi_due_day AND received_day = OLD.kpi_day AND agency_code = OLD.agency_code;
	DELETE FROM kpi_open_due WHERE due_day = OLD.kpi_due_day AND received_day = OLD.kpi_day AND agency_code = OLD.agency_code AND dossiers = 0;
	UPDATE kpi_open_due_total SET dossiers = dossiers - 1 WHERE due_day = OLD.kpi_due_day AND agency_code = OLD.agency_code;
	DELETE FROM kpi_open_due_total WHERE due_day = OLD.kpi_due_day AND agency_code = OLD.agency_code AND dossiers = 0;
END;

CREATE TRIGGER dossiers_kpi_open_update_new AFTER UPDATE OF agency_code, kpi_day, kpi_due_day, kpi_open ON dossiers
WHEN NEW.kpi_day IS NOT NULL AND NEW.kpi_open = 1 BEGIN
	INSERT INTO kpi_open_due (due_day, received_day, agency_code, dossiers) VALUES (NEW.kpi_due_day, NEW.kpi_day, NEW.agency_code, 1)
	ON CONFLICT (due_day, received_day, agency_code) DO UPDATE SET dossiers = dossiers + 1;
	INSERT INTO kpi_open_due_total (due_day, agency_code, dossiers) VALUES (NEW.kpi_due_day, NEW.agency_code, 1)
	ON CONFLICT (due_day, agency_code) DO UPDATE SET dossiers = dossiers + 1;
END;

-- The open dossiers (received, not finished), for the open overdue part of
-- indicator 2.1 when a period is counted raw, and today's open dossiers by
-- due time; the missed reuses, for the monitors' actionable list.
CREATE INDEX dossiers_open ON dossiers (received_at, due_at, agency_code) WHERE kpi_open = 1;
CREATE INDEX dossiers_open_due ON dossiers (due_at, received_at, agency_code) WHERE kpi_open = 1;
CREATE INDEX dossiers_missed ON dossiers (received_at) WHERE kpi_missed = 1;
