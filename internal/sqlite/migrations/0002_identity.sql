CREATE TABLE officers (
	username      TEXT PRIMARY KEY,
	name          TEXT NOT NULL,
	agency_code   TEXT NOT NULL REFERENCES agencies (code),
	roles         TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	totp_secret   TEXT NOT NULL DEFAULT '',
	disabled      INTEGER NOT NULL DEFAULT 0,
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL
);
CREATE INDEX officers_agency ON officers (agency_code);

CREATE TABLE local_accounts (
	subject_code  TEXT PRIMARY KEY REFERENCES subjects (code),
	password_hash TEXT NOT NULL,
	created_at    INTEGER NOT NULL
);

CREATE TABLE sessions (
	id             TEXT PRIMARY KEY,
	kind           TEXT NOT NULL,
	principal_key  TEXT NOT NULL,
	subject_code   TEXT NOT NULL DEFAULT '',
	representative TEXT NOT NULL DEFAULT '',
	username       TEXT NOT NULL DEFAULT '',
	name           TEXT NOT NULL DEFAULT '',
	provider       TEXT NOT NULL DEFAULT '',
	id_token       TEXT NOT NULL DEFAULT '',
	created_at     INTEGER NOT NULL,
	last_seen_at   INTEGER NOT NULL,
	expires_at     INTEGER NOT NULL,
	remote_addr    TEXT NOT NULL DEFAULT '',
	user_agent     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_principal ON sessions (kind, principal_key);

CREATE TABLE login_states (
	state         TEXT PRIMARY KEY,
	provider      TEXT NOT NULL,
	nonce         TEXT NOT NULL,
	code_verifier TEXT NOT NULL,
	return_to     TEXT NOT NULL DEFAULT '',
	created_at    INTEGER NOT NULL
);

CREATE TABLE login_failures (
	key TEXT NOT NULL,
	at  INTEGER NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, at);
