package motcua

import (
	"context"
	"strings"
	"time"
)

// APIClient is an agency system allowed to call the integrator API with
// OAuth2 client credentials (e.g. to push signed results into owners'
// warehouses).
type APIClient struct {
	ID         string
	Name       string
	AgencyCode string // the agency whose results the client pushes
	// SecretHash is an argon2id hash of the client secret.
	SecretHash string
	Disabled   bool
	CreatedAt  time.Time
}

// Validate checks the client's fields.
func (c *APIClient) Validate() error {
	if len(c.ID) < 3 || len(c.ID) > 64 || strings.Trim(c.ID, "abcdefghijklmnopqrstuvwxyz0123456789._-") != "" {
		return Invalid("client_id", "invalid_client_id", "Mã ứng dụng gồm 3–64 ký tự: chữ thường không dấu, chữ số, dấu chấm, gạch ngang, gạch dưới.")
	}
	if strings.TrimSpace(c.Name) == "" {
		return Invalid("name", "required", "Tên ứng dụng không được để trống.")
	}
	if err := ValidateAgencyCode(c.AgencyCode); err != nil {
		return err
	}
	if c.SecretHash == "" {
		return Invalid("secret", "required", "Thiếu khóa bí mật của ứng dụng.")
	}
	return nil
}

// APIToken is an access token issued to an APIClient. The store keeps
// the SHA-256 of the token (ID), never the token.
type APIToken struct {
	ID        string
	ClientID  string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// IntegrationStore keeps integrator credentials.
type IntegrationStore interface {
	// CreateAPIClient inserts c. ECONFLICT (api_client_exists); EINVALID
	// (unknown_agency).
	CreateAPIClient(ctx context.Context, c *APIClient) error
	// GetAPIClient returns ENOTFOUND (api_client_not_found).
	GetAPIClient(ctx context.Context, id string) (*APIClient, error)
	// CreateAPIToken inserts t. EINVALID (unknown_client) for an unknown client.
	CreateAPIToken(ctx context.Context, t *APIToken) error
	// GetAPIToken returns ENOTFOUND (api_token_not_found).
	GetAPIToken(ctx context.Context, id string) (*APIToken, error)
	// DeleteExpiredAPITokens removes tokens expired at now.
	DeleteExpiredAPITokens(ctx context.Context, now time.Time) (int, error)
}
