-- Reception desks (issue 16 point 8): the agency whose one-stop desk
-- receives an agency's dossiers when it is another one (a district's
-- units are received at the district People's Committee's desk).
ALTER TABLE agencies ADD COLUMN reception_desk TEXT REFERENCES agencies (code);
CREATE INDEX agencies_reception_desk ON agencies (reception_desk);

-- Satisfaction (issue 16 point 6): the owner's rating of the service
-- after the result was returned, 1 (rất không hài lòng) … 5 (rất hài
-- lòng); 0 when not rated.
ALTER TABLE dossiers ADD COLUMN satisfaction INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN satisfaction_comment TEXT NOT NULL DEFAULT '';
ALTER TABLE dossiers ADD COLUMN rated_at BIGINT;
