-- Several serve nodes on one database (issue 17).
--
-- demo_keys: the demo CA and the demo agencies' signing keys (PEM), so
-- that every node of a demo signs with and trusts the same hierarchy.
-- The first node to store a name wins; the others read its value back.
CREATE TABLE demo_keys (
	name       TEXT PRIMARY KEY,
	pem        TEXT NOT NULL,
	created_at INTEGER NOT NULL
);

-- job_leases: a periodic job (clean-up, monthly compilation) runs on the
-- node holding its lease; a lease past expires_at may be taken over.
CREATE TABLE job_leases (
	name       TEXT PRIMARY KEY,
	holder     TEXT NOT NULL,
	expires_at INTEGER NOT NULL
);

-- The reference data (agencies, procedures) cached by every node: its
-- version moves with every change, so that other nodes drop their copies.
INSERT INTO settings_versions (name, version) VALUES ('reference_data', 0);
