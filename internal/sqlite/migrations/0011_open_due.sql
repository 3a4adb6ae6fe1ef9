-- The overdue part of indicator 2.1 from summaries too (issue 7: a year's
-- province table must not count the open dossiers one by one). A dossier
-- received and not finished is "open"; it is late once its due date has
-- passed, which depends on the clock, not on a write. So the summaries keep
--   kpi_daily.unfinished / kpi_monthly.unfinished: the open dossiers per
--   receiving agency and receipt day / month, read with the other columns;
--   kpi_open_due: the open dossiers per due day (Vietnam time, days since
--   1970-01-01; no due date = 2147483647, never late), receipt day and
--   agency, without empty rows;
--   kpi_open_due_total: the same per due day and agency only;
-- and a report subtracts from the open dossiers those not yet due: the
-- kpi_open_due rows of the days after today received in the period (or,
-- for a period that reaches today, the kpi_open_due_total rows of the days
-- after today less the kpi_open_due rows received outside the period),
-- plus today's open dossiers due from now on, counted from the index
-- dossiers_open_due. Once a day is past it is never read again, so what a
-- report reads grows with the dossiers in progress, not with the years of
-- history.
ALTER TABLE kpi_daily ADD COLUMN unfinished INTEGER NOT NULL DEFAULT 0;
ALTER TABLE kpi_monthly ADD COLUMN unfinished INTEGER NOT NULL DEFAULT 0;

CREATE TABLE kpi_open_due (
	due_day      INTEGER NOT NULL,
	received_day INTEGER NOT NULL,
	agency_code  TEXT NOT NULL,
	dossiers     INTEGER NOT NULL,
	PRIMARY KEY (due_day, received_day, agency_code)
) WITHOUT ROWID;

CREATE TABLE kpi_open_due_total (
	due_day     INTEGER NOT NULL,
	agency_code TEXT NOT NULL,
	dossiers    INTEGER NOT NULL,
	PRIMARY KEY (due_day, agency_code)
) WITHOUT ROWID;

-- Today's open dossiers by due time.
CREATE INDEX dossiers_open_due ON dossiers (due_at, received_at, agency_code) WHERE finished_at IS NULL AND received_at IS NOT NULL;

-- kpi summaries: rebuild
-- Every summary from the dossiers (kpibench runs this part again after a
-- bulk load with the triggers dropped). The GROUP BY starts with the day so
-- that no index order tempts the planner into reading the table by agency.
DELETE FROM kpi_daily;
DELETE FROM kpi_monthly;
DELETE FROM kpi_open_due;
DELETE FROM kpi_open_due_total;
INSERT INTO kpi_daily (agency_code, day, received, reused, online, verified, digitized, result_expected, e_result, shared, late, missed, unfinished)
SELECT agency_code, (received_at / 1000000 + 25200) / 86400, COUNT(*), SUM(reused <> 0), SUM(channel = 2), SUM(owner_verified <> 0),
	SUM(digitized <> 0 AND (result_expected = 0 OR finished_at IS NULL OR e_result <> 0)), SUM(result_expected <> 0),
	SUM(e_result <> 0), SUM(reused <> 0 OR e_result <> 0),
	SUM(finished_at IS NOT NULL AND due_at IS NOT NULL AND finished_at > due_at), SUM(missed_reuse <> 0 AND reused = 0),
	SUM(finished_at IS NULL)
FROM dossiers WHERE received_at IS NOT NULL
GROUP BY (received_at / 1000000 + 25200) / 86400, agency_code;
INSERT INTO kpi_monthly (agency_code, month, received, reused, online, verified, digitized, result_expected, e_result, shared, late, missed, unfinished)
SELECT agency_code, CAST(strftime('%Y', day * 86400, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', day * 86400, 'unixepoch') AS INTEGER) - 1,
	SUM(received), SUM(reused), SUM(online), SUM(verified), SUM(digitized), SUM(result_expected), SUM(e_result), SUM(shared), SUM(late), SUM(missed),
	SUM(unfinished)
FROM kpi_daily GROUP BY 1, 2;
INSERT INTO kpi_open_due (due_day, received_day, agency_code, dossiers)
SELECT COALESCE((due_at / 1000000 + 25200) / 86400, 2147483647), (received_at / 1000000 + 25200) / 86400, agency_code, COUNT(*)
FROM dossiers WHERE finished_at IS NULL AND received_at IS NOT NULL
GROUP BY 1, 2, 3;
INSERT INTO kpi_open_due_total (due_day, agency_code, dossiers)
SELECT due_day, agency_code, SUM(dossiers) FROM kpi_open_due GROUP BY 1, 2;
-- kpi summaries: end

-- Migration 0006's triggers again, with unfinished = finished_at IS NULL.
DROP TRIGGER dossiers_kpi_insert;
DROP TRIGGER dossiers_kpi_delete;
DROP TRIGGER dossiers_kpi_update_old;
DROP TRIGGER dossiers_kpi_update_new;

CREATE TRIGGER dossiers_kpi_insert AFTER INSERT ON dossiers WHEN NEW.received_at IS NOT NULL BEGIN
	INSERT OR IGNORE INTO kpi_daily (agency_code, day) VALUES (NEW.agency_code, (NEW.received_at / 1000000 + 25200) / 86400);
	UPDATE kpi_daily SET received = received + 1, reused = reused + (NEW.reused <> 0), online = online + (NEW.channel = 2),
		verified = verified + (NEW.owner_verified <> 0),
		digitized = digitized + (NEW.digitized <> 0 AND (NEW.result_expected = 0 OR NEW.finished_at IS NULL OR NEW.e_result <> 0)),
		result_expected = result_expected + (NEW.result_expected <> 0), e_result = e_result + (NEW.e_result <> 0),
		shared = shared + (NEW.reused <> 0 OR NEW.e_result <> 0),
		late = late + (NEW.finished_at IS NOT NULL AND NEW.due_at IS NOT NULL AND NEW.finished_at > NEW.due_at),
		missed = missed + (NEW.missed_reuse <> 0 AND NEW.reused = 0), unfinished = unfinished + (NEW.finished_at IS NULL)
	WHERE day = (NEW.received_at / 1000000 + 25200) / 86400 AND agency_code = NEW.agency_code;
	INSERT OR IGNORE INTO kpi_monthly (agency_code, month) VALUES (NEW.agency_code, (CAST(strftime('%Y', NEW.received_at / 1000000 + 25200, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', NEW.received_at / 1000000 + 25200, 'unixepoch') AS INTEGER) - 1));
	UPDATE kpi_monthly SET received = received + 1, reused = reused + (NEW.reused <> 0), online = online + (NEW.channel = 2),
		verified = verified + (NEW.owner_verified <> 0),
		digitized = digitized + (NEW.digitized <> 0 AND (NEW.result_expected = 0 OR NEW.finished_at IS NULL OR NEW.e_result <> 0)),
		result_expected = result_expected + (NEW.result_expected <> 0), e_result = e_result + (NEW.e_result <> 0),
		shared = shared + (NEW.reused <> 0 OR NEW.e_result <> 0),
		late = late + (NEW.finished_at IS NOT NULL AND NEW.due_at IS NOT NULL AND NEW.finished_at > NEW.due_at),
		missed = missed + (NEW.missed_reuse <> 0 AND NEW.reused = 0), unfinished = unfinished + (NEW.finished_at IS NULL)
	WHERE month = (CAST(strftime('%Y', NEW.received_at / 1000000 + 25200, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', NEW.received_at / 1000000 + 25200, 'unixepoch') AS INTEGER) - 1) AND agency_code = NEW.agency_code;
END;

CREATE TRIGGER dossiers_kpi_delete AFTER DELETE ON dossiers WHEN OLD.received_at IS NOT NULL BEGIN
	UPDATE kpi_daily SET received = received - 1, reused = reused - (OLD.reused <> 0), online = online - (OLD.channel = 2),
		verified = verified - (OLD.owner_verified <> 0),
		digitized = digitized - (OLD.digitized <> 0 AND (OLD.result_expected = 0 OR OLD.finished_at IS NULL OR OLD.e_result <> 0)),
		result_expected = result_expected - (OLD.result_expected <> 0), e_result = e_result - (OLD.e_result <> 0),
		shared = shared - (OLD.reused <> 0 OR OLD.e_result <> 0),
		late = late - (OLD.finished_at IS NOT NULL AND OLD.due_at IS NOT NULL AND OLD.finished_at > OLD.due_at),
		missed = missed - (OLD.missed_reuse <> 0 AND OLD.reused = 0), unfinished = unfinished - (OLD.finished_at IS NULL)
	WHERE day = (OLD.received_at / 1000000 + 25200) / 86400 AND agency_code = OLD.agency_code;
	UPDATE kpi_monthly SET received = received - 1, reused = reused - (OLD.reused <> 0), online = online - (OLD.channel = 2),
		verified = verified - (OLD.owner_verified <> 0),
		digitized = digitized - (OLD.digitized <> 0 AND (OLD.result_expected = 0 OR OLD.finished_at IS NULL OR OLD.e_result <> 0)),
		result_expected = result_expected - (OLD.result_expected <> 0), e_result = e_result - (OLD.e_result <> 0),
		shared = shared - (OLD.reused <> 0 OR OLD.e_result <> 0),
		late = late - (OLD.finished_at IS NOT NULL AND OLD.due_at IS NOT NULL AND OLD.finished_at > OLD.due_at),
		missed = missed - (OLD.missed_reuse <> 0 AND OLD.reused = 0), unfinished = unfinished - (OLD.finished_at IS NULL)
	WHERE month = (CAST(strftime('%Y', OLD.received_at / 1000000 + 25200, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', OLD.received_at / 1000000 + 25200, 'unixepoch') AS INTEGER) - 1) AND agency_code = OLD.agency_code;
END;

CREATE TRIGGER dossiers_kpi_update_old AFTER UPDATE OF received_at, agency_code, reused, channel, owner_verified, digitized, result_expected, e_result, finished_at, due_at, missed_reuse ON dossiers WHEN OLD.received_at IS NOT NULL BEGIN
	UPDATE kpi_daily SET received = received - 1, reused = reused - (OLD.reused <> 0), online = online - (OLD.channel = 2),
		verified = verified - (OLD.owner_verified <> 0),
		digitized = digitized - (OLD.digitized <> 0 AND (OLD.result_expected = 0 OR OLD.finished_at IS NULL OR OLD.e_result <> 0)),
		result_expected = result_expected - (OLD.result_expected <> 0), e_result = e_result - (OLD.e_result <> 0),
		shared = shared - (OLD.reused <> 0 OR OLD.e_result <> 0),
		late = late - (OLD.finished_at IS NOT NULL AND OLD.due_at IS NOT NULL AND OLD.finished_at > OLD.due_at),
		missed = missed - (OLD.missed_reuse <> 0 AND OLD.reused = 0), unfinished = unfinished - (OLD.finished_at IS NULL)
	WHERE day = (OLD.received_at / 1000000 + 25200) / 86400 AND agency_code = OLD.agency_code;
	UPDATE kpi_monthly SET received = received - 1, reused = reused - (OLD.reused <> 0), online = online - (OLD.channel = 2),
		verified = verified - (OLD.owner_verified <> 0),
		digitized = digitized - (OLD.digitized <> 0 AND (OLD.result_expected = 0 OR OLD.finished_at IS NULL OR OLD.e_result <> 0)),
		result_expected = result_expected - (OLD.result_expected <> 0), e_result = e_result - (OLD.e_result <> 0),
		shared = shared - (OLD.reused <> 0 OR OLD.e_result <> 0),
		late = late - (OLD.finished_at IS NOT NULL AND OLD.due_at IS NOT NULL AND OLD.finished_at > OLD.due_at),
		missed = missed - (OLD.missed_reuse <> 0 AND OLD.reused = 0), unfinished = unfinished - (OLD.finished_at IS NULL)
	WHERE month = (CAST(strftime('%Y', OLD.received_at / 1000000 + 25200, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', OLD.received_at / 1000000 + 25200, 'unixepoch') AS INTEGER) - 1) AND agency_code = OLD.agency_code;
END;

CREATE TRIGGER dossiers_kpi_update_new AFTER UPDATE OF received_at, agency_code, reused, channel, owner_verified, digitized, result_expected, e_result, finished_at, due_at, missed_reuse ON dossiers WHEN NEW.received_at IS NOT NULL BEGIN
	INSERT OR IGNORE INTO kpi_daily (agency_code, day) VALUES (NEW.agency_code, (NEW.received_at / 1000000 + 25200) / 86400);
	UPDATE kpi_daily SET received = received + 1, reused = reused + (NEW.reused <> 0), online = online + (NEW.channel = 2),
		verified = verified + (NEW.owner_verified <> 0),
		digitized = digitized + (NEW.digitized <> 0 AND (NEW.result_expected = 0 OR NEW.finished_at IS NULL OR NEW.e_result <> 0)),
		result_expected = result_expected + (NEW.result_expected <> 0), e_result = e_result + (NEW.e_result <> 0),
		shared = shared + (NEW.reused <> 0 OR NEW.e_result <> 0),
		late = late + (NEW.finished_at IS NOT NULL AND NEW.due_at IS NOT NULL AND NEW.finished_at > NEW.due_at),
		missed = missed + (NEW.missed_reuse <> 0 AND NEW.reused = 0), unfinished = unfinished + (NEW.finished_at IS NULL)
	WHERE day = (NEW.received_at / 1000000 + 25200) / 86400 AND agency_code = NEW.agency_code;
	INSERT OR IGNORE INTO kpi_monthly (agency_code, month) VALUES (NEW.agency_code, (CAST(strftime('%Y', NEW.received_at / 1000000 + 25200, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', NEW.received_at / 1000000 + 25200, 'unixepoch') AS INTEGER) - 1));
	UPDATE kpi_monthly SET received = received + 1, reused = reused + (NEW.reused <> 0), online = online + (NEW.channel = 2),
		verified = verified + (NEW.owner_verified <> 0),
		digitized = digitized + (NEW.digitized <> 0 AND (NEW.result_expected = 0 OR NEW.finished_at IS NULL OR NEW.e_result <> 0)),
		result_expected = result_expected + (NEW.result_expected <> 0), e_result = e_result + (NEW.e_result <> 0),
		shared = shared + (NEW.reused <> 0 OR NEW.e_result <> 0),
		late = late + (NEW.finished_at IS NOT NULL AND NEW.due_at IS NOT NULL AND NEW.finished_at > NEW.due_at),
		missed = missed + (NEW.missed_reuse <> 0 AND NEW.reused = 0), unfinished = unfinished + (NEW.finished_at IS NULL)
	WHERE month = (CAST(strftime('%Y', NEW.received_at / 1000000 + 25200, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', NEW.received_at / 1000000 + 25200, 'unixepoch') AS INTEGER) - 1) AND agency_code = NEW.agency_code;
END;

-- kpi_open_due and kpi_open_due_total: an open dossier adds one to its
-- rows; finishing it, moving its receipt or due date, or deleting it takes
-- the one away again, and a row that reaches zero goes.
CREATE TRIGGER dossiers_kpi_open_insert AFTER INSERT ON dossiers WHEN NEW.received_at IS NOT NULL AND NEW.finished_at IS NULL BEGIN
	INSERT INTO kpi_open_due (due_day, received_day, agency_code, dossiers)
	VALUES (COALESCE((NEW.due_at / 1000000 + 25200) / 86400, 2147483647), (NEW.received_at / 1000000 + 25200) / 86400, NEW.agency_code, 1)
	ON CONFLICT (due_day, received_day, agency_code) DO UPDATE SET dossiers = dossiers + 1;
	INSERT INTO kpi_open_due_total (due_day, agency_code, dossiers)
	VALUES (COALESCE((NEW.due_at / 1000000 + 25200) / 86400, 2147483647), NEW.agency_code, 1)
	ON CONFLICT (due_day, agency_code) DO UPDATE SET dossiers = dossiers + 1;
END;

CREATE TRIGGER dossiers_kpi_open_delete AFTER DELETE ON dossiers WHEN OLD.received_at IS NOT NULL AND OLD.finished_at IS NULL BEGIN
	UPDATE kpi_open_due SET dossiers = dossiers - 1
	WHERE due_day = COALESCE((OLD.due_at / 1000000 + 25200) / 86400, 2147483647)
		AND received_day = (OLD.received_at / 1000000 + 25200) / 86400 AND agency_code = OLD.agency_code;
	DELETE FROM kpi_open_due
	WHERE due_day = COALESCE((OLD.due_at / 1000000 + 25200) / 86400, 2147483647)
		AND received_day = (OLD.received_at / 1000000 + 25200) / 86400 AND agency_code = OLD.agency_code AND dossiers = 0;
	UPDATE kpi_open_due_total SET dossiers = dossiers - 1
	WHERE due_day = COALESCE((OLD.due_at / 1000000 + 25200) / 86400, 2147483647) AND agency_code = OLD.agency_code;
	DELETE FROM kpi_open_due_total
	WHERE due_day = COALESCE((OLD.due_at / 1000000 + 25200) / 86400, 2147483647) AND agency_code = OLD.agency_code AND dossiers = 0;
END;

CREATE TRIGGER dossiers_kpi_open_update_old AFTER UPDATE OF received_at, agency_code, due_at, finished_at ON dossiers
WHEN OLD.received_at IS NOT NULL AND OLD.finished_at IS NULL BEGIN
	UPDATE kpi_open_due SET dossiers = dossiers - 1
	WHERE due_day = COALESCE((OLD.due_at / 1000000 + 25200) / 86400, 2147483647)
		AND received_day = (OLD.received_at / 1000000 + 25200) / 86400 AND agency_code = OLD.agency_code;
	DELETE FROM kpi_open_due
	WHERE due_day = COALESCE((OLD.due_at / 1000000 + 25200) / 86400, 2147483647)
		AND received_day = (OLD.received_at / 1000000 + 25200) / 86400 AND agency_code = OLD.agency_code AND dossiers = 0;
	UPDATE kpi_open_due_total SET dossiers = dossiers - 1
	WHERE due_day = COALESCE((OLD.due_at / 1000000 + 25200) / 86400, 2147483647) AND agency_code = OLD.agency_code;
	DELETE FROM kpi_open_due_total
	WHERE due_day = COALESCE((OLD.due_at / 1000000 + 25200) / 86400, 2147483647) AND agency_code = OLD.agency_code AND dossiers = 0;
END;

CREATE TRIGGER dossiers_kpi_open_update_new AFTER UPDATE OF received_at, agency_code, due_at, finished_at ON dossiers
WHEN NEW.received_at IS NOT NULL AND NEW.finished_at IS NULL BEGIN
	INSERT INTO kpi_open_due (due_day, received_day, agency_code, dossiers)
	VALUES (COALESCE((NEW.due_at / 1000000 + 25200) / 86400, 2147483647), (NEW.received_at / 1000000 + 25200) / 86400, NEW.agency_code, 1)
	ON CONFLICT (due_day, received_day, agency_code) DO UPDATE SET dossiers = dossiers + 1;
	INSERT INTO kpi_open_due_total (due_day, agency_code, dossiers)
	VALUES (COALESCE((NEW.due_at / 1000000 + 25200) / 86400, 2147483647), NEW.agency_code, 1)
	ON CONFLICT (due_day, agency_code) DO UPDATE SET dossiers = dossiers + 1;
END;
