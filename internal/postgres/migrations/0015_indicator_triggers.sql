-- The indicator summaries kept from the columns Go computes on each dossier
-- row (migration 0014, motcua.IndicatorsOf): the trigger only adds a row's
-- columns to its day's and month's summary rows, and an open dossier's one
-- to its due day's rows, and takes them away again when the row changes or
-- goes. Which dossier counts in what is decided in Go alone.
CREATE FUNCTION kpi_daily_add(d dossiers, sign INTEGER) RETURNS void LANGUAGE sql AS $$
	INSERT INTO kpi_daily AS k (agency_code, day, received, reused, online, verified, digitized, result_expected, e_result, shared, late, missed, unfinished)
	VALUES (d.agency_code, d.kpi_day, sign, sign * d.kpi_reused, sign * d.kpi_online, sign * d.kpi_verified, sign * d.kpi_digitized, sign * d.kpi_result_expected, sign * d.kpi_e_result, sign * d.kpi_shared, sign * d.kpi_late, sign * d.kpi_missed, sign * d.kpi_open)
	ON CONFLICT (day, agency_code) DO UPDATE SET received = k.received + EXCLUDED.received, reused = k.reused + EXCLUDED.reused, online = k.online + EXCLUDED.online, verified = k.verified + EXCLUDED.verified, digitized = k.digitized + EXCLUDED.digitized, result_expected = k.result_expected + EXCLUDED.result_expected, e_result = k.e_result + EXCLUDED.e_result, shared = k.shared + EXCLUDED.shared, late = k.late + EXCLUDED.late, missed = k.missed + EXCLUDED.missed, unfinished = k.unfinished + EXCLUDED.unfinished
$$;

CREATE FUNCTION kpi_monthly_add(d dossiers, sign INTEGER) RETURNS void LANGUAGE sql AS $$
	INSERT INTO kpi_monthly AS k (agency_code, month, received, reused, online, verified, digitized, result_expected, e_result, shared, late, missed, unfinished)
	VALUES (d.agency_code, d.kpi_month, sign, sign * d.kpi_reused, sign * d.kpi_online, sign * d.kpi_verified, sign * d.kpi_digitized, sign * d.kpi_result_expected, sign * d.kpi_e_result, sign * d.kpi_shared, sign * d.kpi_late, sign * d.kpi_missed, sign * d.kpi_open)
	ON CONFLICT (month, agency_code) DO UPDATE SET received = k.received + EXCLUDED.received, reused = k.reused + EXCLUDED.reused, online = k.online + EXCLUDED.online, verified = k.verified + EXCLUDED.verified, digitized = k.digitized + EXCLUDED.digitized, result_expected = k.result_expected + EXCLUDED.result_expected, e_result = k.e_result + EXCLUDED.e_result, shared = k.shared + EXCLUDED.shared, late = k.late + EXCLUDED.late, missed = k.missed + EXCLUDED.missed, unfinished = k.unfinished + EXCLUDED.unfinished
$$;

-- An open dossier's kpi_open_due row (sign +1 or -1); a row that reaches
-- zero goes. kpi_open_due_total_add is the same for kpi_open_due_total.
CREATE FUNCTION kpi_open_due_add(d dossiers, sign INTEGER) RETURNS void LANGUAGE sql AS $$
	INSERT INTO kpi_open_due AS k (due_day, received_day, agency_code, dossiers)
	VALUES (d.kpi_due_day, d.kpi_day, d.agency_code, sign)
	ON CONFLICT (due_day, received_day, agency_code) DO UPDATE SET dossiers = k.dossiers + EXCLUDED.dossiers;
	DELETE FROM kpi_open_due
	WHERE sign < 0 AND due_day = d.kpi_due_day AND received_day = d.kpi_day AND agency_code = d.agency_code AND dossiers = 0
$$;

CREATE FUNCTION kpi_open_due_total_add(d dossiers, sign INTEGER) RETURNS void LANGUAGE sql AS $$
	INSERT INTO kpi_open_due_total AS k (due_day, agency_code, dossiers)
	VALUES (d.kpi_due_day, d.agency_code, sign)
	ON CONFLICT (due_day, agency_code) DO UPDATE SET dossiers = k.dossiers + EXCLUDED.dossiers;
	DELETE FROM kpi_open_due_total
	WHERE sign < 0 AND due_day = d.kpi_due_day AND agency_code = d.agency_code AND dossiers = 0
$$;

-- Summary rows change in one fixed order, table by table and by key within
-- a table, so that two corrections moving receipts between the same days in
-- opposite directions cannot deadlock (migration 0011).
CREATE FUNCTION dossiers_kpi() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' AND (OLD.agency_code, OLD.kpi_day, OLD.kpi_month, OLD.kpi_due_day, OLD.kpi_reused, OLD.kpi_online, OLD.kpi_verified, OLD.kpi_digitized, OLD.kpi_result_expected, OLD.kpi_e_result, OLD.kpi_shared, OLD.kpi_late, OLD.kpi_missed, OLD.kpi_open) IS NOT DISTINCT FROM
		(NEW.agency_code, NEW.kpi_day, NEW.kpi_month, NEW.kpi_due_day, NEW.kpi_reused, NEW.kpi_online, NEW.kpi_verified, NEW.kpi_digitized, NEW.kpi_result_expected, NEW.kpi_e_result, NEW.kpi_shared, NEW.kpi_late, NEW.kpi_missed, NEW.kpi_open) THEN
		RETURN NULL;
	END IF;
	IF TG_OP = 'UPDATE' AND OLD.kpi_day IS NOT NULL AND NEW.kpi_day IS NOT NULL AND (NEW.kpi_day, NEW.agency_code) < (OLD.kpi_day, OLD.agency_code) THEN
		PERFORM kpi_daily_add(NEW, 1);
		PERFORM kpi_daily_add(OLD, -1);
	ELSE
		IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.kpi_day IS NOT NULL THEN
			PERFORM kpi_daily_add(OLD, -1);
		END IF;
		IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.kpi_day IS NOT NULL THEN
			PERFORM kpi_daily_add(NEW, 1);
		END IF;
	END IF;
	IF TG_OP = 'UPDATE' AND OLD.kpi_day IS NOT NULL AND NEW.kpi_day IS NOT NULL AND (NEW.kpi_month, NEW.agency_code) < (OLD.kpi_month, OLD.agency_code) THEN
		PERFORM kpi_monthly_add(NEW, 1);
		PERFORM kpi_monthly_add(OLD, -1);
	ELSE
		IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.kpi_day IS NOT NULL THEN
			PERFORM kpi_monthly_add(OLD, -1);
		END IF;
		IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.kpi_day IS NOT NULL THEN
			PERFORM kpi_monthly_add(NEW, 1);
		END IF;
	END IF;
	IF TG_OP = 'UPDATE' AND OLD.kpi_day IS NOT NULL AND OLD.kpi_open = 1 AND NEW.kpi_day IS NOT NULL AND NEW.kpi_open = 1 AND (NEW.kpi_due_day, NEW.kpi_day, NEW.agency_code) < (OLD.kpi_due_day, OLD.kpi_day, OLD.agency_code) THEN
		PERFORM kpi_open_due_add(NEW, 1);
		PERFORM kpi_open_due_add(OLD, -1);
	ELSE
		IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.kpi_day IS NOT NULL AND OLD.kpi_open = 1 THEN
			PERFORM kpi_open_due_add(OLD, -1);
		END IF;
		IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.kpi_day IS NOT NULL AND NEW.kpi_open = 1 THEN
			PERFORM kpi_open_due_add(NEW, 1);
		END IF;
	END IF;
	IF TG_OP = 'UPDATE' AND OLD.kpi_day IS NOT NULL AND OLD.kpi_open = 1 AND NEW.kpi_day IS NOT NULL AND NEW.kpi_open = 1 AND (NEW.kpi_due_day, NEW.agency_code) < (OLD.kpi_due_day, OLD.agency_code) THEN
		PERFORM kpi_open_due_total_add(NEW, 1);
		PERFORM kpi_open_due_total_add(OLD, -1);
	ELSE
		IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.kpi_day IS NOT NULL AND OLD.kpi_open = 1 THEN
			PERFORM kpi_open_due_total_add(OLD, -1);
		END IF;
		IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.kpi_day IS NOT NULL AND NEW.kpi_open = 1 THEN
			PERFORM kpi_open_due_total_add(NEW, 1);
		END IF;
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER dossiers_kpi_insert AFTER INSERT ON dossiers FOR EACH ROW
	WHEN (NEW.kpi_day IS NOT NULL) EXECUTE FUNCTION dossiers_kpi();
CREATE TRIGGER dossiers_kpi_change AFTER UPDATE OF agency_code, kpi_day, kpi_month, kpi_due_day, kpi_reused, kpi_online, kpi_verified, kpi_digitized, kpi_result_expected, kpi_e_result, kpi_shared, kpi_late, kpi_missed, kpi_open OR DELETE ON dossiers
	FOR EACH ROW EXECUTE FUNCTION dossiers_kpi();

-- The open dossiers (received, not finished), for the open overdue part of
-- indicator 2.1 when a period is counted raw (covering, index-only), and
-- today's open dossiers by due time; the missed reuses, for the monitors'
-- actionable list.
CREATE INDEX dossiers_open ON dossiers (received_at, due_at, agency_code) WHERE kpi_open = 1;
CREATE INDEX dossiers_open_due ON dossiers (due_at, received_at, agency_code) WHERE kpi_open = 1;
CREATE INDEX dossiers_missed ON dossiers (received_at) WHERE kpi_missed = 1;
