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
ALTER TABLE kpi_daily ADD COLUMN unfinished BIGINT NOT NULL DEFAULT 0;
ALTER TABLE kpi_monthly ADD COLUMN unfinished BIGINT NOT NULL DEFAULT 0;

CREATE TABLE kpi_open_due (
	due_day      INTEGER NOT NULL,
	received_day INTEGER NOT NULL,
	agency_code  TEXT NOT NULL,
	dossiers     BIGINT NOT NULL,
	PRIMARY KEY (due_day, received_day, agency_code)
);
CREATE TABLE kpi_open_due_total (
	due_day     INTEGER NOT NULL,
	agency_code TEXT NOT NULL,
	dossiers    BIGINT NOT NULL,
	PRIMARY KEY (due_day, agency_code)
);
-- As kpi_daily (migration 0006): frequent updates of few rows.
ALTER TABLE kpi_open_due SET (fillfactor = 50, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000);
ALTER TABLE kpi_open_due_total SET (fillfactor = 50, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000);

-- Today's open dossiers by due time.
CREATE INDEX dossiers_open_due ON dossiers (due_at, received_at, agency_code) WHERE finished_at IS NULL AND received_at IS NOT NULL;

-- kpi summaries: rebuild
-- Every summary from the dossiers (kpibench runs this part again after a
-- bulk load with the triggers dropped).
TRUNCATE kpi_daily, kpi_monthly, kpi_open_due, kpi_open_due_total;
INSERT INTO kpi_daily (agency_code, day, received, reused, online, verified, digitized, result_expected, e_result, shared, late, missed, unfinished)
SELECT agency_code, ((received_at / 1000000 + 25200) / 86400)::int, COUNT(*), COUNT(*) FILTER (WHERE reused),
	COUNT(*) FILTER (WHERE channel = 2), COUNT(*) FILTER (WHERE owner_verified),
	COUNT(*) FILTER (WHERE digitized AND (NOT result_expected OR finished_at IS NULL OR e_result)),
	COUNT(*) FILTER (WHERE result_expected), COUNT(*) FILTER (WHERE e_result), COUNT(*) FILTER (WHERE reused OR e_result),
	COUNT(*) FILTER (WHERE finished_at > due_at), COUNT(*) FILTER (WHERE missed_reuse AND NOT reused),
	COUNT(*) FILTER (WHERE finished_at IS NULL)
FROM dossiers WHERE received_at IS NOT NULL
GROUP BY 1, 2;
INSERT INTO kpi_monthly (agency_code, month, received, reused, online, verified, digitized, result_expected, e_result, shared, late, missed, unfinished)
SELECT agency_code, kpi_month(day::bigint * 86400 * 1000000 - 25200 * 1000000::bigint), SUM(received), SUM(reused), SUM(online),
	SUM(verified), SUM(digitized), SUM(result_expected), SUM(e_result), SUM(shared), SUM(late), SUM(missed), SUM(unfinished)
FROM kpi_daily GROUP BY 1, 2;
INSERT INTO kpi_open_due (due_day, received_day, agency_code, dossiers)
SELECT COALESCE(((due_at / 1000000 + 25200) / 86400)::int, 2147483647), ((received_at / 1000000 + 25200) / 86400)::int, agency_code, COUNT(*)
FROM dossiers WHERE finished_at IS NULL AND received_at IS NOT NULL
GROUP BY 1, 2, 3;
INSERT INTO kpi_open_due_total (due_day, agency_code, dossiers)
SELECT due_day, agency_code, SUM(dossiers) FROM kpi_open_due GROUP BY 1, 2;
-- kpi summaries: end

-- Migration 0006's contribution with unfinished = finished_at IS NULL,
-- kpi_daily and kpi_monthly now in two functions, so that the trigger can
-- change every kpi_daily row before any kpi_monthly row (see below).
CREATE OR REPLACE FUNCTION kpi_daily_add(d dossiers, sign INTEGER) RETURNS void LANGUAGE sql AS $$
	INSERT INTO kpi_daily AS k (agency_code, day, received, reused, online, verified, digitized, result_expected, e_result,
		shared, late, missed, unfinished)
	VALUES (d.agency_code, ((d.received_at / 1000000 + 25200) / 86400)::int, sign,
		sign * d.reused::int, sign * (d.channel = 2)::int, sign * d.owner_verified::int,
		sign * (d.digitized AND (NOT d.result_expected OR d.finished_at IS NULL OR d.e_result))::int,
		sign * d.result_expected::int, sign * d.e_result::int, sign * (d.reused OR d.e_result)::int,
		sign * COALESCE(d.finished_at > d.due_at, false)::int, sign * (d.missed_reuse AND NOT d.reused)::int,
		sign * (d.finished_at IS NULL)::int)
	ON CONFLICT (day, agency_code) DO UPDATE SET received = k.received + EXCLUDED.received, reused = k.reused + EXCLUDED.reused,
		online = k.online + EXCLUDED.online, verified = k.verified + EXCLUDED.verified,
		digitized = k.digitized + EXCLUDED.digitized, result_expected = k.result_expected + EXCLUDED.result_expected,
		e_result = k.e_result + EXCLUDED.e_result, shared = k.shared + EXCLUDED.shared, late = k.late + EXCLUDED.late,
		missed = k.missed + EXCLUDED.missed, unfinished = k.unfinished + EXCLUDED.unfinished
$$;

CREATE FUNCTION kpi_monthly_add(d dossiers, sign INTEGER) RETURNS void LANGUAGE sql AS $$
	INSERT INTO kpi_monthly AS k (agency_code, month, received, reused, online, verified, digitized, result_expected, e_result,
		shared, late, missed, unfinished)
	VALUES (d.agency_code, kpi_month(d.received_at), sign,
		sign * d.reused::int, sign * (d.channel = 2)::int, sign * d.owner_verified::int,
		sign * (d.digitized AND (NOT d.result_expected OR d.finished_at IS NULL OR d.e_result))::int,
		sign * d.result_expected::int, sign * d.e_result::int, sign * (d.reused OR d.e_result)::int,
		sign * COALESCE(d.finished_at > d.due_at, false)::int, sign * (d.missed_reuse AND NOT d.reused)::int,
		sign * (d.finished_at IS NULL)::int)
	ON CONFLICT (month, agency_code) DO UPDATE SET received = k.received + EXCLUDED.received, reused = k.reused + EXCLUDED.reused,
		online = k.online + EXCLUDED.online, verified = k.verified + EXCLUDED.verified,
		digitized = k.digitized + EXCLUDED.digitized, result_expected = k.result_expected + EXCLUDED.result_expected,
		e_result = k.e_result + EXCLUDED.e_result, shared = k.shared + EXCLUDED.shared, late = k.late + EXCLUDED.late,
		missed = k.missed + EXCLUDED.missed, unfinished = k.unfinished + EXCLUDED.unfinished
$$;

-- An open dossier's kpi_open_due row (sign +1 or -1); a row that reaches
-- zero goes. A concurrent upsert of a row deleted here inserts it again.
-- kpi_open_due_total_add is the same for kpi_open_due_total.
CREATE FUNCTION kpi_open_due_add(d dossiers, sign INTEGER) RETURNS void LANGUAGE sql AS $$
	INSERT INTO kpi_open_due AS k (due_day, received_day, agency_code, dossiers)
	SELECT COALESCE(((d.due_at / 1000000 + 25200) / 86400)::int, 2147483647), ((d.received_at / 1000000 + 25200) / 86400)::int,
		d.agency_code, sign
	WHERE d.received_at IS NOT NULL AND d.finished_at IS NULL
	ON CONFLICT (due_day, received_day, agency_code) DO UPDATE SET dossiers = k.dossiers + EXCLUDED.dossiers;
	DELETE FROM kpi_open_due
	WHERE sign < 0 AND due_day = COALESCE(((d.due_at / 1000000 + 25200) / 86400)::int, 2147483647)
		AND received_day = ((d.received_at / 1000000 + 25200) / 86400)::int AND agency_code = d.agency_code AND dossiers = 0
$$;

CREATE FUNCTION kpi_open_due_total_add(d dossiers, sign INTEGER) RETURNS void LANGUAGE sql AS $$
	INSERT INTO kpi_open_due_total AS k (due_day, agency_code, dossiers)
	SELECT COALESCE(((d.due_at / 1000000 + 25200) / 86400)::int, 2147483647), d.agency_code, sign
	WHERE d.received_at IS NOT NULL AND d.finished_at IS NULL
	ON CONFLICT (due_day, agency_code) DO UPDATE SET dossiers = k.dossiers + EXCLUDED.dossiers;
	DELETE FROM kpi_open_due_total
	WHERE sign < 0 AND due_day = COALESCE(((d.due_at / 1000000 + 25200) / 86400)::int, 2147483647)
		AND agency_code = d.agency_code AND dossiers = 0
$$;

CREATE OR REPLACE FUNCTION dossiers_kpi() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' AND (OLD.received_at, OLD.agency_code, OLD.reused, OLD.channel, OLD.owner_verified, OLD.digitized,
		OLD.result_expected, OLD.e_result, OLD.finished_at, OLD.due_at, OLD.missed_reuse) IS NOT DISTINCT FROM
		(NEW.received_at, NEW.agency_code, NEW.reused, NEW.channel, NEW.owner_verified, NEW.digitized,
		NEW.result_expected, NEW.e_result, NEW.finished_at, NEW.due_at, NEW.missed_reuse) THEN
		RETURN NULL;
	END IF;
	-- Summary rows change in one fixed order, table by table and by key
	-- within a table, so that two corrections moving receipts between the
	-- same days in opposite directions cannot deadlock: kpi_daily (by day,
	-- agency), kpi_monthly (by month, agency), kpi_open_due (by due day,
	-- receipt day, agency), kpi_open_due_total (by due day, agency).
	-- (Migration 0006 changed a day's row and its month's row together,
	-- which two corrections within one month could deadlock on.)
	IF TG_OP = 'UPDATE' AND OLD.received_at IS NOT NULL AND NEW.received_at IS NOT NULL
		AND ((NEW.received_at / 1000000 + 25200) / 86400, NEW.agency_code) <
			((OLD.received_at / 1000000 + 25200) / 86400, OLD.agency_code) THEN
		PERFORM kpi_daily_add(NEW, 1);
		PERFORM kpi_daily_add(OLD, -1);
	ELSE
		IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.received_at IS NOT NULL THEN
			PERFORM kpi_daily_add(OLD, -1);
		END IF;
		IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.received_at IS NOT NULL THEN
			PERFORM kpi_daily_add(NEW, 1);
		END IF;
	END IF;
	IF TG_OP = 'UPDATE' AND OLD.received_at IS NOT NULL AND NEW.received_at IS NOT NULL
		AND (kpi_month(NEW.received_at), NEW.agency_code) < (kpi_month(OLD.received_at), OLD.agency_code) THEN
		PERFORM kpi_monthly_add(NEW, 1);
		PERFORM kpi_monthly_add(OLD, -1);
	ELSE
		IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.received_at IS NOT NULL THEN
			PERFORM kpi_monthly_add(OLD, -1);
		END IF;
		IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.received_at IS NOT NULL THEN
			PERFORM kpi_monthly_add(NEW, 1);
		END IF;
	END IF;
	IF TG_OP = 'UPDATE' AND (OLD.received_at, OLD.agency_code, OLD.finished_at, OLD.due_at) IS NOT DISTINCT FROM
		(NEW.received_at, NEW.agency_code, NEW.finished_at, NEW.due_at) THEN
		RETURN NULL;
	END IF;
	IF TG_OP = 'UPDATE' AND OLD.received_at IS NOT NULL AND OLD.finished_at IS NULL
		AND NEW.received_at IS NOT NULL AND NEW.finished_at IS NULL
		AND (COALESCE((NEW.due_at / 1000000 + 25200) / 86400, 2147483647), (NEW.received_at / 1000000 + 25200) / 86400, NEW.agency_code) <
			(COALESCE((OLD.due_at / 1000000 + 25200) / 86400, 2147483647), (OLD.received_at / 1000000 + 25200) / 86400, OLD.agency_code) THEN
		PERFORM kpi_open_due_add(NEW, 1);
		PERFORM kpi_open_due_add(OLD, -1);
	ELSE
		IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.received_at IS NOT NULL AND OLD.finished_at IS NULL THEN
			PERFORM kpi_open_due_add(OLD, -1);
		END IF;
		IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.received_at IS NOT NULL AND NEW.finished_at IS NULL THEN
			PERFORM kpi_open_due_add(NEW, 1);
		END IF;
	END IF;
	IF TG_OP = 'UPDATE' AND OLD.received_at IS NOT NULL AND OLD.finished_at IS NULL
		AND NEW.received_at IS NOT NULL AND NEW.finished_at IS NULL
		AND (COALESCE((NEW.due_at / 1000000 + 25200) / 86400, 2147483647), NEW.agency_code) <
			(COALESCE((OLD.due_at / 1000000 + 25200) / 86400, 2147483647), OLD.agency_code) THEN
		PERFORM kpi_open_due_total_add(NEW, 1);
		PERFORM kpi_open_due_total_add(OLD, -1);
		RETURN NULL;
	END IF;
	IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.received_at IS NOT NULL AND OLD.finished_at IS NULL THEN
		PERFORM kpi_open_due_total_add(OLD, -1);
	END IF;
	IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.received_at IS NOT NULL AND NEW.finished_at IS NULL THEN
		PERFORM kpi_open_due_total_add(NEW, 1);
	END IF;
	RETURN NULL;
END
$$;
