// Package sso is motcua's OpenID Connect relying party for the national
// identity providers (VNeID, the national public-service portal's SSO):
// authorization code flow with PKCE, state and nonce, ID tokens verified
// through the provider's discovery document and JWKS.
package sso

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/motcua/motcua"
)

// ClaimMapping names the claims that carry each identity field. The
// defaults are the national claim names.
type ClaimMapping struct {
	PersonalID  string `json:"personal_id"`
	Name        string `json:"name"`
	BirthDate   string `json:"birth_date"`
	Phone       string `json:"phone"`
	Email       string `json:"email"`
	AccountType string `json:"account_type"`
	OrgCode     string `json:"org_code"`
	OrgName     string `json:"org_name"`
	// OrganisationTypes are the AccountType values that mean an
	// organisation's account.
	OrganisationTypes []string `json:"organisation_types"`
}

// NationalClaims is the claim mapping of VNeID and the national portal.
func NationalClaims() ClaimMapping {
	return ClaimMapping{
		PersonalID: "SoDinhDanh", Name: "HoVaTen", BirthDate: "NgayThangNamSinh", Phone: "SoDienThoai",
		Email: "ThuDienTu", AccountType: "LoaiTaiKhoan", OrgCode: "MaSoDoanhNghiep", OrgName: "TenDoanhNghiep",
		OrganisationTypes: []string{"ToChuc", "DoanhNghiep", "2"},
	}
}

// ProviderConfig configures one identity provider.
type ProviderConfig struct {
	Name         string       `json:"name"`  // path segment: /auth/login/{name}
	Label        string       `json:"label"` // button text
	Issuer       string       `json:"issuer"`
	ClientID     string       `json:"client_id"`
	ClientSecret string       `json:"client_secret"`
	Scopes       []string     `json:"scopes"`
	ACRValues    string       `json:"acr_values"`
	RedirectURL  string       `json:"redirect_url"`
	Claims       ClaimMapping `json:"claims"`
}

// Provider is a configured identity provider. Discovery happens on first
// use and is retried until it succeeds, so that motcua starts even while
// a provider is down.
type Provider struct {
	cfg    ProviderConfig
	client *http.Client

	mu       sync.Mutex
	provider *oidc.Provider
	endSess  string
	// now is the clock ID tokens are checked against; tests move it.
	now func() time.Time
}

// NewProvider validates cfg. client, when nil, is a client with a 10 s timeout.
func NewProvider(cfg ProviderConfig, client *http.Client) (*Provider, error) {
	if cfg.Name == "" || cfg.Issuer == "" || cfg.ClientID == "" || cfg.RedirectURL == "" {
		return nil, fmt.Errorf("identity provider %q: name, issuer, client_id and redirect_url are required", cfg.Name)
	}
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = []string{oidc.ScopeOpenID, "profile"}
	}
	if cfg.Claims.PersonalID == "" {
		cfg.Claims = NationalClaims()
	}
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	return &Provider{cfg: cfg, client: client, now: time.Now}, nil
}

// Name returns the provider's configured name.
func (p *Provider) Name() string { return p.cfg.Name }

// Label returns the login button's text.
func (p *Provider) Label() string { return p.cfg.Label }

func unavailable(err error) error {
	return &motcua.Error{Kind: motcua.EUNAVAILABLE, Code: "identity_provider_unavailable", Err: err,
		Message: "Không kết nối được với hệ thống định danh. Vui lòng thử lại sau."}
}

func loginFailed(code string, err error) error {
	return &motcua.Error{Kind: motcua.EUNAUTH, Code: code, Err: err,
		Message: "Đăng nhập không thành công. Vui lòng thực hiện lại từ đầu."}
}

func (p *Provider) ctx(ctx context.Context) context.Context {
	return oidc.ClientContext(ctx, p.client)
}

// discover fetches the provider's metadata once.
func (p *Provider) discover(ctx context.Context) (*oidc.Provider, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.provider != nil {
		return p.provider, nil
	}
	op, err := oidc.NewProvider(p.ctx(ctx), p.cfg.Issuer)
	if err != nil {
		return nil, unavailable(fmt.Errorf("discover %s: %w", p.cfg.Issuer, err))
	}
	var extra struct {
		EndSession string `json:"end_session_endpoint"`
	}
	_ = op.Claims(&extra)
	p.provider, p.endSess = op, extra.EndSession
	return op, nil
}

func (p *Provider) oauth(op *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{
		ClientID: p.cfg.ClientID, ClientSecret: p.cfg.ClientSecret, RedirectURL: p.cfg.RedirectURL,
		Endpoint: op.Endpoint(), Scopes: p.cfg.Scopes,
	}
}

// AuthCodeURL returns where to send the browser to log in. state and
// nonce are random and single-use; verifier is the PKCE code verifier.
func (p *Provider) AuthCodeURL(ctx context.Context, state, nonce, verifier string) (string, error) {
	op, err := p.discover(ctx)
	if err != nil {
		return "", err
	}
	opts := []oauth2.AuthCodeOption{oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)}
	if p.cfg.ACRValues != "" {
		opts = append(opts, oauth2.SetAuthURLParam("acr_values", p.cfg.ACRValues))
	}
	return p.oauth(op).AuthCodeURL(state, opts...), nil
}

// Exchange redeems an authorization code, verifies the ID token (issuer,
// audience, expiry, signature, nonce) and maps its claims, completed by
// the userinfo endpoint when the ID token lacks the personal id.
func (p *Provider) Exchange(ctx context.Context, code, verifier, nonce string) (motcua.ExternalIdentity, string, error) {
	var id motcua.ExternalIdentity
	op, err := p.discover(ctx)
	if err != nil {
		return id, "", err
	}
	cfg := p.oauth(op)
	tok, err := cfg.Exchange(p.ctx(ctx), code, oauth2.VerifierOption(verifier))
	if err != nil {
		return id, "", loginFailed("code_exchange_failed", err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return id, "", loginFailed("missing_id_token", fmt.Errorf("token response has no id_token"))
	}
	idt, err := op.Verifier(&oidc.Config{ClientID: p.cfg.ClientID, Now: p.now}).Verify(p.ctx(ctx), raw)
	if err != nil {
		return id, "", loginFailed("invalid_id_token", err)
	}
	if idt.Nonce != nonce {
		return id, "", loginFailed("nonce_mismatch", fmt.Errorf("ID token nonce does not match"))
	}
	claims := map[string]any{}
	if err := idt.Claims(&claims); err != nil {
		return id, "", loginFailed("invalid_id_token", err)
	}
	if !hasAny(claims, p.cfg.Claims.PersonalID, p.cfg.Claims.OrgCode) {
		info, err := op.UserInfo(p.ctx(ctx), oauth2.StaticTokenSource(tok))
		if err != nil {
			return id, "", unavailable(fmt.Errorf("userinfo: %w", err))
		}
		if info.Subject != idt.Subject {
			return id, "", loginFailed("userinfo_subject_mismatch", fmt.Errorf("userinfo sub %q ≠ id token sub %q", info.Subject, idt.Subject))
		}
		extra := map[string]any{}
		if err := info.Claims(&extra); err != nil {
			return id, "", loginFailed("invalid_userinfo", err)
		}
		for k, v := range extra {
			if _, ok := claims[k]; !ok {
				claims[k] = v
			}
		}
	}
	id, err = p.mapClaims(claims)
	if err != nil {
		return id, "", err
	}
	id.Provider, id.Issuer, id.Sub = p.cfg.Name, idt.Issuer, idt.Subject
	return id, raw, nil
}

func claimString(claims map[string]any, name string) string {
	if name == "" {
		return ""
	}
	switch v := claims[name].(type) {
	case string:
		return strings.TrimSpace(v)
	case json.Number:
		return v.String()
	case float64:
		return fmt.Sprintf("%.0f", v)
	}
	return ""
}

func (p *Provider) mapClaims(claims map[string]any) (motcua.ExternalIdentity, error) {
	m := p.cfg.Claims
	id := motcua.ExternalIdentity{
		PersonalID: claimString(claims, m.PersonalID), Name: claimString(claims, m.Name),
		Phone: claimString(claims, m.Phone), Email: claimString(claims, m.Email),
		OrgCode: claimString(claims, m.OrgCode), OrgName: claimString(claims, m.OrgName),
		ACR: claimString(claims, "acr"),
	}
	accountType := claimString(claims, m.AccountType)
	for _, t := range m.OrganisationTypes {
		if accountType == t && id.OrgCode != "" {
			id.Organisation = true
		}
	}
	// An organisation's account may come without a representative's id.
	if id.PersonalID == "" && !id.Organisation {
		return id, loginFailed("missing_personal_id", fmt.Errorf("claim %s missing", m.PersonalID))
	}
	if s := claimString(claims, m.BirthDate); s != "" {
		d, err := motcua.ParseDate(s)
		if err != nil {
			return id, loginFailed("invalid_birth_date_claim", err)
		}
		id.BirthDate = d
	}
	return id, nil
}

// EndSessionURL returns the provider's RP-initiated logout URL, or false
// when the provider has none.
func (p *Provider) EndSessionURL(ctx context.Context, idTokenHint, postLogoutRedirect string) (string, bool) {
	if _, err := p.discover(ctx); err != nil {
		return "", false
	}
	p.mu.Lock()
	end := p.endSess
	p.mu.Unlock()
	if end == "" {
		return "", false
	}
	q := make([]string, 0, 3)
	if idTokenHint != "" {
		q = append(q, "id_token_hint="+url.QueryEscape(idTokenHint))
	}
	q = append(q, "client_id="+url.QueryEscape(p.cfg.ClientID))
	if postLogoutRedirect != "" {
		q = append(q, "post_logout_redirect_uri="+url.QueryEscape(postLogoutRedirect))
	}
	sep := "?"
	if strings.Contains(end, "?") {
		sep = "&"
	}
	return end + sep + strings.Join(q, "&"), true
}

func hasAny(claims map[string]any, names ...string) bool {
	for _, n := range names {
		if _, ok := claims[n]; ok && n != "" {
			return true
		}
	}
	return false
}
