-- The electronic certification book (sổ chứng thực bản sao điện tử,
-- issue 8): one book per agency and year, kept apart from the paper book
-- and kept permanently. Entries are append-only: triggers refuse every
-- UPDATE and DELETE.

-- A book's counter: the last number given. It is incremented in the
-- transaction that writes the entry, so a rolled back issue gives its
-- number back and the book has no gaps.
CREATE TABLE certification_books (
	agency_code TEXT NOT NULL REFERENCES agencies (code),
	year        INTEGER NOT NULL,
	last        INTEGER NOT NULL CHECK (last > 0),
	PRIMARY KEY (agency_code, year)
);
CREATE TRIGGER certification_books_forward BEFORE UPDATE ON certification_books
WHEN NEW.last != OLD.last + 1 OR NEW.agency_code IS NOT OLD.agency_code OR NEW.year IS NOT OLD.year
BEGIN SELECT RAISE(ABORT, 'certification_books only count forward'); END;
CREATE TRIGGER certification_books_no_delete BEFORE DELETE ON certification_books
BEGIN SELECT RAISE(ABORT, 'certification_books only count forward'); END;

CREATE TABLE certification_entries (
	id               TEXT PRIMARY KEY,
	agency_code      TEXT NOT NULL REFERENCES agencies (code),
	year             INTEGER NOT NULL,
	number           INTEGER NOT NULL CHECK (number > 0),
	certified_at     INTEGER NOT NULL,
	officer_username TEXT NOT NULL,
	officer_name     TEXT NOT NULL,
	requester_code   TEXT NOT NULL REFERENCES subjects (code),
	requester_name   TEXT NOT NULL,
	original_name    TEXT NOT NULL,
	original_code    TEXT NOT NULL,
	pages            INTEGER NOT NULL CHECK (pages > 0),
	fee_vnd          INTEGER NOT NULL CHECK (fee_vnd >= 0),
	document_id      TEXT NOT NULL UNIQUE REFERENCES documents (id),
	document_code    TEXT NOT NULL,
	UNIQUE (agency_code, year, number)
);
CREATE TRIGGER certification_entries_no_update BEFORE UPDATE ON certification_entries
BEGIN SELECT RAISE(ABORT, 'certification_entries is append-only'); END;
CREATE TRIGGER certification_entries_no_delete BEFORE DELETE ON certification_entries
BEGIN SELECT RAISE(ABORT, 'certification_entries is append-only'); END;
