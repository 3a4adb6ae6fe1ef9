package devidp

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

const (
	// authRequestLifetime is how long a user has to log in.
	authRequestLifetime = 30 * time.Minute
	// codeLifetime is short: the relying party redeems the code as soon as
	// the browser brings it back.
	codeLifetime        = time.Minute
	accessTokenLifetime = time.Hour
	idTokenLifetime     = time.Hour
	// maxPendingRequests bounds the memory an anonymous visitor can take by
	// calling the authorize endpoint in a loop.
	maxPendingRequests = 10000
)

// storage is the provider's in-memory op.Storage. Clients, users and the key
// never change after construction; auth requests, codes and tokens are
// guarded by mu and expire.
type storage struct {
	clients map[string]*client
	users   map[string]User // by username, which is also the subject
	key     signingKey
	logger  *slog.Logger
	now     func() time.Time

	mu       sync.Mutex
	requests map[string]*authRequest
	codes    map[string]*codeGrant
	tokens   map[string]*accessToken
}

// codeGrant is an issued authorization code. It is kept after use, until
// the tokens it could have produced have expired, to recognise a replay.
type codeGrant struct {
	requestID string
	expires   time.Time
	used      bool
}

type accessToken struct {
	id        string
	clientID  string
	subject   string
	requestID string // the auth request whose code produced it
	scopes    []string
	expires   time.Time
}

var (
	_ op.Storage                   = (*storage)(nil)
	_ op.CanSetUserinfoFromRequest = (*storage)(nil)
)

func newStorage(clients map[string]*client, users map[string]User, key *rsa.PrivateKey, keyID string, logger *slog.Logger) *storage {
	return &storage{
		clients:  clients,
		users:    users,
		key:      signingKey{id: keyID, key: key},
		logger:   logger,
		now:      time.Now,
		requests: make(map[string]*authRequest),
		codes:    make(map[string]*codeGrant),
		tokens:   make(map[string]*accessToken),
	}
}

// errNotFound is the plain error op expects for an unknown client, code or
// request; an *oidc.Error of type server_error would answer 500.
var errNotFound = errors.New("not found or expired")

// sweepLocked forgets what has expired. Called with mu held on every write,
// so memory stays bounded without a background goroutine.
func (s *storage) sweepLocked(now time.Time) {
	for id, r := range s.requests {
		if now.After(r.created.Add(authRequestLifetime)) {
			delete(s.requests, id)
		}
	}
	for code, g := range s.codes {
		if now.After(g.expires) {
			delete(s.codes, code)
		}
	}
	for id, t := range s.tokens {
		if now.After(t.expires) {
			delete(s.tokens, id)
		}
	}
}

// CreateAuthRequest stores a validated authorization request. It adds the
// policy op leaves to storage: no silent login (there is no session), PKCE
// only with S256, and PKCE required of public clients.
func (s *storage) CreateAuthRequest(_ context.Context, req *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	if slices.Contains(req.Prompt, oidc.PromptNone) {
		return nil, oidc.ErrLoginRequired().WithDescription("the development provider keeps no session; prompt=none cannot succeed")
	}
	c, ok := s.clients[req.ClientID]
	if !ok {
		return nil, oidc.ErrInvalidRequest().WithDescription("unknown client")
	}
	if req.CodeChallenge != "" && req.CodeChallengeMethod != oidc.CodeChallengeMethodS256 {
		return nil, oidc.ErrInvalidRequest().WithDescription("code_challenge_method must be S256")
	}
	if c.public() && req.CodeChallenge == "" {
		return nil, oidc.ErrInvalidRequest().WithDescription("a public client must use PKCE (S256)")
	}
	r := &authRequest{
		id:           rand.Text(),
		clientID:     req.ClientID,
		redirectURI:  req.RedirectURI,
		state:        req.State,
		nonce:        req.Nonce,
		acr:          level(req.ACRValues),
		loginHint:    req.LoginHint,
		scopes:       slices.Clone(req.Scopes),
		responseType: req.ResponseType,
		responseMode: req.ResponseMode,
	}
	if req.CodeChallenge != "" {
		r.codeChallenge = &oidc.CodeChallenge{Challenge: req.CodeChallenge, Method: req.CodeChallengeMethod}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.sweepLocked(now)
	if len(s.requests) >= maxPendingRequests {
		return nil, oidc.ErrServerError().WithDescription("too many logins in progress")
	}
	r.created = now
	s.requests[r.id] = r
	return r.clone(), nil
}

// level returns the first level of assurance requested that we know.
func level(requested []string) string {
	for _, v := range requested {
		if slices.Contains(levels, v) {
			return v
		}
	}
	return defaultLevel
}

// AuthRequestByID returns a copy, so that op may read it while a login
// changes the stored request.
func (s *storage) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.requests[id]
	if !ok || s.now().After(r.created.Add(authRequestLifetime)) {
		return nil, errNotFound
	}
	return r.clone(), nil
}

// pendingRequest returns the auth request a login page is for, while the
// user has not logged in yet.
func (s *storage) pendingRequest(id string) (*authRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.requests[id]
	if !ok || r.done || s.now().After(r.created.Add(authRequestLifetime)) {
		return nil, errNotFound
	}
	return r.clone(), nil
}

// completeLogin records that username logged in for the auth request.
func (s *storage) completeLogin(id, username string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.requests[id]
	if !ok || r.done || s.now().After(r.created.Add(authRequestLifetime)) {
		return errNotFound
	}
	r.userID = username
	r.authTime = s.now()
	r.done = true
	return nil
}

// checkPassword compares in constant time. Hashing first hides the length.
func checkPassword(got, want string) bool {
	g, w := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
}

// AuthRequestByCode redeems a code: it succeeds once. A second attempt is a
// replay (RFC 6749 §4.1.2): it fails and revokes the tokens the first one
// issued.
func (s *storage) AuthRequestByCode(_ context.Context, code string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	g, ok := s.codes[code]
	if !ok || (!g.used && now.After(g.expires)) {
		return nil, errNotFound
	}
	if g.used {
		if r, ok := s.requests[g.requestID]; ok {
			r.replayed = true
		}
		revoked := 0
		for id, t := range s.tokens {
			if t.requestID == g.requestID {
				delete(s.tokens, id)
				revoked++
			}
		}
		s.logger.Warn("dev-idp: authorization code replayed; its tokens are revoked", "revoked", revoked)
		return nil, errors.New("code already used")
	}
	g.used = true
	g.expires = now.Add(accessTokenLifetime)
	r, ok := s.requests[g.requestID]
	if !ok {
		return nil, errNotFound
	}
	return r.clone(), nil
}

// SaveAuthCode records the code issued for a completed auth request. One
// login yields one code: op's callback URL, loaded again, must not mint a
// second code that could be redeemed alongside the first.
func (s *storage) SaveAuthCode(_ context.Context, id, code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.sweepLocked(now)
	r, ok := s.requests[id]
	if !ok || !r.done {
		return errNotFound
	}
	if r.codeIssued {
		return oidc.ErrInvalidRequest().WithDescription("this login has already produced a code")
	}
	r.codeIssued = true
	s.codes[code] = &codeGrant{requestID: id, expires: now.Add(codeLifetime)}
	return nil
}

// DeleteAuthRequest forgets a redeemed auth request. Its code stays, marked
// used, to recognise a replay.
func (s *storage) DeleteAuthRequest(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.requests, id)
	return nil
}

// CreateAccessToken issues an opaque access token for a redeemed code.
func (s *storage) CreateAccessToken(_ context.Context, req op.TokenRequest) (string, time.Time, error) {
	r, ok := req.(*authRequest)
	if !ok {
		return "", time.Time{}, fmt.Errorf("token request %T not supported", req)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.sweepLocked(now)
	if stored, ok := s.requests[r.id]; !ok || stored.replayed {
		return "", time.Time{}, oidc.ErrInvalidGrant().WithDescription("code already used")
	}
	t := &accessToken{
		id:        rand.Text(),
		clientID:  r.clientID,
		subject:   r.userID,
		requestID: r.id,
		scopes:    r.scopes,
		expires:   now.Add(accessTokenLifetime),
	}
	s.tokens[t.id] = t
	return t.id, t.expires, nil
}

// CreateAccessAndRefreshTokens is never called: no client has the
// refresh_token grant.
func (s *storage) CreateAccessAndRefreshTokens(context.Context, op.TokenRequest, string) (string, string, time.Time, error) {
	return "", "", time.Time{}, oidc.ErrUnsupportedGrantType().WithDescription("refresh tokens are not issued")
}

func (s *storage) TokenRequestByRefreshToken(context.Context, string) (op.RefreshTokenRequest, error) {
	return nil, op.ErrInvalidRefreshToken
}

func (s *storage) GetRefreshTokenInfo(context.Context, string, string) (string, string, error) {
	return "", "", op.ErrInvalidRefreshToken
}

// TerminateSession revokes the user's access tokens for the client (RP-
// initiated logout). Without an id_token_hint the user is unknown and
// nothing is revoked: there is no login session to end either.
func (s *storage) TerminateSession(_ context.Context, userID, clientID string) error {
	if userID == "" {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, t := range s.tokens {
		if t.subject == userID && t.clientID == clientID {
			delete(s.tokens, id)
		}
	}
	return nil
}

func (s *storage) RevokeToken(_ context.Context, tokenID, _, clientID string) *oidc.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tokens[tokenID]
	if !ok {
		return nil // unknown or already revoked: the outcome is the same (RFC 7009 §2.2)
	}
	if t.clientID != clientID {
		return oidc.ErrInvalidClient().WithDescription("token was not issued to this client")
	}
	delete(s.tokens, tokenID)
	return nil
}

type signingKey struct {
	id  string
	key *rsa.PrivateKey
}

func (k signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k signingKey) Key() any                                    { return k.key }
func (k signingKey) ID() string                                  { return k.id }

type publicKey struct{ signingKey }

func (k publicKey) Algorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k publicKey) Use() string                        { return "sig" }
func (k publicKey) Key() any                           { return &k.key.PublicKey }

func (s *storage) SigningKey(context.Context) (op.SigningKey, error) { return s.key, nil }

func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.RS256}, nil
}

func (s *storage) KeySet(context.Context) ([]op.Key, error) {
	return []op.Key{publicKey{s.key}}, nil
}

func (s *storage) GetClientByClientID(_ context.Context, id string) (op.Client, error) {
	c, ok := s.clients[id]
	if !ok {
		return nil, fmt.Errorf("client %q: %w", id, errNotFound)
	}
	return c, nil
}

// AuthorizeClientIDSecret checks a confidential client's secret in constant
// time.
func (s *storage) AuthorizeClientIDSecret(_ context.Context, id, secret string) error {
	c, ok := s.clients[id]
	if !ok || c.public() || !checkPassword(secret, c.Secret) {
		return errors.New("invalid client credentials")
	}
	return nil
}

// SetUserinfoFromScopes is deprecated in op; SetUserinfoFromRequest does
// the work.
func (s *storage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

// SetUserinfoFromRequest fills the ID token's claims.
func (s *storage) SetUserinfoFromRequest(_ context.Context, info *oidc.UserInfo, req op.IDTokenRequest, scopes []string) error {
	u, ok := s.users[req.GetSubject()]
	if !ok {
		return fmt.Errorf("user %q: %w", req.GetSubject(), errNotFound)
	}
	setUserinfo(info, u, scopes)
	return nil
}

// SetUserinfoFromToken fills the userinfo response for a live access token.
func (s *storage) SetUserinfoFromToken(_ context.Context, info *oidc.UserInfo, tokenID, subject, _ string) error {
	t, err := s.liveToken(tokenID)
	if err != nil {
		return err
	}
	u, ok := s.users[t.subject]
	if !ok || t.subject != subject {
		return errors.New("token is invalid")
	}
	setUserinfo(info, u, t.scopes)
	return nil
}

func (s *storage) liveToken(id string) (accessToken, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tokens[id]
	if !ok || s.now().After(t.expires) {
		return accessToken{}, errors.New("token is invalid or expired")
	}
	return *t, nil
}

// SetIntrospectionFromToken answers a client's introspection of a token
// issued to it.
func (s *storage) SetIntrospectionFromToken(_ context.Context, resp *oidc.IntrospectionResponse, tokenID, subject, clientID string) error {
	t, err := s.liveToken(tokenID)
	if err != nil {
		return err
	}
	u, ok := s.users[t.subject]
	if !ok || t.subject != subject || t.clientID != clientID {
		return errors.New("token is invalid")
	}
	info := new(oidc.UserInfo)
	setUserinfo(info, u, t.scopes)
	resp.SetUserInfo(info)
	resp.Scope = t.scopes
	resp.ClientID = t.clientID
	resp.Expiration = oidc.FromTime(t.expires)
	return nil
}

// GetPrivateClaimsFromScopes is only used for JWT access tokens, which this
// provider does not issue.
func (s *storage) GetPrivateClaimsFromScopes(context.Context, string, string, []string) (map[string]any, error) {
	return nil, nil
}

// GetKeyByIDAndClientID refuses JWT client authentication and the JWT
// bearer grant: clients here have secrets, not keys.
func (s *storage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, errors.New("private_key_jwt is not supported")
}

func (s *storage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, errors.New("the JWT profile grant is not supported")
}

func (s *storage) Health(context.Context) error { return nil }

// authRequest implements op.AuthRequest. op receives copies (clone), never
// the stored value, which a login may change concurrently.
type authRequest struct {
	id            string
	clientID      string
	redirectURI   string
	state         string
	nonce         string
	acr           string
	loginHint     string
	scopes        []string
	responseType  oidc.ResponseType
	responseMode  oidc.ResponseMode
	codeChallenge *oidc.CodeChallenge
	created       time.Time

	userID     string // set at login
	authTime   time.Time
	done       bool
	codeIssued bool
	replayed   bool // its code was presented twice: issue nothing more
}

func (r *authRequest) clone() *authRequest {
	c := *r
	return &c
}

func (r *authRequest) GetID() string  { return r.id }
func (r *authRequest) GetACR() string { return r.acr }
func (r *authRequest) GetAudience() []string {
	return []string{r.clientID}
}
func (r *authRequest) GetAuthTime() time.Time                { return r.authTime }
func (r *authRequest) GetClientID() string                   { return r.clientID }
func (r *authRequest) GetCodeChallenge() *oidc.CodeChallenge { return r.codeChallenge }
func (r *authRequest) GetNonce() string                      { return r.nonce }
func (r *authRequest) GetRedirectURI() string                { return r.redirectURI }
func (r *authRequest) GetResponseType() oidc.ResponseType    { return r.responseType }
func (r *authRequest) GetResponseMode() oidc.ResponseMode    { return r.responseMode }
func (r *authRequest) GetScopes() []string                   { return r.scopes }
func (r *authRequest) GetState() string                      { return r.state }
func (r *authRequest) GetSubject() string                    { return r.userID }
func (r *authRequest) Done() bool                            { return r.done }

// GetAMR says the user typed a password.
func (r *authRequest) GetAMR() []string {
	if r.done {
		return []string{"pwd"}
	}
	return nil
}

// LogValue keeps the state, nonce and PKCE challenge out of op's logs.
func (r *authRequest) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("id", r.id),
		slog.String("client_id", r.clientID),
		slog.String("redirect_uri", r.redirectURI),
		slog.Any("scopes", r.scopes),
	)
}
