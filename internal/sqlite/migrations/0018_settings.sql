-- Settings an administrator changes while the server runs (issue 15):
-- trust anchors for signed PDFs and the holiday calendar. Every write
-- advances the setting's row in settings_versions in the same transaction;
-- each node re-reads a setting only when that number moved.
CREATE TABLE trust_anchors (
	fingerprint TEXT PRIMARY KEY, -- lowercase hex SHA-256 of der
	subject     TEXT NOT NULL,
	issuer      TEXT NOT NULL,
	serial      TEXT NOT NULL,
	not_before  INTEGER NOT NULL,
	not_after   INTEGER NOT NULL,
	der         BLOB NOT NULL,
	disabled    INTEGER NOT NULL DEFAULT 0,
	added_by    TEXT NOT NULL,
	added_at    INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL
);

CREATE TABLE holidays (
	day        TEXT PRIMARY KEY, -- YYYY-MM-DD
	working    INTEGER NOT NULL, -- 1: a working day (làm bù); 0: a day off
	name       TEXT NOT NULL DEFAULT '',
	updated_by TEXT NOT NULL DEFAULT '',
	updated_at INTEGER NOT NULL
);

CREATE TABLE settings_versions (
	name    TEXT PRIMARY KEY,
	version INTEGER NOT NULL
);
INSERT INTO settings_versions (name, version) VALUES ('trust_anchors', 0), ('holidays', 0);

