package service

import (
	"context"
	"time"

	"github.com/motcua/motcua"
)

// ClientTokenTTL is how long an integrator's access token lives.
const ClientTokenTTL = time.Hour

// Clients issues and checks OAuth2 client-credentials tokens for agency
// systems.
type Clients struct {
	store     motcua.Store
	now       func() time.Time
	dummyHash string
}

// NewClients builds the integrator-credentials service.
func NewClients(store motcua.Store, now func() time.Time) *Clients {
	if now == nil {
		now = time.Now
	}
	dummy, _ := HashPassword("motcua-timing-equaliser", DefaultPasswordParams)
	return &Clients{store: store, now: now, dummyHash: dummy}
}

func invalidClient() error {
	return &motcua.Error{Kind: motcua.EUNAUTH, Code: "invalid_client", Message: "Mã ứng dụng hoặc khóa bí mật không đúng."}
}

// IssueToken checks a client's secret and returns a new access token.
func (c *Clients) IssueToken(ctx context.Context, clientID, secret string) (string, time.Duration, error) {
	cl, err := c.store.GetAPIClient(ctx, clientID)
	if motcua.IsKind(err, motcua.ENOTFOUND) {
		CheckPassword(secret, c.dummyHash)
		return "", 0, invalidClient()
	}
	if err != nil {
		return "", 0, err
	}
	if !CheckPassword(secret, cl.SecretHash) || cl.Disabled {
		return "", 0, invalidClient()
	}
	token := NewSecret(32)
	now := c.now().UTC()
	if err := c.store.CreateAPIToken(ctx, &motcua.APIToken{ID: sessionID(token), ClientID: cl.ID, CreatedAt: now,
		ExpiresAt: now.Add(ClientTokenTTL)}); err != nil {
		return "", 0, err
	}
	return token, ClientTokenTTL, nil
}

// Authenticate resolves a bearer token to its client; nil, nil when the
// token is not a client token.
func (c *Clients) Authenticate(ctx context.Context, token string) (*motcua.APIClient, error) {
	t, err := c.store.GetAPIToken(ctx, sessionID(token))
	if motcua.IsKind(err, motcua.ENOTFOUND) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !c.now().Before(t.ExpiresAt) {
		return nil, &motcua.Error{Kind: motcua.EUNAUTH, Code: "invalid_token", Message: "Mã truy cập đã hết hạn."}
	}
	cl, err := c.store.GetAPIClient(ctx, t.ClientID)
	if err != nil {
		return nil, err
	}
	if cl.Disabled {
		return nil, invalidClient()
	}
	return cl, nil
}

// RegisterClient creates an integrator client c (ID, Name, AgencyCode,
// Categories, OrganisationOwners) for an agency; the secret is hashed
// before it is stored.
func RegisterClient(ctx context.Context, st motcua.Store, c motcua.APIClient, secret string, p PasswordParams) (*motcua.APIClient, error) {
	if err := ValidatePassword(secret); err != nil {
		return nil, err
	}
	hash, err := HashPassword(secret, p)
	if err != nil {
		return nil, motcua.Internal(err)
	}
	cl := &c
	cl.SecretHash = hash
	if err := cl.Validate(); err != nil {
		return nil, err
	}
	return cl, st.CreateAPIClient(ctx, cl)
}
