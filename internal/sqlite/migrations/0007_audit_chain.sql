-- The audit log becomes a hash chain (issue 8). Appending stays a plain
-- insert; a sealer later gives each committed event the next chain
-- position (chain_seq) and hash = SHA-256 over the previous event's hash,
-- the position and the event's fields (motcua.AuditChainHash). Existing
-- events are sealed by the first pass, like new ones.
ALTER TABLE audit_events ADD COLUMN chain_seq INTEGER;
ALTER TABLE audit_events ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_events ADD COLUMN hash TEXT;
-- Partial indexes: an insert adds an entry to the small unsealed index
-- only; sealing moves the row to the chain index.
CREATE UNIQUE INDEX audit_chain_seq ON audit_events (chain_seq) WHERE chain_seq IS NOT NULL;
CREATE INDEX audit_unsealed ON audit_events (at, id) WHERE chain_seq IS NULL;

-- Still append-only: the one update allowed is sealing an unsealed
-- event, leaving its fields as they are.
DROP TRIGGER audit_events_no_update;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
WHEN OLD.chain_seq IS NOT NULL OR OLD.prev_hash IS NOT NULL OR OLD.hash IS NOT NULL
	OR NEW.chain_seq IS NULL OR NEW.prev_hash IS NULL OR NEW.hash IS NULL
	OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.actor_kind IS NOT OLD.actor_kind
	OR NEW.actor_id IS NOT OLD.actor_id OR NEW.agency_code IS NOT OLD.agency_code OR NEW.action IS NOT OLD.action
	OR NEW.object_kind IS NOT OLD.object_kind OR NEW.object_id IS NOT OLD.object_id
	OR NEW.subject_code IS NOT OLD.subject_code OR NEW.dossier_id IS NOT OLD.dossier_id
	OR NEW.remote_addr IS NOT OLD.remote_addr OR NEW.detail IS NOT OLD.detail
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;

-- The chain's head: its last position and hash. Sealers lock this row
-- first, so that they take turns; VerifyAudit compares the recomputed
-- chain with it, which reveals events removed from the end.
CREATE TABLE audit_chain (
	id        INTEGER PRIMARY KEY CHECK (id = 1),
	chain_seq INTEGER NOT NULL,
	hash      TEXT NOT NULL,
	sealed_at INTEGER
);
INSERT INTO audit_chain (id, chain_seq, hash) VALUES (1, 0, '');
CREATE TRIGGER audit_chain_forward BEFORE UPDATE ON audit_chain
WHEN NEW.chain_seq < OLD.chain_seq OR NEW.id IS NOT OLD.id
BEGIN SELECT RAISE(ABORT, 'audit_chain only moves forward'); END;
CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain
BEGIN SELECT RAISE(ABORT, 'audit_chain only moves forward'); END;
