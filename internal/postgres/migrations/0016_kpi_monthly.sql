-- Monthly compilation (seed 002, "tổng hợp hằng tháng"): each month's
-- counts per receiving agency as they were when the month was compiled.
-- Later corrections change the live summaries, never these rows; the
-- month's primary key makes taking it twice (two nodes, a rerun) store it
-- once.
CREATE TABLE kpi_snapshots (
	month    TEXT PRIMARY KEY, -- YYYY-MM
	taken_at BIGINT NOT NULL,
	taken_by TEXT NOT NULL,
	reason   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE kpi_snapshot_counts (
	month           TEXT NOT NULL REFERENCES kpi_snapshots (month) ON DELETE CASCADE,
	agency_code     TEXT NOT NULL,
	received        BIGINT NOT NULL,
	reused          BIGINT NOT NULL,
	online          BIGINT NOT NULL,
	verified        BIGINT NOT NULL,
	digitized       BIGINT NOT NULL,
	result_expected BIGINT NOT NULL,
	e_result        BIGINT NOT NULL,
	shared          BIGINT NOT NULL,
	late            BIGINT NOT NULL,
	missed          BIGINT NOT NULL,
	finished        BIGINT NOT NULL,
	finished_late   BIGINT NOT NULL,
	PRIMARY KEY (month, agency_code)
);

-- What an integrator client may do besides pushing results
-- (motcua.APIScopes, e.g. reports:read).
CREATE TABLE api_client_scopes (
	client_id TEXT NOT NULL REFERENCES api_clients (id) ON DELETE CASCADE,
	scope     TEXT NOT NULL,
	PRIMARY KEY (client_id, scope)
);
