-- Supplement requests (issue 16): what the officer asked the citizen to
-- fix ("Yêu cầu bổ sung, hoàn thiện hồ sơ") and when and how it was
-- answered. One row per request; the dossier's status history keeps the
-- moves themselves.
CREATE TABLE dossier_supplements (
	dossier_id   TEXT NOT NULL REFERENCES dossiers (id),
	seq          INTEGER NOT NULL,
	reason       TEXT NOT NULL DEFAULT '',
	components   TEXT NOT NULL DEFAULT '[]', -- JSON array of component codes; [] names none
	from_status  INTEGER NOT NULL,           -- the status the request interrupted
	requested_at BIGINT NOT NULL,            -- Unix microseconds
	requested_by TEXT NOT NULL DEFAULT '',
	answered_at  BIGINT,                     -- NULL while open
	answered_by  TEXT NOT NULL DEFAULT '',
	answer_key   TEXT NOT NULL DEFAULT '',   -- actor:Idempotency-Key of the answer
	PRIMARY KEY (dossier_id, seq)
);
