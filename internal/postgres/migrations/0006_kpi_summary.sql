-- Decision 766 indicators from a summary kept by a trigger: one row per
-- receiving agency and receipt day (Vietnam time, days since 1970-01-01),
-- changed in the same transaction as the dossier, so that a period's table
-- sums a few hundred rows per agency instead of every dossier, and every
-- way a dossier changes (receipt, correction of the receipt date,
-- re-marked components, results, deletion) is reflected.
ALTER TABLE dossiers ADD COLUMN result_expected BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE dossiers ADD COLUMN digitized BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE dossiers ADD COLUMN e_result BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE dossiers ADD COLUMN received_by TEXT NOT NULL DEFAULT '';

UPDATE dossiers SET
	result_expected = COALESCE((SELECT p.result_category IS NOT NULL AND p.result_category <> ''
		FROM procedures p WHERE p.code = dossiers.procedure_code), false),
	e_result = jsonb_array_length(result_doc_ids) > 0,
	digitized = EXISTS (SELECT 1 FROM jsonb_array_elements(dossiers.components) c
			WHERE (c ->> 'required')::boolean OR jsonb_array_length(COALESCE(c -> 'attachments', '[]')) > 0)
		AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(dossiers.components) c
			WHERE ((c ->> 'required')::boolean OR jsonb_array_length(COALESCE(c -> 'attachments', '[]')) > 0)
			AND COALESCE((c ->> 'digitization')::int, 0) = 0),
	received_by = COALESCE((SELECT h.actor FROM dossier_status_history h
		WHERE h.dossier_id = dossiers.id AND h.to_status = 2 ORDER BY h.seq LIMIT 1), '');

CREATE TABLE kpi_daily (
	agency_code     TEXT NOT NULL,
	day             INTEGER NOT NULL,
	received        BIGINT NOT NULL DEFAULT 0,
	reused          BIGINT NOT NULL DEFAULT 0,
	online          BIGINT NOT NULL DEFAULT 0,
	verified        BIGINT NOT NULL DEFAULT 0,
	digitized       BIGINT NOT NULL DEFAULT 0,
	result_expected BIGINT NOT NULL DEFAULT 0,
	e_result        BIGINT NOT NULL DEFAULT 0,
	shared          BIGINT NOT NULL DEFAULT 0,
	late            BIGINT NOT NULL DEFAULT 0,
	missed          BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (day, agency_code)
);

-- The same per calendar month (year × 12 + month − 1), so that a year is
-- twelve rows per agency.
CREATE TABLE kpi_monthly (LIKE kpi_daily INCLUDING DEFAULTS);
ALTER TABLE kpi_monthly RENAME COLUMN day TO month;
ALTER TABLE kpi_monthly ADD PRIMARY KEY (month, agency_code);

CREATE FUNCTION kpi_month(received_at BIGINT) RETURNS INTEGER LANGUAGE sql IMMUTABLE AS $$
	SELECT (EXTRACT(YEAR FROM d) * 12 + EXTRACT(MONTH FROM d) - 1)::int
	FROM (SELECT to_timestamp(received_at / 1000000 + 25200) AT TIME ZONE 'UTC' AS d) t
$$;

-- A dossier's contribution (sign +1 or -1), the same formulas as SQLite's
-- triggers: received 1; reused; online = channel 2; verified;
-- digitized AND (no result expected OR not finished OR e-result);
-- result_expected; e_result; shared = reused OR e_result; late = finished
-- after the due date (open overdue dossiers are counted when a report is
-- read); missed = missed_reuse AND NOT reused.
CREATE FUNCTION kpi_daily_add(d dossiers, sign INTEGER) RETURNS void LANGUAGE sql AS $$
	INSERT INTO kpi_daily AS k (agency_code, day, received, reused, online, verified, digitized, result_expected, e_result,
		shared, late, missed)
	VALUES (d.agency_code, ((d.received_at / 1000000 + 25200) / 86400)::int, sign,
		sign * d.reused::int, sign * (d.channel = 2)::int, sign * d.owner_verified::int,
		sign * (d.digitized AND (NOT d.result_expected OR d.finished_at IS NULL OR d.e_result))::int,
		sign * d.result_expected::int, sign * d.e_result::int, sign * (d.reused OR d.e_result)::int,
		sign * COALESCE(d.finished_at > d.due_at, false)::int, sign * (d.missed_reuse AND NOT d.reused)::int)
	ON CONFLICT (day, agency_code) DO UPDATE SET received = k.received + EXCLUDED.received, reused = k.reused + EXCLUDED.reused,
		online = k.online + EXCLUDED.online, verified = k.verified + EXCLUDED.verified,
		digitized = k.digitized + EXCLUDED.digitized, result_expected = k.result_expected + EXCLUDED.result_expected,
		e_result = k.e_result + EXCLUDED.e_result, shared = k.shared + EXCLUDED.shared, late = k.late + EXCLUDED.late,
		missed = k.missed + EXCLUDED.missed;
	INSERT INTO kpi_monthly AS k (agency_code, month, received, reused, online, verified, digitized, result_expected, e_result,
		shared, late, missed)
	VALUES (d.agency_code, kpi_month(d.received_at), sign,
		sign * d.reused::int, sign * (d.channel = 2)::int, sign * d.owner_verified::int,
		sign * (d.digitized AND (NOT d.result_expected OR d.finished_at IS NULL OR d.e_result))::int,
		sign * d.result_expected::int, sign * d.e_result::int, sign * (d.reused OR d.e_result)::int,
		sign * COALESCE(d.finished_at > d.due_at, false)::int, sign * (d.missed_reuse AND NOT d.reused)::int)
	ON CONFLICT (month, agency_code) DO UPDATE SET received = k.received + EXCLUDED.received, reused = k.reused + EXCLUDED.reused,
		online = k.online + EXCLUDED.online, verified = k.verified + EXCLUDED.verified,
		digitized = k.digitized + EXCLUDED.digitized, result_expected = k.result_expected + EXCLUDED.result_expected,
		e_result = k.e_result + EXCLUDED.e_result, shared = k.shared + EXCLUDED.shared, late = k.late + EXCLUDED.late,
		missed = k.missed + EXCLUDED.missed
$$;

INSERT INTO kpi_daily (agency_code, day, received, reused, online, verified, digitized, result_expected, e_result, shared, late, missed)
SELECT agency_code, ((received_at / 1000000 + 25200) / 86400)::int, COUNT(*), COUNT(*) FILTER (WHERE reused),
	COUNT(*) FILTER (WHERE channel = 2), COUNT(*) FILTER (WHERE owner_verified),
	COUNT(*) FILTER (WHERE digitized AND (NOT result_expected OR finished_at IS NULL OR e_result)),
	COUNT(*) FILTER (WHERE result_expected), COUNT(*) FILTER (WHERE e_result), COUNT(*) FILTER (WHERE reused OR e_result),
	COUNT(*) FILTER (WHERE finished_at > due_at), COUNT(*) FILTER (WHERE missed_reuse AND NOT reused)
FROM dossiers WHERE received_at IS NOT NULL
GROUP BY 1, 2;

INSERT INTO kpi_monthly (agency_code, month, received, reused, online, verified, digitized, result_expected, e_result, shared, late, missed)
SELECT agency_code, kpi_month(day::bigint * 86400 * 1000000 - 25200 * 1000000::bigint), SUM(received), SUM(reused), SUM(online),
	SUM(verified), SUM(digitized), SUM(result_expected), SUM(e_result), SUM(shared), SUM(late), SUM(missed)
FROM kpi_daily GROUP BY 1, 2;

CREATE FUNCTION dossiers_kpi() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' AND (OLD.received_at, OLD.agency_code, OLD.reused, OLD.channel, OLD.owner_verified, OLD.digitized,
		OLD.result_expected, OLD.e_result, OLD.finished_at, OLD.due_at, OLD.missed_reuse) IS NOT DISTINCT FROM
		(NEW.received_at, NEW.agency_code, NEW.reused, NEW.channel, NEW.owner_verified, NEW.digitized,
		NEW.result_expected, NEW.e_result, NEW.finished_at, NEW.due_at, NEW.missed_reuse) THEN
		RETURN NULL;
	END IF;
	-- Two summary rows change in a fixed order (day, then agency), so that
	-- two corrections moving receipts between the same days in opposite
	-- directions cannot deadlock.
	IF TG_OP = 'UPDATE' AND OLD.received_at IS NOT NULL AND NEW.received_at IS NOT NULL
		AND ((NEW.received_at / 1000000 + 25200) / 86400, NEW.agency_code) <
			((OLD.received_at / 1000000 + 25200) / 86400, OLD.agency_code) THEN
		PERFORM kpi_daily_add(NEW, 1);
		PERFORM kpi_daily_add(OLD, -1);
		RETURN NULL;
	END IF;
	IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.received_at IS NOT NULL THEN
		PERFORM kpi_daily_add(OLD, -1);
	END IF;
	IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.received_at IS NOT NULL THEN
		PERFORM kpi_daily_add(NEW, 1);
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER dossiers_kpi_insert AFTER INSERT ON dossiers FOR EACH ROW
	WHEN (NEW.received_at IS NOT NULL) EXECUTE FUNCTION dossiers_kpi();
CREATE TRIGGER dossiers_kpi_change AFTER UPDATE OR DELETE ON dossiers FOR EACH ROW EXECUTE FUNCTION dossiers_kpi();

-- Dossiers still open, for the overdue part of indicator 2.1.
-- It covers the query (index-only), so a year's open dossiers are counted
-- without reading the dossiers themselves.
CREATE INDEX dossiers_open ON dossiers (received_at, due_at, agency_code) WHERE finished_at IS NULL AND received_at IS NOT NULL;

-- The dossiers that missed a reuse and reused nothing, for the monitors'
-- actionable list.
CREATE INDEX dossiers_missed ON dossiers (received_at) WHERE missed_reuse AND NOT reused;

-- Every receipt updates one row of each summary: leave room on their pages
-- for the new row versions (HOT updates, no index churn) and vacuum them
-- often, so that they stay a few hundred pages however many dossiers arrive.
ALTER TABLE kpi_daily SET (fillfactor = 50, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000);
ALTER TABLE kpi_monthly SET (fillfactor = 50, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000);
