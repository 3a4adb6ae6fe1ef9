-- An integrator client is bound to the result categories its agency's
-- system issues (issue 13: a commune's civil-status software pushed a
-- judicial record and a land title). A push of another category is
-- refused; so is a push to an organisation unless organisation_owners.
ALTER TABLE api_clients ADD COLUMN organisation_owners BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE api_client_categories (
	client_id     TEXT NOT NULL REFERENCES api_clients (id) ON DELETE CASCADE,
	category_code TEXT NOT NULL REFERENCES categories (code),
	PRIMARY KEY (client_id, category_code)
);

-- Clients registered before this migration keep pushing what their agency
-- issues: the result categories of the procedures the agency handles.
-- An operator narrows the list per system afterwards.
INSERT INTO api_client_categories (client_id, category_code)
SELECT DISTINCT c.id, p.result_category
FROM api_clients c
JOIN procedure_agencies pa ON pa.agency_code = c.agency_code
JOIN procedures p ON p.code = pa.procedure_code
WHERE p.result_category IS NOT NULL AND p.result_category <> '';
