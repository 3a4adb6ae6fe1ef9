package service

import (
	"context"
	"slices"
	"strings"

	"github.com/motcua/motcua"
)

// APIClients is the administration of agencies' API clients
// (/quan-tri/ung-dung): an administrator registers, rotates and revokes the
// clients of the agencies in its subtree (the province's administrator:
// every agency). Secrets are generated here and shown once.
type APIClients struct {
	store    motcua.Store
	password PasswordParams
}

// NewAPIClients builds the service.
func NewAPIClients(store motcua.Store, password PasswordParams) *APIClients {
	if password == (PasswordParams{}) {
		password = DefaultPasswordParams
	}
	return &APIClients{store: store, password: password}
}

// clientSecretBytes is the entropy of a generated client secret.
const clientSecretBytes = 24

// Agencies returns the agencies whose clients p may manage.
func (s *APIClients) Agencies(ctx context.Context, p *motcua.Principal) ([]*motcua.Agency, error) {
	if err := AuthorizeAt(ctx, s.store, p, OpManageAPIClients, ""); err != nil {
		return nil, err
	}
	return AgencySubtree(ctx, s.store, p.AgencyCode)
}

// List returns the clients of the agencies p may manage.
func (s *APIClients) List(ctx context.Context, p *motcua.Principal) ([]*motcua.APIClient, error) {
	agencies, err := s.Agencies(ctx, p)
	if err != nil {
		return nil, err
	}
	in := make(map[string]bool, len(agencies))
	for _, a := range agencies {
		in[a.Code] = true
	}
	all, err := s.store.ListAPIClients(ctx)
	if err != nil {
		return nil, err
	}
	var out []*motcua.APIClient
	for _, c := range all {
		if in[c.AgencyCode] {
			out = append(out, c)
		}
	}
	return out, nil
}

// get returns a client p may manage; a client outside p's subtree is
// ENOTFOUND, as if it did not exist.
func (s *APIClients) get(ctx context.Context, st motcua.Store, p *motcua.Principal, id string) (*motcua.APIClient, error) {
	if err := AuthorizeAt(ctx, st, p, OpManageAPIClients, ""); err != nil {
		return nil, err
	}
	c, err := st.GetAPIClient(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := AuthorizeAt(ctx, st, p, OpManageAPIClients, c.AgencyCode); err != nil {
		if motcua.IsKind(err, motcua.EFORBIDDEN) {
			return nil, motcua.NotFound("api_client", id)
		}
		return nil, err
	}
	return c, nil
}

// NewAPIClient is the form for a new client.
type NewAPIClient struct {
	ID         string
	Name       string
	AgencyCode string
	Categories []string
	// Scopes are what the client may do besides pushing results of its
	// categories (motcua.APIScopes).
	Scopes             []string
	OrganisationOwners bool
}

// Create registers a client for an agency in p's subtree with a generated
// secret, returned once. Errors: EFORBIDDEN (forbidden: outside the
// subtree), EINVALID (motcua.APIClient.Validate: a client needs categories
// or scopes, invalid_scope; unknown_category), ECONFLICT
// (api_client_exists).
func (s *APIClients) Create(ctx context.Context, p *motcua.Principal, n NewAPIClient) (*motcua.APIClient, string, error) {
	if err := AuthorizeAt(ctx, s.store, p, OpManageAPIClients, strings.TrimSpace(n.AgencyCode)); err != nil {
		return nil, "", err
	}
	secret := NewSecret(clientSecretBytes)
	hash, err := HashPassword(secret, s.password)
	if err != nil {
		return nil, "", motcua.Internal(err)
	}
	c := &motcua.APIClient{ID: strings.TrimSpace(n.ID), Name: strings.TrimSpace(n.Name), AgencyCode: strings.TrimSpace(n.AgencyCode),
		Categories: slices.Compact(slices.Sorted(slices.Values(n.Categories))), Scopes: slices.Compact(slices.Sorted(slices.Values(n.Scopes))),
		OrganisationOwners: n.OrganisationOwners, SecretHash: hash}
	if err := c.Validate(); err != nil {
		return nil, "", err
	}
	err = s.store.InTx(ctx, func(tx motcua.Store) error {
		if err := tx.CreateAPIClient(ctx, c); err != nil {
			return err
		}
		return auditChange(ctx, tx, p, "api_client.create", "api_client", c.ID, nil, clientAudit(c))
	})
	if err != nil {
		return nil, "", err
	}
	return c, secret, nil
}

// RotateSecret gives the client a new secret, returned once; the old
// secret and every token issued with it stop working at once.
func (s *APIClients) RotateSecret(ctx context.Context, p *motcua.Principal, id string) (*motcua.APIClient, string, error) {
	secret := NewSecret(clientSecretBytes)
	hash, err := HashPassword(secret, s.password)
	if err != nil {
		return nil, "", motcua.Internal(err)
	}
	var out *motcua.APIClient
	err = s.store.InTx(ctx, func(tx motcua.Store) error {
		c, err := s.get(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if c.Disabled {
			return motcua.Invalid("client", "client_revoked", "Ứng dụng đã bị thu hồi quyền truy cập; không thể cấp khóa bí mật mới.")
		}
		before := clientAudit(c)
		c.SecretHash = hash
		if err := tx.UpdateAPIClient(ctx, c); err != nil {
			return err
		}
		if _, err := tx.DeleteAPITokensOf(ctx, c.ID); err != nil {
			return err
		}
		after := clientAudit(c)
		after["secret_rotated"] = true
		out = c
		return auditChange(ctx, tx, p, "api_client.rotate_secret", "api_client", c.ID, before, after)
	})
	if err != nil {
		return nil, "", err
	}
	return out, secret, nil
}

// Revoke disables the client for good: its secret is refused and its
// tokens stop working at once.
func (s *APIClients) Revoke(ctx context.Context, p *motcua.Principal, id string) (*motcua.APIClient, error) {
	var out *motcua.APIClient
	err := s.store.InTx(ctx, func(tx motcua.Store) error {
		c, err := s.get(ctx, tx, p, id)
		if err != nil {
			return err
		}
		out = c
		if c.Disabled {
			return nil
		}
		before := clientAudit(c)
		c.Disabled = true
		if err := tx.UpdateAPIClient(ctx, c); err != nil {
			return err
		}
		if _, err := tx.DeleteAPITokensOf(ctx, c.ID); err != nil {
			return err
		}
		return auditChange(ctx, tx, p, "api_client.revoke", "api_client", c.ID, before, clientAudit(c))
	})
	return out, err
}

// clientAudit is what the audit log keeps of a client: never its secret.
func clientAudit(c *motcua.APIClient) map[string]any {
	return map[string]any{"name": c.Name, "agency": c.AgencyCode, "categories": c.Categories, "scopes": c.Scopes,
		"organisation_owners": c.OrganisationOwners, "revoked": c.Disabled}
}
