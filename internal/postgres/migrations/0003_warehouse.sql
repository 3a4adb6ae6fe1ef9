-- Folded (lowercase, no diacritics) copies of the fields the warehouse's
-- search boxes match, so that "giay khai sinh" finds "Giấy khai sinh" on
-- every backend.
ALTER TABLE documents ADD COLUMN name_f TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN code_f TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN decision_f TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN owner_name_f TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN summary_f TEXT NOT NULL DEFAULT '';
CREATE INDEX documents_issuer ON documents (issuer_code, created_at);

CREATE TABLE api_clients (
	id          TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	agency_code TEXT NOT NULL REFERENCES agencies (code),
	secret_hash TEXT NOT NULL,
	disabled    BOOLEAN NOT NULL DEFAULT FALSE,
	created_at  BIGINT NOT NULL
);

CREATE TABLE api_tokens (
	id         TEXT PRIMARY KEY,
	client_id  TEXT NOT NULL REFERENCES api_clients (id),
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL
);
CREATE INDEX api_tokens_expiry ON api_tokens (expires_at);
