package sqldb

import (
	"context"
	"fmt"

	"github.com/motcua/motcua"
)

func (s *Store) insertClientScopes(ctx context.Context, c *motcua.APIClient) error {
	for _, sc := range c.Scopes {
		if _, err := s.exec(ctx, "INSERT INTO api_client_scopes (client_id, scope) VALUES (?, ?)", c.ID, sc); err != nil {
			return s.insertErr(err, "api_client", c.ID)
		}
	}
	return nil
}

// ListAPIClients implements motcua.IntegrationStore.
func (s *Store) ListAPIClients(ctx context.Context) ([]*motcua.APIClient, error) {
	rows, err := s.query(ctx, "SELECT id FROM api_clients ORDER BY agency_code, id")
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("list api clients: %w", err))
	}
	ids, err := collect(rows, func(r interface{ Scan(...any) error }) (string, error) {
		var id string
		return id, r.Scan(&id)
	}, "list api clients")
	if err != nil {
		return nil, err
	}
	// A province has tens of clients: one read each keeps one reader of
	// a client (GetAPIClient).
	out := make([]*motcua.APIClient, 0, len(ids))
	for _, id := range ids {
		c, err := s.GetAPIClient(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// UpdateAPIClient implements motcua.IntegrationStore.
func (s *Store) UpdateAPIClient(ctx context.Context, c *motcua.APIClient) error {
	return s.inTx(ctx, func(tx *Store) error {
		res, err := tx.exec(ctx, "UPDATE api_clients SET name = ?, secret_hash = ?, disabled = ?, organisation_owners = ? WHERE id = ?",
			c.Name, c.SecretHash, c.Disabled, c.OrganisationOwners, c.ID)
		if err != nil {
			return motcua.Internal(fmt.Errorf("update api client %s: %w", c.ID, err))
		}
		if err := affectedOne(res, "api_client", c.ID); err != nil {
			return err
		}
		for _, cat := range c.Categories {
			if err := tx.requireRef(ctx, "categories", "code", cat, "categories", "unknown_category",
				fmt.Sprintf("Không tìm thấy danh mục giấy tờ %q.", cat)); err != nil {
				return err
			}
		}
		for _, q := range []string{"DELETE FROM api_client_categories WHERE client_id = ?", "DELETE FROM api_client_scopes WHERE client_id = ?"} {
			if _, err := tx.exec(ctx, q, c.ID); err != nil {
				return motcua.Internal(fmt.Errorf("update api client %s: %w", c.ID, err))
			}
		}
		for _, cat := range c.Categories {
			if _, err := tx.exec(ctx, "INSERT INTO api_client_categories (client_id, category_code) VALUES (?, ?)", c.ID, cat); err != nil {
				return tx.insertErr(err, "api_client", c.ID)
			}
		}
		return tx.insertClientScopes(ctx, c)
	})
}

// DeleteAPITokensOf implements motcua.IntegrationStore.
func (s *Store) DeleteAPITokensOf(ctx context.Context, clientID string) (int, error) {
	res, err := s.exec(ctx, "DELETE FROM api_tokens WHERE client_id = ?", clientID)
	if err != nil {
		return 0, motcua.Internal(fmt.Errorf("delete api tokens of %s: %w", clientID, err))
	}
	n, err := res.RowsAffected()
	return int(n), err
}
