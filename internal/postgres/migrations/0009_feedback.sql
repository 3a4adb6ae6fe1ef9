-- Feedback on a wrong result (phản ánh về kết quả giải quyết, issue 8).
-- A corrected result supersedes the reported one; the old row keeps a
-- pointer to its replacement so that /verify can name it.
ALTER TABLE documents ADD COLUMN superseded_by TEXT REFERENCES documents (id);

CREATE TABLE feedback (
	id                    TEXT PRIMARY KEY,
	document_id           TEXT NOT NULL REFERENCES documents (id),
	document_code         TEXT NOT NULL,
	owner_code            TEXT NOT NULL REFERENCES subjects (code),
	agency_code           TEXT NOT NULL REFERENCES agencies (code),
	reason                TEXT NOT NULL,
	comment               TEXT NOT NULL DEFAULT '',
	status                TEXT NOT NULL CHECK (status IN ('open', 'corrected', 'rejected')),
	created_at            BIGINT NOT NULL,
	due_at                BIGINT NOT NULL,
	resolved_at           BIGINT,
	resolved_by           TEXT NOT NULL DEFAULT '',
	resolution            TEXT NOT NULL DEFAULT '',
	corrected_document_id TEXT REFERENCES documents (id)
);
-- One open feedback per document: a second report while the first is
-- being handled is a conflict, even when two arrive at once.
CREATE UNIQUE INDEX feedback_open_document ON feedback (document_id) WHERE status = 'open';
CREATE INDEX feedback_agency ON feedback (agency_code, status, due_at);
CREATE INDEX feedback_owner ON feedback (owner_code, created_at);
CREATE INDEX feedback_document ON feedback (document_id, created_at);
