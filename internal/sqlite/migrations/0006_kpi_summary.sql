-- Decision 766 indicators from a summary kept by triggers: one row per
-- receiving agency and receipt day (Vietnam time, days since 1970-01-01),
-- changed in the same transaction as the dossier, so that a period's table
-- sums a few hundred rows per agency instead of every dossier, and every
-- way a dossier changes (receipt, correction of the receipt date,
-- re-marked components, results, deletion) is reflected.
ALTER TABLE dossiers ADD COLUMN result_expected INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN digitized INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN e_result INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN received_by TEXT NOT NULL DEFAULT '';

UPDATE dossiers SET
	result_expected = COALESCE((SELECT p.result_category IS NOT NULL AND p.result_category <> ''
		FROM procedures p WHERE p.code = dossiers.procedure_code), 0),
	e_result = (json_array_length(result_doc_ids) > 0),
	digitized = (EXISTS (SELECT 1 FROM json_each(dossiers.components) c
			WHERE json_extract(c.value, '$.required') = 1 OR json_array_length(json_extract(c.value, '$.attachments')) > 0)
		AND NOT EXISTS (SELECT 1 FROM json_each(dossiers.components) c
			WHERE (json_extract(c.value, '$.required') = 1 OR json_array_length(json_extract(c.value, '$.attachments')) > 0)
			AND COALESCE(json_extract(c.value, '$.digitization'), 0) = 0)),
	received_by = COALESCE((SELECT h.actor FROM dossier_status_history h
		WHERE h.dossier_id = dossiers.id AND h.to_status = 2 ORDER BY h.seq LIMIT 1), '');

CREATE TABLE kpi_daily (
	agency_code     TEXT NOT NULL,
	day             INTEGER NOT NULL,
	received        INTEGER NOT NULL DEFAULT 0,
	reused          INTEGER NOT NULL DEFAULT 0,
	online          INTEGER NOT NULL DEFAULT 0,
	verified        INTEGER NOT NULL DEFAULT 0,
	digitized       INTEGER NOT NULL DEFAULT 0,
	result_expected INTEGER NOT NULL DEFAULT 0,
	e_result        INTEGER NOT NULL DEFAULT 0,
	shared          INTEGER NOT NULL DEFAULT 0,
	late            INTEGER NOT NULL DEFAULT 0,
	missed          INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (day, agency_code)
) WITHOUT ROWID;

-- The same per calendar month (year × 12 + month − 1), so that a year is
-- twelve rows per agency.
CREATE TABLE kpi_monthly (
	agency_code     TEXT NOT NULL,
	month           INTEGER NOT NULL,
	received        INTEGER NOT NULL DEFAULT 0,
	reused          INTEGER NOT NULL DEFAULT 0,
	online          INTEGER NOT NULL DEFAULT 0,
	verified        INTEGER NOT NULL DEFAULT 0,
	digitized       INTEGER NOT NULL DEFAULT 0,
	result_expected INTEGER NOT NULL DEFAULT 0,
	e_result        INTEGER NOT NULL DEFAULT 0,
	shared          INTEGER NOT NULL DEFAULT 0,
	late            INTEGER NOT NULL DEFAULT 0,
	missed          INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (month, agency_code)
) WITHOUT ROWID;

-- A dossier's contribution, as the triggers below compute it from NEW or OLD:
--   received 1; reused; online = channel 2; verified = owner_verified;
--   digitized = digitized AND (no result expected OR not finished OR e-result);
--   result_expected; e_result; shared = reused OR e_result;
--   late = finished after the due date (still-open overdue dossiers are
--   counted when a report is read, as they change with time);
--   missed = missed_reuse AND NOT reused.
INSERT INTO kpi_daily (agency_code, day, received, reused, online, verified, digitized, result_expected, e_result, shared, late, missed)
SELECT agency_code, (received_at / 1000000 + 25200) / 86400, COUNT(*), SUM(reused <> 0), SUM(channel = 2), SUM(owner_verified <> 0),
	SUM(digitized <> 0 AND (result_expected = 0 OR finished_at IS NULL OR e_result <> 0)), SUM(result_expected <> 0),
	SUM(e_result <> 0), SUM(reused <> 0 OR e_result <> 0),
	SUM(finished_at IS NOT NULL AND due_at IS NOT NULL AND finished_at > due_at), SUM(missed_reuse <> 0 AND reused = 0)
FROM dossiers WHERE received_at IS NOT NULL
GROUP BY agency_code, (received_at / 1000000 + 25200) / 86400;

INSERT INTO kpi_monthly (agency_code, month, received, reused, online, verified, digitized, result_expected, e_result, shared, late, missed)
SELECT agency_code, CAST(strftime('%Y', day * 86400, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', day * 86400, 'unixepoch') AS INTEGER) - 1,
	SUM(received), SUM(reused), SUM(online), SUM(verified), SUM(digitized), SUM(result_expected), SUM(e_result), SUM(shared), SUM(late), SUM(missed)
FROM kpi_daily GROUP BY 1, 2;

CREATE TRIGGER dossiers_kpi_insert AFTER INSERT ON dossiers WHEN NEW.received_at IS NOT NULL BEGIN
	INSERT OR IGNORE INTO kpi_daily (agency_code, day) VALUES (NEW.agency_code, (NEW.received_at / 1000000 + 25200) / 86400);
	UPDATE kpi_daily SET received = received + 1, reused = reused + (NEW.reused <> 0), online = online + (NEW.channel = 2),
		verified = verified + (NEW.owner_verified <> 0),
		digitized = digitized + (NEW.digitized <> 0 AND (NEW.result_expected = 0 OR NEW.finished_at IS NULL OR NEW.e_result <> 0)),
		result_expected = result_expected + (NEW.result_expected <> 0), e_result = e_result + (NEW.e_result <> 0),
		shared = shared + (NEW.reused <> 0 OR NEW.e_result <> 0),
		late = late + (NEW.finished_at IS NOT NULL AND NEW.due_at IS NOT NULL AND NEW.finished_at > NEW.due_at),
		missed = missed + (NEW.missed_reuse <> 0 AND NEW.reused = 0)
	WHERE day = (NEW.received_at / 1000000 + 25200) / 86400 AND agency_code = NEW.agency_code;
	INSERT OR IGNORE INTO kpi_monthly (agency_code, month) VALUES (NEW.agency_code, (CAST(strftime('%Y', NEW.received_at / 1000000 + 25200, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', NEW.received_at / 1000000 + 25200, 'unixepoch') AS INTEGER) - 1));
	UPDATE kpi_monthly SET received = received + 1, reused = reused + (NEW.reused <> 0), online = online + (NEW.channel = 2),
		verified = verified + (NEW.owner_verified <> 0),
		digitized = digitized + (NEW.digitized <> 0 AND (NEW.result_expected = 0 OR NEW.finished_at IS NULL OR NEW.e_result <> 0)),
		result_expected = result_expected + (NEW.result_expected <> 0), e_result = e_result + (NEW.e_result <> 0),
		shared = shared + (NEW.reused <> 0 OR NEW.e_result <> 0),
		late = late + (NEW.finished_at IS NOT NULL AND NEW.due_at IS NOT NULL AND NEW.finished_at > NEW.due_at),
		missed = missed + (NEW.missed_reuse <> 0 AND NEW.reused = 0)
	WHERE month = (CAST(strftime('%Y', NEW.received_at / 1000000 + 25200, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', NEW.received_at / 1000000 + 25200, 'unixepoch') AS INTEGER) - 1) AND agency_code = NEW.agency_code;
END;

CREATE TRIGGER dossiers_kpi_delete AFTER DELETE ON dossiers WHEN OLD.received_at IS NOT NULL BEGIN
	UPDATE kpi_daily SET received = received - 1, reused = reused - (OLD.reused <> 0), online = online - (OLD.channel = 2),
		verified = verified - (OLD.owner_verified <> 0),
		digitized = digitized - (OLD.digitized <> 0 AND (OLD.result_expected = 0 OR OLD.finished_at IS NULL OR OLD.e_result <> 0)),
		result_expected = result_expected - (OLD.result_expected <> 0), e_result = e_result - (OLD.e_result <> 0),
		shared = shared - (OLD.reused <> 0 OR OLD.e_result <> 0),
		late = late - (OLD.finished_at IS NOT NULL AND OLD.due_at IS NOT NULL AND OLD.finished_at > OLD.due_at),
		missed = missed - (OLD.missed_reuse <> 0 AND OLD.reused = 0)
	WHERE day = (OLD.received_at / 1000000 + 25200) / 86400 AND agency_code = OLD.agency_code;
	UPDATE kpi_monthly SET received = received - 1, reused = reused - (OLD.reused <> 0), online = online - (OLD.channel = 2),
		verified = verified - (OLD.owner_verified <> 0),
		digitized = digitized - (OLD.digitized <> 0 AND (OLD.result_expected = 0 OR OLD.finished_at IS NULL OR OLD.e_result <> 0)),
		result_expected = result_expected - (OLD.result_expected <> 0), e_result = e_result - (OLD.e_result <> 0),
		shared = shared - (OLD.reused <> 0 OR OLD.e_result <> 0),
		late = late - (OLD.finished_at IS NOT NULL AND OLD.due_at IS NOT NULL AND OLD.finished_at > OLD.due_at),
		missed = missed - (OLD.missed_reuse <> 0 AND OLD.reused = 0)
	WHERE month = (CAST(strftime('%Y', OLD.received_at / 1000000 + 25200, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', OLD.received_at / 1000000 + 25200, 'unixepoch') AS INTEGER) - 1) AND agency_code = OLD.agency_code;
END;

-- An update is the old contribution taken away and the new one added.
CREATE TRIGGER dossiers_kpi_update_old AFTER UPDATE OF received_at, agency_code, reused, channel, owner_verified, digitized, result_expected, e_result, finished_at, due_at, missed_reuse ON dossiers WHEN OLD.received_at IS NOT NULL BEGIN
	UPDATE kpi_daily SET received = received - 1, reused = reused - (OLD.reused <> 0), online = online - (OLD.channel = 2),
		verified = verified - (OLD.owner_verified <> 0),
		digitized = digitized - (OLD.digitized <> 0 AND (OLD.result_expected = 0 OR OLD.finished_at IS NULL OR OLD.e_result <> 0)),
		result_expected = result_expected - (OLD.result_expected <> 0), e_result = e_result - (OLD.e_result <> 0),
		shared = shared - (OLD.reused <> 0 OR OLD.e_result <> 0),
		late = late - (OLD.finished_at IS NOT NULL AND OLD.due_at IS NOT NULL AND OLD.finished_at > OLD.due_at),
		missed = missed - (OLD.missed_reuse <> 0 AND OLD.reused = 0)
	WHERE day = (OLD.received_at / 1000000 + 25200) / 86400 AND agency_code = OLD.agency_code;
	UPDATE kpi_monthly SET received = received - 1, reused = reused - (OLD.reused <> 0), online = online - (OLD.channel = 2),
		verified = verified - (OLD.owner_verified <> 0),
		digitized = digitized - (OLD.digitized <> 0 AND (OLD.result_expected = 0 OR OLD.finished_at IS NULL OR OLD.e_result <> 0)),
		result_expected = result_expected - (OLD.result_expected <> 0), e_result = e_result - (OLD.e_result <> 0),
		shared = shared - (OLD.reused <> 0 OR OLD.e_result <> 0),
		late = late - (OLD.finished_at IS NOT NULL AND OLD.due_at IS NOT NULL AND OLD.finished_at > OLD.due_at),
		missed = missed - (OLD.missed_reuse <> 0 AND OLD.reused = 0)
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
		missed = missed + (NEW.missed_reuse <> 0 AND NEW.reused = 0)
	WHERE day = (NEW.received_at / 1000000 + 25200) / 86400 AND agency_code = NEW.agency_code;
	INSERT OR IGNORE INTO kpi_monthly (agency_code, month) VALUES (NEW.agency_code, (CAST(strftime('%Y', NEW.received_at / 1000000 + 25200, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', NEW.received_at / 1000000 + 25200, 'unixepoch') AS INTEGER) - 1));
	UPDATE kpi_monthly SET received = received + 1, reused = reused + (NEW.reused <> 0), online = online + (NEW.channel = 2),
		verified = verified + (NEW.owner_verified <> 0),
		digitized = digitized + (NEW.digitized <> 0 AND (NEW.result_expected = 0 OR NEW.finished_at IS NULL OR NEW.e_result <> 0)),
		result_expected = result_expected + (NEW.result_expected <> 0), e_result = e_result + (NEW.e_result <> 0),
		shared = shared + (NEW.reused <> 0 OR NEW.e_result <> 0),
		late = late + (NEW.finished_at IS NOT NULL AND NEW.due_at IS NOT NULL AND NEW.finished_at > NEW.due_at),
		missed = missed + (NEW.missed_reuse <> 0 AND NEW.reused = 0)
	WHERE month = (CAST(strftime('%Y', NEW.received_at / 1000000 + 25200, 'unixepoch') AS INTEGER) * 12 + CAST(strftime('%m', NEW.received_at / 1000000 + 25200, 'unixepoch') AS INTEGER) - 1) AND agency_code = NEW.agency_code;
END;

-- Dossiers still open, for the overdue part of indicator 2.1.
-- It covers the query (index-only), so a year's open dossiers are counted
-- without reading the dossiers themselves.
CREATE INDEX dossiers_open ON dossiers (received_at, due_at, agency_code) WHERE finished_at IS NULL AND received_at IS NOT NULL;

-- The dossiers that missed a reuse and reused nothing, for the monitors'
-- actionable list.
CREATE INDEX dossiers_missed ON dossiers (received_at) WHERE missed_reuse AND NOT reused;
