package motcua

import (
	"context"
	"fmt"
	"slices"
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
	// Categories lists the result categories the client's system issues
	// (a commune's civil-status software: birth, marriage, death…). A push
	// of any other category is refused, so a client cannot put a judicial
	// record or a land title into a warehouse because its token is valid.
	// An explicit list, not derived from the procedures the agency
	// handles: one agency runs several systems (civil status,
	// certification, land) and each gets only what it issues.
	Categories []string
	// OrganisationOwners allows pushes to organisations (tax/enterprise or
	// agency codes); without it the client pushes only to persons, as a
	// civil-status system must.
	OrganisationOwners bool
	// Scopes lists what else the client may do besides pushing results
	// (APIScopes): ScopeReportsRead reads the indicator reports of its
	// agency and the agencies under it.
	Scopes []string
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
	if len(c.Categories) == 0 && len(c.Scopes) == 0 {
		return Invalid("categories", "required", "Ứng dụng tích hợp phải được gắn với ít nhất một danh mục kết quả mà cơ quan cấp.")
	}
	for i, sc := range c.Scopes {
		if !slices.Contains(APIScopes, sc) || slices.Index(c.Scopes, sc) != i {
			return Invalid(fmt.Sprintf("scopes[%d]", i), "invalid_scope", fmt.Sprintf("Phạm vi %q không hợp lệ hoặc bị trùng.", sc))
		}
	}
	seen := map[string]bool{}
	for i, cat := range c.Categories {
		if err := ValidateCategoryCode(cat); err != nil {
			return Invalid(fmt.Sprintf("categories[%d]", i), "invalid_category_code", ErrorMessage(err))
		}
		if seen[cat] {
			return Invalid(fmt.Sprintf("categories[%d]", i), "duplicate_category", fmt.Sprintf("Danh mục %s bị trùng.", cat))
		}
		seen[cat] = true
	}
	return nil
}

// ScopeReportsRead lets an integrator read the Decision 766 indicator
// reports (GET /api/v1/reports/…) of its agency and the agencies under
// it, as a monitor of that agency would.
const ScopeReportsRead = "reports:read"

// APIScopes are the scopes a client can be given.
var APIScopes = []string{ScopeReportsRead}

// APIScopeLabel is a scope's Vietnamese description for the admin pages.
func APIScopeLabel(scope string) string {
	switch scope {
	case ScopeReportsRead:
		return "Đọc báo cáo chỉ tiêu (Quyết định 766) của cơ quan và các cơ quan trực thuộc"
	}
	return scope
}

// HasScope reports whether the client was given scope.
func (c *APIClient) HasScope(scope string) bool { return c != nil && slices.Contains(c.Scopes, scope) }

// Principal is the client as the actor of a request that authorization
// checks like an officer's: its agency and its scopes.
func (c *APIClient) Principal() *Principal {
	return &Principal{Kind: PrincipalClient, Username: c.ID, Name: c.Name, AgencyCode: c.AgencyCode, Scopes: slices.Clone(c.Scopes)}
}

// Issues reports whether the client may push results of category.
func (c *APIClient) Issues(category string) bool { return slices.Contains(c.Categories, category) }

// MayPushTo reports whether the client may push to an owner of kind.
func (c *APIClient) MayPushTo(kind SubjectKind) bool {
	return kind == SubjectPerson || kind == SubjectOrganisation && c.OrganisationOwners
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
	// CreateAPIClient inserts c with its categories. ECONFLICT
	// (api_client_exists); EINVALID (unknown_agency, unknown_category).
	CreateAPIClient(ctx context.Context, c *APIClient) error
	// GetAPIClient returns the client with its categories ordered by
	// code; ENOTFOUND (api_client_not_found).
	GetAPIClient(ctx context.Context, id string) (*APIClient, error)
	// CreateAPIToken inserts t. EINVALID (unknown_client) for an unknown client.
	CreateAPIToken(ctx context.Context, t *APIToken) error
	// GetAPIToken returns ENOTFOUND (api_token_not_found).
	GetAPIToken(ctx context.Context, id string) (*APIToken, error)
	// DeleteExpiredAPITokens removes tokens expired at now.
	DeleteExpiredAPITokens(ctx context.Context, now time.Time) (int, error)
	// ListAPIClients returns every client with its categories and
	// scopes, by agency then id.
	ListAPIClients(ctx context.Context) ([]*APIClient, error)
	// UpdateAPIClient replaces the name, categories, scopes,
	// organisation_owners, secret hash and disabled flag of the client
	// c.ID. ENOTFOUND (api_client_not_found); EINVALID (unknown_category).
	UpdateAPIClient(ctx context.Context, c *APIClient) error
	// DeleteAPITokensOf removes every token of the client, so that a
	// rotated or revoked secret's tokens stop working at once.
	DeleteAPITokensOf(ctx context.Context, clientID string) (int, error)
}
