-- Instants are BIGINT microseconds since the Unix epoch (UTC); calendar
-- dates are TEXT 'YYYY-MM-DD'; nested value objects are JSON TEXT.
CREATE TABLE agencies (
	code        TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	level       TEXT NOT NULL CHECK (level IN ('province', 'district', 'commune')),
	parent_code TEXT REFERENCES agencies (code)
);
CREATE INDEX agencies_parent ON agencies (parent_code);

CREATE TABLE subjects (
	code        TEXT PRIMARY KEY,
	kind        TEXT NOT NULL CHECK (kind IN ('person', 'organisation')),
	name        TEXT NOT NULL,
	birth_date  TEXT,
	legacy_id   TEXT,
	phone       TEXT NOT NULL DEFAULT '',
	email       TEXT NOT NULL DEFAULT '',
	address     TEXT NOT NULL DEFAULT '',
	verified_at BIGINT,
	created_at  BIGINT NOT NULL
);
CREATE UNIQUE INDEX subjects_legacy_id ON subjects (legacy_id) WHERE legacy_id IS NOT NULL;

CREATE TABLE categories (
	code          TEXT PRIMARY KEY,
	name          TEXT NOT NULL,
	paper_type    TEXT NOT NULL CHECK (paper_type IN ('result', 'component', 'other')),
	validity_days INTEGER NOT NULL DEFAULT 0 CHECK (validity_days >= 0)
);

CREATE TABLE procedures (
	code            TEXT PRIMARY KEY,
	name            TEXT NOT NULL,
	field           TEXT NOT NULL DEFAULT '',
	cases           JSONB NOT NULL,
	components      JSONB NOT NULL,
	result_category TEXT REFERENCES categories (code),
	fee_vnd         BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE procedure_agencies (
	procedure_code TEXT NOT NULL REFERENCES procedures (code) ON DELETE CASCADE,
	agency_code    TEXT NOT NULL REFERENCES agencies (code),
	PRIMARY KEY (procedure_code, agency_code)
);
CREATE INDEX procedure_agencies_agency ON procedure_agencies (agency_code);

CREATE TABLE procedure_categories (
	procedure_code TEXT NOT NULL REFERENCES procedures (code) ON DELETE CASCADE,
	category_code  TEXT NOT NULL REFERENCES categories (code),
	PRIMARY KEY (procedure_code, category_code)
);

CREATE TABLE documents (
	id              TEXT PRIMARY KEY,
	code            TEXT NOT NULL UNIQUE,
	owner_code      TEXT NOT NULL REFERENCES subjects (code),
	owner_name      TEXT NOT NULL DEFAULT '',
	warehouse       TEXT NOT NULL CHECK (warehouse IN ('personal', 'agency')),
	paper_type      TEXT NOT NULL,
	category_code   TEXT NOT NULL REFERENCES categories (code),
	name            TEXT NOT NULL,
	decision_number TEXT NOT NULL DEFAULT '',
	summary         TEXT NOT NULL DEFAULT '',
	issuer_code     TEXT REFERENCES agencies (code),
	issued_on       TEXT,
	expires_on      TEXT,
	file_name       TEXT NOT NULL,
	file_size       BIGINT NOT NULL,
	file_sha256     TEXT NOT NULL,
	signature       JSONB NOT NULL,
	visible         BOOLEAN NOT NULL,
	shared          BOOLEAN NOT NULL,
	usage_count     INTEGER NOT NULL DEFAULT 0,
	status          TEXT NOT NULL,
	version         INTEGER NOT NULL,
	created_at      BIGINT NOT NULL,
	updated_at      BIGINT NOT NULL,
	search_text     TEXT NOT NULL
);
CREATE INDEX documents_owner ON documents (owner_code, created_at DESC);
CREATE INDEX documents_owner_category ON documents (owner_code, category_code);

CREATE TABLE document_versions (
	document_id TEXT NOT NULL REFERENCES documents (id),
	version     INTEGER NOT NULL,
	file_name   TEXT NOT NULL,
	file_size   BIGINT NOT NULL,
	file_sha256 TEXT NOT NULL,
	signature   JSONB NOT NULL,
	replaced_at BIGINT NOT NULL,
	replaced_by TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (document_id, version)
);

CREATE TABLE dossier_sequences (
	unit TEXT NOT NULL,
	day  TEXT NOT NULL,
	last INTEGER NOT NULL,
	PRIMARY KEY (unit, day)
);

CREATE TABLE dossiers (
	id             TEXT PRIMARY KEY,
	code           TEXT NOT NULL UNIQUE,
	procedure_code TEXT NOT NULL REFERENCES procedures (code),
	case_code      TEXT NOT NULL,
	agency_code    TEXT NOT NULL REFERENCES agencies (code),
	district       TEXT NOT NULL DEFAULT '',
	ward           TEXT NOT NULL DEFAULT '',
	submitter      JSONB NOT NULL,
	owner_code     TEXT NOT NULL,
	owner          JSONB NOT NULL,
	channel        INTEGER NOT NULL CHECK (channel BETWEEN 1 AND 3),
	result_method  TEXT NOT NULL,
	status         INTEGER NOT NULL CHECK (status BETWEEN 1 AND 10),
	components     JSONB NOT NULL,
	result_doc_ids JSONB NOT NULL,
	reused         BOOLEAN NOT NULL,
	submitted_at   BIGINT NOT NULL,
	received_at    BIGINT,
	due_at         BIGINT,
	finished_at    BIGINT,
	owner_verified BOOLEAN NOT NULL,
	created_at     BIGINT NOT NULL,
	updated_at     BIGINT NOT NULL
);
CREATE INDEX dossiers_agency_received ON dossiers (agency_code, received_at);
CREATE INDEX dossiers_owner ON dossiers (owner_code, created_at DESC);

CREATE TABLE dossier_status_history (
	dossier_id  TEXT NOT NULL REFERENCES dossiers (id),
	seq         INTEGER NOT NULL,
	from_status INTEGER NOT NULL,
	to_status   INTEGER NOT NULL,
	at          BIGINT NOT NULL,
	actor       TEXT NOT NULL DEFAULT '',
	note        TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (dossier_id, seq)
);

CREATE TABLE audit_events (
	id           TEXT PRIMARY KEY,
	at           BIGINT NOT NULL,
	actor_kind   TEXT NOT NULL,
	actor_id     TEXT NOT NULL DEFAULT '',
	agency_code  TEXT NOT NULL DEFAULT '',
	action       TEXT NOT NULL,
	object_kind  TEXT NOT NULL,
	object_id    TEXT NOT NULL,
	subject_code TEXT NOT NULL DEFAULT '',
	dossier_id   TEXT NOT NULL DEFAULT '',
	remote_addr  TEXT NOT NULL DEFAULT '',
	detail       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_subject ON audit_events (subject_code, at DESC);
CREATE INDEX audit_object ON audit_events (object_kind, object_id, at DESC);

-- The audit log is append-only.
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit_events is append-only';
END $$;
CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
	FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
