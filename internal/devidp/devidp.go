// Package devidp is a development OpenID Connect provider that stands in for
// VNeID and the national public-service portal's SSO (Cổng Dịch vụ công quốc
// gia) in demos and end-to-end tests, where those cannot be reached.
//
// It is a real provider built on zitadel's op library: discovery, JWKS,
// authorization code flow with PKCE, client_secret_basic and
// client_secret_post, RS256 ID tokens, userinfo and RP-initiated logout. What
// makes it a development tool is everything around the protocol: accounts are
// in memory, every account shares one published password, the login page
// lists the accounts, and nothing survives a restart. Never expose it as a
// real identity provider.
//
// It is a single-node tool: a login's state (authorization request, code,
// tokens) lives in the memory of the process that started it. On a
// cluster of `serve --demo` nodes, each node serves its own provider with
// its own public URL as issuer, so a login started on node A completes on
// node A; the motcua session it ends with is a database row and then
// works on every node. Behind one load-balanced URL, route /dev-idp/ to
// one node (or use sticky sessions), or configure real providers
// (--oidc-providers).
//
// # Mounting
//
// The Provider serves every endpoint relative to the issuer URL. For an
// issuer with a path, such as http://127.0.0.1:8080/dev-idp/vneid, mount it
// at that path; it accepts requests either with the path still on them or
// already removed by http.StripPrefix:
//
//	mux.Handle("/dev-idp/vneid/", p)
//	mux.Handle("/dev-idp/vneid/", http.StripPrefix("/dev-idp/vneid", p))
//
// The issuer is static: discovery and tokens always name Config.Issuer,
// whatever Host the request came with, so the issuer must be the URL the
// browser and the relying party both use.
package devidp

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"

	"github.com/motcua/motcua"
)

// Account types, the values of the LoaiTaiKhoan claim. The national
// providers' exact values are not public; these are our assumption and live
// here only, so that they can be corrected in one place.
const (
	AccountCitizen      = "CongDan" // công dân
	AccountOrganisation = "ToChuc"  // tổ chức, doanh nghiệp
)

// DefaultPassword is every account's password when Config.Password is empty.
const DefaultPassword = "motcua-demo"

// Config configures a Provider.
type Config struct {
	// Issuer is the provider's full URL without a trailing slash, e.g.
	// http://127.0.0.1:8090 or http://127.0.0.1:8080/dev-idp/vneid. It must
	// be https unless AllowInsecure is set.
	Issuer string
	// Clients are the relying parties allowed to log users in.
	Clients []Client
	// Users are the accounts. See DemoUsers.
	Users []User
	// Password is every account's password; DefaultPassword when empty.
	Password string
	// Title names the provider on its pages, e.g. "VNeID (môi trường phát triển)".
	Title string
	// Logger receives the provider's own logs (logins, refused codes). The
	// op library logs protocol errors through slog's default logger.
	Logger *slog.Logger
	// SigningKey signs ID tokens (RS256). A new 2048-bit key is generated
	// when nil, so tokens from before a restart no longer verify.
	SigningKey *rsa.PrivateKey
	// AllowInsecure allows an http issuer. Needed on a laptop or in tests,
	// where the provider listens on a loopback address without TLS.
	AllowInsecure bool
}

// Client is a registered relying party.
type Client struct {
	ID string
	// Secret authenticates a confidential client at the token endpoint
	// (client_secret_basic or client_secret_post). An empty Secret makes a
	// public client, which must use PKCE with S256.
	Secret                 string
	RedirectURIs           []string
	PostLogoutRedirectURIs []string
}

// User is an account. A citizen logs in with their personal id, an
// organisation with its enterprise code (mã số doanh nghiệp); that login name
// is also the account's "sub".
type User struct {
	PersonalID string // số định danh cá nhân; for an organisation, optionally its representative's
	Name       string // full name with diacritics, or the organisation's name
	BirthDate  motcua.Date
	Phone      string // national format, e.g. 0905123456
	Email      string
	// AccountType is AccountCitizen or AccountOrganisation; empty means an
	// organisation when OrgCode is set, a citizen otherwise.
	AccountType string
	OrgCode     string // MaSoDoanhNghiep, organisations only
}

// Username is the login name and subject of the account: the organisation
// code for an organisation, the personal id for a citizen.
func (u User) Username() string {
	if u.AccountType == AccountOrganisation || (u.AccountType == "" && u.OrgCode != "") {
		return u.OrgCode
	}
	return u.PersonalID
}

// Provider is the development identity provider, an http.Handler serving
// discovery, JWKS, authorize, token, userinfo, end_session, the login page
// and a short index page under the issuer URL.
type Provider struct {
	issuer     string
	issuerPath string // "" or "/dev-idp/vneid"
	title      string
	users      []User // in configuration order, for the login page
	password   string
	logger     *slog.Logger
	store      *storage
	op         *op.Provider
	pages      map[string]*template.Template
	handler    http.Handler
}

// New validates cfg and builds a Provider.
func New(cfg Config) (*Provider, error) {
	issuer := strings.TrimSuffix(cfg.Issuer, "/")
	if err := op.ValidateIssuer(issuer, cfg.AllowInsecure); errors.Is(err, op.ErrInvalidIssuerHTTPS) {
		return nil, fmt.Errorf("devidp: issuer %q: %w, or AllowInsecure", cfg.Issuer, err)
	} else if err != nil {
		return nil, fmt.Errorf("devidp: issuer %q: %w", cfg.Issuer, err)
	}
	u, err := url.Parse(issuer)
	if err != nil {
		return nil, fmt.Errorf("devidp: issuer %q: %w", cfg.Issuer, err)
	}
	users, byName, err := checkUsers(cfg.Users)
	if err != nil {
		return nil, err
	}
	if len(cfg.Clients) == 0 {
		return nil, errors.New("devidp: no client configured")
	}
	clients := make(map[string]*client, len(cfg.Clients))
	loginURL := issuer + loginPath + "?" + authRequestParam + "="
	for _, c := range cfg.Clients {
		if err := checkClient(c); err != nil {
			return nil, err
		}
		if _, dup := clients[c.ID]; dup {
			return nil, fmt.Errorf("devidp: client %q configured twice", c.ID)
		}
		clients[c.ID] = &client{Client: c, loginURL: loginURL}
	}
	key := cfg.SigningKey
	if key == nil {
		if key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			return nil, fmt.Errorf("devidp: generate signing key: %w", err)
		}
	}
	keyID, err := thumbprint(key)
	if err != nil {
		return nil, err
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	title := cfg.Title
	if title == "" {
		title = "Nhà cung cấp định danh (môi trường phát triển)"
	}
	password := cfg.Password
	if password == "" {
		password = DefaultPassword
	}
	p := &Provider{
		issuer:     issuer,
		issuerPath: strings.TrimSuffix(u.EscapedPath(), "/"),
		title:      title,
		users:      users,
		password:   password,
		logger:     logger,
		store:      newStorage(clients, byName, key, keyID, logger),
	}
	if p.pages, err = parsePages(); err != nil {
		return nil, err
	}

	// The key encrypts authorization codes and opaque access tokens; a fresh
	// one per process is right for a provider that forgets everything on
	// restart anyway.
	var cryptoKey [32]byte
	if _, err := rand.Read(cryptoKey[:]); err != nil {
		return nil, fmt.Errorf("devidp: generate token key: %w", err)
	}
	opts := []op.Option{}
	if cfg.AllowInsecure {
		opts = append(opts, op.WithAllowInsecure())
	}
	p.op, err = op.NewProvider(&op.Config{
		CryptoKey:                cryptoKey,
		DefaultLogoutRedirectURI: issuer + loggedOutPath,
		CodeMethodS256:           true,
		AuthMethodPost:           true,
		SupportedUILocales:       []language.Tag{language.Vietnamese},
		SupportedClaims:          supportedClaims,
		SupportedScopes:          []string{oidc.ScopeOpenID, oidc.ScopeProfile, oidc.ScopeEmail, oidc.ScopePhone},
	}, p.store, op.StaticIssuer(issuer), opts...)
	if err != nil {
		return nil, fmt.Errorf("devidp: %w", err)
	}
	p.handler = p.routes()
	return p, nil
}

// Issuer returns the issuer URL, as relying parties must configure it.
func (p *Provider) Issuer() string { return p.issuer }

// Path returns the issuer URL's path ("" or e.g. "/dev-idp/vneid"), where
// the Provider must be mounted.
func (p *Provider) Path() string { return p.issuerPath }

// ServeHTTP serves the provider. A request path may or may not still carry
// the issuer's path (see the package documentation on mounting).
func (p *Provider) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if p.issuerPath != "" && strings.HasPrefix(r.URL.Path, p.issuerPath+"/") {
		http.StripPrefix(p.issuerPath, p.handler).ServeHTTP(w, r)
		return
	}
	p.handler.ServeHTTP(w, r)
}

func (p *Provider) routes() http.Handler {
	mux := http.NewServeMux()
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(p.crossOriginDenied))
	mux.HandleFunc("GET "+loginPath, p.loginPage)
	mux.Handle("POST "+loginPath, csrf.Handler(http.HandlerFunc(p.loginSubmit)))
	mux.HandleFunc("GET "+loggedOutPath, p.loggedOutPage)
	mux.HandleFunc("GET /{$}", p.indexPage)
	mux.Handle("/", p.op)
	return mux
}

const (
	loginPath        = "/login"
	loggedOutPath    = "/logged-out"
	authRequestParam = "authRequestID"
)

// checkUsers validates the accounts and returns them with their account
// types filled in, as a list and by username.
func checkUsers(list []User) ([]User, map[string]User, error) {
	users := make([]User, 0, len(list))
	byName := make(map[string]User, len(list))
	for _, u := range list {
		if u.AccountType == "" {
			u.AccountType = AccountCitizen
			if u.OrgCode != "" {
				u.AccountType = AccountOrganisation
			}
		}
		switch u.AccountType {
		case AccountCitizen:
			if err := motcua.ValidatePersonalID(u.PersonalID); err != nil {
				return nil, nil, fmt.Errorf("devidp: user %q: personal id: %w", u.Name, err)
			}
			if u.OrgCode != "" {
				return nil, nil, fmt.Errorf("devidp: citizen %s has an organisation code", u.PersonalID)
			}
		case AccountOrganisation:
			if err := motcua.ValidateSubjectCode(u.OrgCode); err != nil {
				return nil, nil, fmt.Errorf("devidp: organisation %q: code: %w", u.Name, err)
			}
			if u.PersonalID != "" {
				if err := motcua.ValidatePersonalID(u.PersonalID); err != nil {
					return nil, nil, fmt.Errorf("devidp: organisation %s: representative's personal id: %w", u.OrgCode, err)
				}
			}
		default:
			return nil, nil, fmt.Errorf("devidp: user %q: account type %q is neither %s nor %s",
				u.Name, u.AccountType, AccountCitizen, AccountOrganisation)
		}
		if strings.TrimSpace(u.Name) == "" {
			return nil, nil, fmt.Errorf("devidp: user %s has no name", u.Username())
		}
		if _, dup := byName[u.Username()]; dup {
			return nil, nil, fmt.Errorf("devidp: user %s configured twice", u.Username())
		}
		users = append(users, u)
		byName[u.Username()] = u
	}
	return users, byName, nil
}

func checkClient(c Client) error {
	if c.ID == "" {
		return errors.New("devidp: a client has no ID")
	}
	if len(c.RedirectURIs) == 0 {
		return fmt.Errorf("devidp: client %q has no redirect URI", c.ID)
	}
	for _, list := range [][]string{c.RedirectURIs, c.PostLogoutRedirectURIs} {
		for _, raw := range list {
			u, err := url.Parse(raw)
			if err != nil || !u.IsAbs() || u.Host == "" || u.Fragment != "" {
				return fmt.Errorf("devidp: client %q: %q is not an absolute URL without a fragment", c.ID, raw)
			}
		}
	}
	return nil
}

// thumbprint returns the RFC 7638 thumbprint of the key's public half, a key
// id that stays the same when the same key is configured again.
func thumbprint(key *rsa.PrivateKey) (string, error) {
	jwk := jose.JSONWebKey{Key: &key.PublicKey}
	sum, err := jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		return "", fmt.Errorf("devidp: signing key thumbprint: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(sum), nil
}
