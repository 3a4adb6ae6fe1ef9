-- A versioned procedure catalogue. The procedures row is the current
-- version; procedure_versions keeps every superseded version as the JSON
-- the store reads back, so that a draft or dossier keeps reading the
-- version it started with. Rows written before versioning are version 1.
ALTER TABLE procedures ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE procedures ADD COLUMN levels TEXT NOT NULL DEFAULT '[]';
ALTER TABLE procedures ADD COLUMN online_level TEXT NOT NULL DEFAULT '';
ALTER TABLE procedures ADD COLUMN fees TEXT NOT NULL DEFAULT '[]';
ALTER TABLE procedures ADD COLUMN legal_basis TEXT NOT NULL DEFAULT '';
UPDATE procedures SET fees = json_array(json_object('name', 'Lệ phí', 'amount_vnd', fee_vnd)) WHERE fee_vnd > 0;

CREATE TABLE procedure_versions (
	procedure_code TEXT NOT NULL REFERENCES procedures (code) ON DELETE CASCADE,
	version        INTEGER NOT NULL,
	data           TEXT NOT NULL,
	replaced_at    INTEGER NOT NULL,
	PRIMARY KEY (procedure_code, version)
);

ALTER TABLE dossiers ADD COLUMN procedure_version INTEGER NOT NULL DEFAULT 1;

ALTER TABLE categories ADD COLUMN validity_months INTEGER NOT NULL DEFAULT 0 CHECK (validity_months >= 0);
