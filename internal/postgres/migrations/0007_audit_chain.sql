-- The audit log becomes a hash chain (issue 8). Appending stays a plain
-- insert; a sealer later gives each committed event the next chain
-- position (chain_seq) and hash = SHA-256 over the previous event's hash,
-- the position and the event's fields (motcua.AuditChainHash). Positions
-- are handed out when the sealer sees an event committed, not from a
-- sequence at insert time: a transaction that inserts early and commits
-- late then cannot end up behind the sealed part of the chain. Existing
-- events are sealed by the first pass, like new ones.
ALTER TABLE audit_events ADD COLUMN chain_seq BIGINT, ADD COLUMN prev_hash TEXT, ADD COLUMN hash TEXT;
-- Partial indexes: an insert adds an entry to the small unsealed index
-- only; sealing moves the row to the chain index.
CREATE UNIQUE INDEX audit_chain_seq ON audit_events (chain_seq) WHERE chain_seq IS NOT NULL;
CREATE INDEX audit_unsealed ON audit_events (at, id) WHERE chain_seq IS NULL;

-- Still append-only: the one update allowed is sealing an unsealed
-- event, leaving its fields as they are. The triggers now have the same
-- names and conditions as SQLite's.
DROP TRIGGER audit_events_no_change ON audit_events;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
	FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events FOR EACH ROW
	WHEN (OLD.chain_seq IS NOT NULL OR OLD.prev_hash IS NOT NULL OR OLD.hash IS NOT NULL
		OR NEW.chain_seq IS NULL OR NEW.prev_hash IS NULL OR NEW.hash IS NULL
		OR (NEW.id, NEW.at, NEW.actor_kind, NEW.actor_id, NEW.agency_code, NEW.action, NEW.object_kind,
			NEW.object_id, NEW.subject_code, NEW.dossier_id, NEW.remote_addr, NEW.detail)
		IS DISTINCT FROM (OLD.id, OLD.at, OLD.actor_kind, OLD.actor_id, OLD.agency_code, OLD.action,
			OLD.object_kind, OLD.object_id, OLD.subject_code, OLD.dossier_id, OLD.remote_addr, OLD.detail))
	EXECUTE FUNCTION audit_events_append_only();

-- The chain's head: its last position and hash. Sealers lock this row
-- first, so that they take turns (a row lock only sealers take; inserts
-- never touch it); VerifyAudit compares the recomputed chain with it,
-- which reveals events removed from the end.
CREATE TABLE audit_chain (
	id        INTEGER PRIMARY KEY CHECK (id = 1),
	chain_seq BIGINT NOT NULL,
	hash      TEXT NOT NULL,
	sealed_at BIGINT
);
INSERT INTO audit_chain (id, chain_seq, hash) VALUES (1, 0, '');
CREATE FUNCTION audit_chain_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND NEW.chain_seq >= OLD.chain_seq THEN
		RETURN NEW;
	END IF;
	RAISE EXCEPTION 'audit_chain only moves forward';
END $$;
CREATE TRIGGER audit_chain_forward BEFORE UPDATE OR DELETE ON audit_chain
	FOR EACH ROW EXECUTE FUNCTION audit_chain_forward();
