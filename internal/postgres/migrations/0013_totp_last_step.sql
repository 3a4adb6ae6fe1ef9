-- A TOTP code is accepted once (RFC 6238 §5.2): the last time step an
-- officer logged in with; a code is accepted only for a later step, and the
-- conditional UPDATE that records it lets one of two racing nodes win.
ALTER TABLE officers ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
