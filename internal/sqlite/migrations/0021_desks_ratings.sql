-- Reception desks (issue 16 point 8): the agency whose one-stop desk
-- receives an agency's dossiers when it is another one (a district's
-- units are received at the district People's Committee's desk).
ALTER TABLE agencies ADD COLUMN reception_desk TEXT REFERENCES agencies (code);
CREATE INDEX agencies_reception_desk ON agencies (reception_desk);

-- Satisfaction (issue 16 point 6): the owner's rating of the service
-- after the result was returned (đánh giá mức độ hài lòng), once per
-- dossier: level 1 (rất không hài lòng) … 5 (rất hài lòng).
CREATE TABLE dossier_ratings (
	dossier_id TEXT PRIMARY KEY REFERENCES dossiers (id),
	agency_code TEXT NOT NULL,
	level      INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
	comment    TEXT NOT NULL DEFAULT '',
	rated_by   TEXT NOT NULL,
	rated_at   INTEGER NOT NULL
);
CREATE INDEX dossier_ratings_agency ON dossier_ratings (agency_code, rated_at);
