-- Processing desk (issue 8): the agency that processes a dossier (the
-- receiving agency until it is forwarded), the officer it is assigned to,
-- the result being drafted and signed (JSON, empty before a draft), and a
-- version that every change of a dossier increments (optimistic checks of
-- officers working on one dossier at once).
ALTER TABLE dossiers ADD COLUMN handling_agency TEXT NOT NULL DEFAULT '';
ALTER TABLE dossiers ADD COLUMN assignee TEXT NOT NULL DEFAULT '';
ALTER TABLE dossiers ADD COLUMN result TEXT NOT NULL DEFAULT '';
ALTER TABLE dossiers ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
UPDATE dossiers SET handling_agency = agency_code;
CREATE INDEX dossiers_handling ON dossiers (handling_agency, status, created_at);
