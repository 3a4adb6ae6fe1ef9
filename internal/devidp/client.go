package devidp

import (
	"net/url"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// client adapts a configured Client to op.Client.
type client struct {
	Client
	loginURL string // login page URL, to which the auth request id is appended
}

var _ op.Client = (*client)(nil)

func (c *client) GetID() string                    { return c.ID }
func (c *client) RedirectURIs() []string           { return c.Client.RedirectURIs }
func (c *client) PostLogoutRedirectURIs() []string { return c.Client.PostLogoutRedirectURIs }

func (c *client) public() bool { return c.Secret == "" }

// ApplicationType makes a client without a secret native: its redirect URIs
// are checked by the rules for public clients (RFC 8252), and an http
// redirect URI of a confidential client is accepted for the code flow.
func (c *client) ApplicationType() op.ApplicationType {
	if c.public() {
		return op.ApplicationTypeNative
	}
	return op.ApplicationTypeWeb
}

// AuthMethod is the registered method; the token endpoint accepts the
// secret in the Authorization header or in the form either way, because
// op.Config.AuthMethodPost is on.
func (c *client) AuthMethod() oidc.AuthMethod {
	if c.public() {
		return oidc.AuthMethodNone
	}
	return oidc.AuthMethodBasic
}

// Only the authorization code flow: no implicit flow, no refresh tokens.
func (c *client) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}

func (c *client) GrantTypes() []oidc.GrantType { return []oidc.GrantType{oidc.GrantTypeCode} }

func (c *client) LoginURL(id string) string { return c.loginURL + url.QueryEscape(id) }

// AccessTokenType is opaque: only this provider's userinfo endpoint reads
// access tokens.
func (c *client) AccessTokenType() op.AccessTokenType { return op.AccessTokenTypeBearer }

func (c *client) IDTokenLifetime() time.Duration { return idTokenLifetime }

// DevMode stays off: it would relax redirect URI checks, which are part of
// what the tests exercise.
func (c *client) DevMode() bool { return false }

func (c *client) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(scopes []string) []string { return scopes }
}

func (c *client) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(scopes []string) []string { return scopes }
}

func (c *client) IsScopeAllowed(string) bool { return false }

func (c *client) ClockSkew() time.Duration { return 0 }

// IDTokenUserinfoClaimsAssertion puts the profile, email and phone claims
// in the ID token as well as in userinfo: relying parties of the national
// providers read the ID token alone.
func (c *client) IDTokenUserinfoClaimsAssertion() bool { return true }
