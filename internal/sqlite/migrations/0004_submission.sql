-- The durable notification outbox.
CREATE TABLE outbox (
	id              TEXT PRIMARY KEY,
	channel         TEXT NOT NULL,
	recipient       TEXT NOT NULL,
	template        TEXT NOT NULL,
	params          TEXT NOT NULL,
	dedupe_key      TEXT NOT NULL UNIQUE,
	subject_code    TEXT NOT NULL DEFAULT '',
	dossier_id      TEXT NOT NULL DEFAULT '',
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at INTEGER NOT NULL,
	delivered_at    INTEGER,
	failed_at       INTEGER,
	last_error      TEXT NOT NULL DEFAULT '',
	created_at      INTEGER NOT NULL
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_subject ON outbox (subject_code, created_at);
CREATE INDEX outbox_dossier ON outbox (dossier_id);

-- Online applications being prepared (before "Nộp hồ sơ").
CREATE TABLE dossier_drafts (
	id         TEXT PRIMARY KEY,
	owner_code TEXT NOT NULL,
	creator    TEXT NOT NULL,
	data       TEXT NOT NULL,
	dossier_id TEXT REFERENCES dossiers (id),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX dossier_drafts_creator ON dossier_drafts (creator, created_at);

-- A submission retried with the same key finds its dossier.
ALTER TABLE dossiers ADD COLUMN idempotency_key TEXT;
CREATE UNIQUE INDEX dossiers_idempotency ON dossiers (idempotency_key) WHERE idempotency_key IS NOT NULL;
-- At least one component was sent without reuse although the owner's
-- warehouse held a matching document at that moment.
ALTER TABLE dossiers ADD COLUMN missed_reuse INTEGER NOT NULL DEFAULT 0;
