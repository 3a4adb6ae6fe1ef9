-- Two-party procedures (issue 16 point 4): how many people apply
-- together, the drafts that name a co-applicant (so that the
-- co-applicant finds the consent requests addressed to them) and the
-- dossier's consenting co-applicants, whose warehouses receive the result.
ALTER TABLE procedures ADD COLUMN parties INTEGER NOT NULL DEFAULT 1;
CREATE TABLE draft_co_applicants (
	draft_id     TEXT NOT NULL REFERENCES dossier_drafts (id),
	subject_code TEXT NOT NULL,
	consent      TEXT NOT NULL,
	PRIMARY KEY (draft_id, subject_code)
);
CREATE INDEX draft_co_applicants_subject ON draft_co_applicants (subject_code, consent);
ALTER TABLE dossiers ADD COLUMN co_applicants TEXT NOT NULL DEFAULT '[]';
-- The co-applicants by dossier, so that each finds the dossier among theirs.
CREATE TABLE dossier_parties (
	subject_code TEXT NOT NULL,
	dossier_id   TEXT NOT NULL REFERENCES dossiers (id),
	PRIMARY KEY (subject_code, dossier_id)
);

-- The chosen "Hình thức nộp hồ sơ" of an online application.
ALTER TABLE dossiers ADD COLUMN submit_method TEXT NOT NULL DEFAULT '';
