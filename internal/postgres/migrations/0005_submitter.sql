-- "Quản lý hồ sơ đã nộp" lists what a person submitted for others too.
ALTER TABLE dossiers ADD COLUMN submitter_code TEXT NOT NULL DEFAULT '';
CREATE INDEX dossiers_submitter ON dossiers (submitter_code, created_at);
UPDATE dossiers SET submitter_code = COALESCE(submitter->>'code', '');
