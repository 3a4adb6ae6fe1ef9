-- How each dossier's identities were checked at reception (issue 16):
-- against the population database, or by hand while it was down. A row
-- with recheck = 'pending' is also the durable job re-checking a manual
-- verification once the database answers again.
CREATE TABLE identity_checks (
	dossier_id      TEXT PRIMARY KEY REFERENCES dossiers(id),
	agency_code     TEXT NOT NULL,
	method          TEXT NOT NULL,            -- popdb | manual
	checked_at      INTEGER NOT NULL,
	checked_by      TEXT NOT NULL,
	manual_at       INTEGER,                  -- the manual verification, kept after the re-check
	manual_by       TEXT NOT NULL DEFAULT '',
	manual_reason   TEXT NOT NULL DEFAULT '',
	recheck         TEXT NOT NULL DEFAULT '', -- '' | pending | matched | mismatch
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at INTEGER,
	last_error      TEXT NOT NULL DEFAULT '',
	updated_at      INTEGER NOT NULL
);
CREATE INDEX identity_checks_due ON identity_checks (next_attempt_at) WHERE recheck = 'pending';
CREATE INDEX identity_checks_agency ON identity_checks (agency_code, recheck, updated_at);
