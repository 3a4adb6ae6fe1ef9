package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/motcua/motcua"
)

// CreateAPIClient implements motcua.IntegrationStore.
func (s *Store) CreateAPIClient(ctx context.Context, c *motcua.APIClient) error {
	if c.CreatedAt.IsZero() {
		c.CreatedAt = s.now().UTC().Truncate(time.Microsecond)
	}
	return s.inTx(ctx, func(tx *Store) error {
		if err := tx.requireRef(ctx, "agencies", "code", c.AgencyCode, "agency_code", "unknown_agency",
			fmt.Sprintf("Không tìm thấy cơ quan %q.", c.AgencyCode)); err != nil {
			return err
		}
		for _, cat := range c.Categories {
			if err := tx.requireRef(ctx, "categories", "code", cat, "categories", "unknown_category",
				fmt.Sprintf("Không tìm thấy danh mục giấy tờ %q.", cat)); err != nil {
				return err
			}
		}
		_, err := tx.exec(ctx, "INSERT INTO api_clients (id, name, agency_code, secret_hash, disabled, organisation_owners, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			c.ID, c.Name, c.AgencyCode, c.SecretHash, c.Disabled, c.OrganisationOwners, micros(c.CreatedAt))
		if err != nil {
			return tx.insertErr(err, "api_client", c.ID)
		}
		for _, cat := range c.Categories {
			if _, err := tx.exec(ctx, "INSERT INTO api_client_categories (client_id, category_code) VALUES (?, ?)", c.ID, cat); err != nil {
				return tx.insertErr(err, "api_client", c.ID)
			}
		}
		for _, sc := range c.Scopes {
			if _, err := tx.exec(ctx, "INSERT INTO api_client_scopes (client_id, scope) VALUES (?, ?)", c.ID, sc); err != nil {
				return tx.insertErr(err, "api_client", c.ID)
			}
		}
		return nil
	})
}

// GetAPIClient implements motcua.IntegrationStore.
func (s *Store) GetAPIClient(ctx context.Context, id string) (*motcua.APIClient, error) {
	var c motcua.APIClient
	var created sql.NullInt64
	err := s.queryRow(ctx, "SELECT id, name, agency_code, secret_hash, disabled, organisation_owners, created_at FROM api_clients WHERE id = ?", id).
		Scan(&c.ID, &c.Name, &c.AgencyCode, &c.SecretHash, &c.Disabled, &c.OrganisationOwners, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, motcua.NotFound("api_client", id)
	}
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("get api client %s: %w", id, err))
	}
	c.CreatedAt = fromMicros(created)
	rows, err := s.query(ctx, "SELECT category_code FROM api_client_categories WHERE client_id = ? ORDER BY category_code", id)
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("get api client %s categories: %w", id, err))
	}
	c.Categories, err = collect(rows, func(r interface{ Scan(...any) error }) (string, error) {
		var code string
		return code, r.Scan(&code)
	}, "get api client categories")
	if err != nil {
		return nil, err
	}
	rows, err = s.query(ctx, "SELECT scope FROM api_client_scopes WHERE client_id = ? ORDER BY scope", id)
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("get api client %s scopes: %w", id, err))
	}
	c.Scopes, err = collect(rows, func(r interface{ Scan(...any) error }) (string, error) {
		var scope string
		return scope, r.Scan(&scope)
	}, "get api client scopes")
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// CreateAPIToken implements motcua.IntegrationStore.
func (s *Store) CreateAPIToken(ctx context.Context, t *motcua.APIToken) error {
	if t.CreatedAt.IsZero() {
		t.CreatedAt = s.now().UTC().Truncate(time.Microsecond)
	}
	return s.inTx(ctx, func(tx *Store) error {
		if err := tx.requireRef(ctx, "api_clients", "id", t.ClientID, "client_id", "unknown_client",
			"Không tìm thấy ứng dụng tích hợp."); err != nil {
			return err
		}
		_, err := tx.exec(ctx, "INSERT INTO api_tokens (id, client_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
			t.ID, t.ClientID, micros(t.CreatedAt), micros(t.ExpiresAt))
		if err != nil {
			return tx.insertErr(err, "api_token", "")
		}
		return nil
	})
}

// GetAPIToken implements motcua.IntegrationStore.
func (s *Store) GetAPIToken(ctx context.Context, id string) (*motcua.APIToken, error) {
	var t motcua.APIToken
	var created, expires sql.NullInt64
	err := s.queryRow(ctx, "SELECT id, client_id, created_at, expires_at FROM api_tokens WHERE id = ?", id).
		Scan(&t.ID, &t.ClientID, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, motcua.NotFound("api_token", "")
	}
	if err != nil {
		return nil, motcua.Internal(fmt.Errorf("get api token: %w", err))
	}
	t.CreatedAt, t.ExpiresAt = fromMicros(created), fromMicros(expires)
	return &t, nil
}

// DeleteExpiredAPITokens implements motcua.IntegrationStore.
func (s *Store) DeleteExpiredAPITokens(ctx context.Context, now time.Time) (int, error) {
	res, err := s.exec(ctx, "DELETE FROM api_tokens WHERE expires_at <= ?", micros(now))
	if err != nil {
		return 0, motcua.Internal(fmt.Errorf("delete expired api tokens: %w", err))
	}
	n, err := res.RowsAffected()
	return int(n), err
}
