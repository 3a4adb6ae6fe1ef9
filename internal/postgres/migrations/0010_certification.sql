-- The electronic certification book (sổ chứng thực bản sao điện tử,
-- issue 8): one book per agency and year, kept apart from the paper book
-- and kept permanently. Entries are append-only: triggers refuse every
-- UPDATE and DELETE (and TRUNCATE).

-- A book's counter: the last number given. It is incremented in the
-- transaction that writes the entry: the row lock makes concurrent issues
-- of one book take turns, and a rolled back issue gives its number back,
-- so the book has no gaps.
CREATE TABLE certification_books (
	agency_code TEXT NOT NULL REFERENCES agencies (code),
	year        INTEGER NOT NULL,
	last        INTEGER NOT NULL CHECK (last > 0),
	PRIMARY KEY (agency_code, year)
);
CREATE FUNCTION certification_books_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' AND NEW.last = OLD.last + 1 AND NEW.agency_code = OLD.agency_code AND NEW.year = OLD.year THEN
		RETURN NEW;
	END IF;
	RAISE EXCEPTION 'certification_books only count forward';
END $$;
CREATE TRIGGER certification_books_forward BEFORE UPDATE OR DELETE ON certification_books
	FOR EACH ROW EXECUTE FUNCTION certification_books_forward();

CREATE TABLE certification_entries (
	id               TEXT PRIMARY KEY,
	agency_code      TEXT NOT NULL REFERENCES agencies (code),
	year             INTEGER NOT NULL,
	number           INTEGER NOT NULL CHECK (number > 0),
	certified_at     BIGINT NOT NULL,
	officer_username TEXT NOT NULL,
	officer_name     TEXT NOT NULL,
	requester_code   TEXT NOT NULL REFERENCES subjects (code),
	requester_name   TEXT NOT NULL,
	original_name    TEXT NOT NULL,
	original_code    TEXT NOT NULL,
	pages            INTEGER NOT NULL CHECK (pages > 0),
	fee_vnd          BIGINT NOT NULL CHECK (fee_vnd >= 0),
	document_id      TEXT NOT NULL UNIQUE REFERENCES documents (id),
	document_code    TEXT NOT NULL,
	UNIQUE (agency_code, year, number)
);
CREATE FUNCTION certification_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'certification_entries is append-only';
END $$;
CREATE TRIGGER certification_entries_no_change BEFORE UPDATE OR DELETE ON certification_entries
	FOR EACH ROW EXECUTE FUNCTION certification_entries_append_only();
CREATE TRIGGER certification_entries_no_truncate BEFORE TRUNCATE ON certification_entries
	FOR EACH STATEMENT EXECUTE FUNCTION certification_entries_append_only();
