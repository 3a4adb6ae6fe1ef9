package devidp

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/motcua/motcua/internal/demo"
)

const (
	clientID       = "motcua"
	clientSecret   = "motcua-dev-secret"
	rpCallback     = "http://127.0.0.1:8080/auth/callback/vneid"
	rpLoggedOut    = "http://127.0.0.1:8080/"
	publicClientID = "motcua-app"
	publicCallback = "http://127.0.0.1/callback"
	title          = "VNeID (môi trường phát triển)"
)

// One key for every test: generating RSA keys is the slowest part of New.
var testKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

type testClock struct{ offset atomic.Int64 }

func (c *testClock) now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *testClock) advance(d time.Duration) { c.offset.Add(int64(d)) }

type testBundle struct {
	p       *Provider
	issuer  string
	server  *httptest.Server
	browser *http.Client // follows redirects only within the provider
	rp      *oidc.Provider
	conf    *oauth2.Config // the confidential client, secret in the header
	public  *oauth2.Config // a public client, no secret
	clock   *testClock
}

type setupOpts struct {
	prefix string // issuer path
	strip  bool   // mount with http.StripPrefix
	users  []User // DemoUsers when nil
}

func setup(t *testing.T, opts setupOpts) *testBundle {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	b := &testBundle{issuer: srv.URL + opts.prefix, server: srv, clock: new(testClock)}
	users := opts.users
	if users == nil {
		users = DemoUsers()
	}
	p, err := New(Config{
		Issuer: b.issuer,
		Clients: []Client{
			{ID: clientID, Secret: clientSecret, RedirectURIs: []string{rpCallback}, PostLogoutRedirectURIs: []string{rpLoggedOut}},
			{ID: publicClientID, RedirectURIs: []string{publicCallback}},
		},
		Users:         users,
		Title:         title,
		Logger:        slog.New(slog.NewTextHandler(t.Output(), nil)),
		SigningKey:    testKey(),
		AllowInsecure: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	p.store.now = b.clock.now
	b.p = p
	switch {
	case opts.prefix == "":
		mux.Handle("/", p)
	case opts.strip:
		mux.Handle(opts.prefix+"/", http.StripPrefix(opts.prefix, p))
	default:
		mux.Handle(opts.prefix+"/", p)
	}

	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	b.browser = &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, _ []*http.Request) error {
		if !strings.HasPrefix(req.URL.String(), srv.URL+"/") {
			return http.ErrUseLastResponse // leaving for the relying party: stop and let the test read it
		}
		return nil
	}}
	b.rp, err = oidc.NewProvider(t.Context(), b.issuer)
	if err != nil {
		t.Fatal(err)
	}
	scopes := []string{oidc.ScopeOpenID, "profile", "email", "phone"}
	b.conf = &oauth2.Config{ClientID: clientID, ClientSecret: clientSecret, RedirectURL: rpCallback, Scopes: scopes,
		Endpoint: b.rp.Endpoint()}
	b.conf.Endpoint.AuthStyle = oauth2.AuthStyleInHeader
	b.public = &oauth2.Config{ClientID: publicClientID, RedirectURL: publicCallback, Scopes: scopes, Endpoint: b.rp.Endpoint()}
	b.public.Endpoint.AuthStyle = oauth2.AuthStyleInParams
	return b
}

func (b *testBundle) get(t *testing.T, u string) (*http.Response, string) {
	t.Helper()
	resp, err := b.browser.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	return resp, readBody(t, resp)
}

func (b *testBundle) post(t *testing.T, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	resp, err := b.browser.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	return resp, readBody(t, resp)
}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}

var hiddenID = regexp.MustCompile(`name="authRequestID" value="([^"]+)"`)

// openLogin starts an authorization request and returns the login page it
// leads to, with its URL.
func (b *testBundle) openLogin(t *testing.T, conf *oauth2.Config, state string, opts ...oauth2.AuthCodeOption) (string, string) {
	t.Helper()
	resp, body := b.get(t, conf.AuthCodeURL(state, opts...))
	if resp.StatusCode != http.StatusOK || !strings.HasSuffix(resp.Request.URL.Path, "/login") {
		t.Fatalf("authorize led to %d %s, want the login page:\n%s", resp.StatusCode, resp.Request.URL, body)
	}
	if !strings.Contains(body, `<form method="post">`) {
		t.Fatalf("login form does not post to its own URL:\n%s", body)
	}
	return resp.Request.URL.String(), body
}

// submitLogin posts the login form as a browser would, to the page's own URL.
func (b *testBundle) submitLogin(t *testing.T, pageURL, pageBody, username, password string) (*http.Response, string) {
	t.Helper()
	m := hiddenID.FindStringSubmatch(pageBody)
	if m == nil {
		t.Fatalf("no auth request id in the login form:\n%s", pageBody)
	}
	return b.post(t, pageURL, url.Values{"authRequestID": {html.UnescapeString(m[1])}, "username": {username}, "password": {password}})
}

// login runs the browser side of the code flow and returns the code.
func (b *testBundle) login(t *testing.T, conf *oauth2.Config, username string, opts ...oauth2.AuthCodeOption) string {
	t.Helper()
	state := rand.Text()
	pageURL, page := b.openLogin(t, conf, state, opts...)
	resp, body := b.submitLogin(t, pageURL, page, username, DefaultPassword)
	q := redirectQuery(t, resp, conf.RedirectURL, body)
	if q.Get("state") != state {
		t.Fatalf("state = %q, want %q", q.Get("state"), state)
	}
	if q.Get("code") == "" {
		t.Fatalf("no code in the redirect: %v", q)
	}
	return q.Get("code")
}

// redirectQuery checks that resp redirects to target and returns the query.
func redirectQuery(t *testing.T, resp *http.Response, target, body string) url.Values {
	t.Helper()
	loc, err := resp.Location()
	if err != nil {
		t.Fatalf("%d without a redirect, want one to %s:\n%s", resp.StatusCode, target, body)
	}
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != target {
		t.Fatalf("redirected to %s, want %s", loc, target)
	}
	return loc.Query()
}

// claims are the ID token and userinfo claims the tests look at.
type claims struct {
	Sub              string   `json:"sub"`
	SoDinhDanh       string   `json:"SoDinhDanh"`
	HoVaTen          string   `json:"HoVaTen"`
	NgayThangNamSinh string   `json:"NgayThangNamSinh"`
	SoDienThoai      string   `json:"SoDienThoai"`
	ThuDienTu        string   `json:"ThuDienTu"`
	LoaiTaiKhoan     string   `json:"LoaiTaiKhoan"`
	MaSoDoanhNghiep  string   `json:"MaSoDoanhNghiep"`
	Name             string   `json:"name"`
	Email            string   `json:"email"`
	PhoneNumber      string   `json:"phone_number"`
	Birthdate        string   `json:"birthdate"`
	ACR              string   `json:"acr"`
	AMR              []string `json:"amr"`
}

// userClaims keeps the claims that describe the user, which the ID token
// and userinfo must agree on.
func (c claims) userClaims() claims {
	c.ACR, c.AMR = "", nil
	return c
}

// exchange redeems code and verifies the ID token like a relying party.
func (b *testBundle) exchange(t *testing.T, conf *oauth2.Config, code string, opts ...oauth2.AuthCodeOption) (*oauth2.Token, *oidc.IDToken, claims) {
	t.Helper()
	tok, err := conf.Exchange(t.Context(), code, opts...)
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok {
		t.Fatal("no id_token in the token response")
	}
	idt, err := b.rp.Verifier(&oidc.Config{ClientID: conf.ClientID}).Verify(t.Context(), raw)
	if err != nil {
		t.Fatalf("verify ID token: %v", err)
	}
	if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
		t.Fatalf("at_hash: %v", err)
	}
	var c claims
	if err := idt.Claims(&c); err != nil {
		t.Fatal(err)
	}
	return tok, idt, c
}

func (b *testBundle) userinfo(t *testing.T, tok *oauth2.Token) (claims, error) {
	t.Helper()
	ui, err := b.rp.UserInfo(t.Context(), oauth2.StaticTokenSource(tok))
	if err != nil {
		return claims{}, err
	}
	var c claims
	if err := ui.Claims(&c); err != nil {
		t.Fatal(err)
	}
	return c, nil
}

// oauthError returns the OAuth error code of a failed exchange.
func oauthError(err error) string {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		return re.ErrorCode
	}
	return ""
}

func TestCitizenLogin(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{})
	verifier, nonce := oauth2.GenerateVerifier(), rand.Text()
	code := b.login(t, b.conf, demo.GuideCitizenID,
		oauth2.S256ChallengeOption(verifier), oidc.Nonce(nonce), oauth2.SetAuthURLParam("acr_values", "LoA2"))
	tok, idt, got := b.exchange(t, b.conf, code, oauth2.VerifierOption(verifier))

	if idt.Nonce != nonce {
		t.Errorf("nonce = %q, want %q", idt.Nonce, nonce)
	}
	if idt.Issuer != b.issuer {
		t.Errorf("iss = %q, want %q", idt.Issuer, b.issuer)
	}
	want := claims{
		Sub:              demo.GuideCitizenID,
		SoDinhDanh:       demo.GuideCitizenID,
		HoVaTen:          "Trần Văn Hùng",
		NgayThangNamSinh: "15/03/1990",
		SoDienThoai:      "0905123456",
		ThuDienTu:        "tranvanhung@example.com",
		LoaiTaiKhoan:     AccountCitizen,
		Name:             "Trần Văn Hùng",
		Email:            "tranvanhung@example.com",
		PhoneNumber:      "+84905123456",
		Birthdate:        "1990-03-15",
		ACR:              "LoA2",
		AMR:              []string{"pwd"},
	}
	assertClaims(t, "ID token", got, want)

	info, err := b.userinfo(t, tok)
	if err != nil {
		t.Fatalf("userinfo: %v", err)
	}
	assertClaims(t, "userinfo", info, want.userClaims())
}

func assertClaims(t *testing.T, what string, got, want claims) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if string(g) != string(w) {
		t.Errorf("%s claims:\n got %s\nwant %s", what, g, w)
	}
}

func TestOrganisationLogin(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{})
	code := b.login(t, b.conf, demo.PetrolCompanyCode)
	tok, _, got := b.exchange(t, b.conf, code)
	want := claims{
		Sub:             demo.PetrolCompanyCode,
		HoVaTen:         "Công ty TNHH Thương mại Xăng dầu An Lão",
		SoDienThoai:     "0905661188",
		ThuDienTu:       "xangdauanlao@example.com",
		LoaiTaiKhoan:    AccountOrganisation,
		MaSoDoanhNghiep: demo.PetrolCompanyCode,
		Name:            "Công ty TNHH Thương mại Xăng dầu An Lão",
		Email:           "xangdauanlao@example.com",
		PhoneNumber:     "+84905661188",
		ACR:             "LoA1",
		AMR:             []string{"pwd"},
	}
	assertClaims(t, "ID token", got, want)
	info, err := b.userinfo(t, tok)
	if err != nil {
		t.Fatalf("userinfo: %v", err)
	}
	assertClaims(t, "userinfo", info, want.userClaims())
}

// With scope openid alone the national claims still come; the standard
// profile, email and phone claims do not.
func TestOpenIDScopeOnly(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{})
	conf := *b.conf
	conf.Scopes = []string{oidc.ScopeOpenID}
	code := b.login(t, &conf, "052192004817")
	_, _, got := b.exchange(t, &conf, code)
	want := claims{
		Sub:              "052192004817",
		SoDinhDanh:       "052192004817",
		HoVaTen:          "Nguyễn Thị Mai",
		NgayThangNamSinh: "21/07/1992",
		SoDienThoai:      "0914385726",
		ThuDienTu:        "nguyenthimai@example.com",
		LoaiTaiKhoan:     AccountCitizen,
		ACR:              "LoA1",
		AMR:              []string{"pwd"},
	}
	assertClaims(t, "ID token", got, want)
}

func TestClientAuthentication(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{})
	t.Run("client_secret_post", func(t *testing.T) {
		t.Parallel()
		conf := *b.conf
		conf.Endpoint.AuthStyle = oauth2.AuthStyleInParams
		code := b.login(t, &conf, demo.PetrolOwnerID)
		_, _, got := b.exchange(t, &conf, code)
		if got.Sub != demo.PetrolOwnerID {
			t.Errorf("sub = %q", got.Sub)
		}
	})
	for name, style := range map[string]oauth2.AuthStyle{"basic": oauth2.AuthStyleInHeader, "post": oauth2.AuthStyleInParams} {
		t.Run("wrong secret "+name, func(t *testing.T) {
			t.Parallel()
			code := b.login(t, b.conf, demo.PetrolOwnerID)
			conf := *b.conf
			conf.ClientSecret = "not-the-secret"
			conf.Endpoint.AuthStyle = style
			_, err := conf.Exchange(t.Context(), code)
			if got := oauthError(err); got != "invalid_client" {
				t.Fatalf("exchange with a wrong secret: %v, want invalid_client", err)
			}
		})
	}
}

func TestPKCE(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{})
	t.Run("wrong verifier", func(t *testing.T) {
		t.Parallel()
		code := b.login(t, b.conf, demo.GuideCitizenID, oauth2.S256ChallengeOption(oauth2.GenerateVerifier()))
		_, err := b.conf.Exchange(t.Context(), code, oauth2.VerifierOption(oauth2.GenerateVerifier()))
		if got := oauthError(err); got != "invalid_grant" {
			t.Fatalf("exchange with a wrong verifier: %v, want invalid_grant", err)
		}
	})
	t.Run("missing verifier", func(t *testing.T) {
		t.Parallel()
		code := b.login(t, b.conf, demo.GuideCitizenID, oauth2.S256ChallengeOption(oauth2.GenerateVerifier()))
		if _, err := b.conf.Exchange(t.Context(), code); err == nil {
			t.Fatal("exchange without the verifier succeeded")
		}
	})
	t.Run("plain refused", func(t *testing.T) {
		t.Parallel()
		v := oauth2.GenerateVerifier()
		resp, body := b.get(t, b.conf.AuthCodeURL("s1",
			oauth2.SetAuthURLParam("code_challenge", v), oauth2.SetAuthURLParam("code_challenge_method", "plain")))
		if q := redirectQuery(t, resp, rpCallback, body); q.Get("error") != "invalid_request" || q.Get("state") != "s1" {
			t.Fatalf("plain PKCE: redirected with %v, want error=invalid_request", q)
		}
	})
	t.Run("public client without PKCE", func(t *testing.T) {
		t.Parallel()
		resp, body := b.get(t, b.public.AuthCodeURL("s2"))
		if q := redirectQuery(t, resp, publicCallback, body); q.Get("error") != "invalid_request" {
			t.Fatalf("public client without PKCE: redirected with %v, want error=invalid_request", q)
		}
	})
	t.Run("public client with S256", func(t *testing.T) {
		t.Parallel()
		v := oauth2.GenerateVerifier()
		code := b.login(t, b.public, "052085007263", oauth2.S256ChallengeOption(v))
		if _, err := b.public.Exchange(t.Context(), code); err == nil {
			t.Fatal("a public client redeemed a code without the verifier")
		}
		code = b.login(t, b.public, "052085007263", oauth2.S256ChallengeOption(v))
		tok, _, got := b.exchange(t, b.public, code, oauth2.VerifierOption(v))
		if got.HoVaTen != "Lê Văn Phúc" {
			t.Errorf("HoVaTen = %q", got.HoVaTen)
		}
		if _, err := b.userinfo(t, tok); err != nil {
			t.Errorf("userinfo: %v", err)
		}
	})
}

func TestCodeReplay(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{})
	code := b.login(t, b.conf, demo.GuideCitizenID)
	tok, _, _ := b.exchange(t, b.conf, code)
	if _, err := b.userinfo(t, tok); err != nil {
		t.Fatalf("userinfo: %v", err)
	}
	_, err := b.conf.Exchange(t.Context(), code)
	if got := oauthError(err); got != "invalid_grant" {
		t.Fatalf("replayed code: %v, want invalid_grant", err)
	}
	// RFC 6749 §4.1.2: the tokens the code produced are revoked.
	if _, err := b.userinfo(t, tok); err == nil {
		t.Fatal("the access token of a replayed code still works")
	}
}

// Loading op's callback URL again must not mint a second code for the same
// login.
func TestOneCodePerLogin(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{})
	pageURL, page := b.openLogin(t, b.conf, "st")
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	id := html.UnescapeString(hiddenID.FindStringSubmatch(page)[1])
	resp, err := noFollow.PostForm(pageURL, url.Values{"authRequestID": {id}, "username": {demo.GuideCitizenID}, "password": {DefaultPassword}})
	if err != nil {
		t.Fatal(err)
	}
	body := readBody(t, resp)
	callback, err := resp.Location()
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d %v\n%s", resp.StatusCode, err, body)
	}
	resp, body = b.get(t, callback.String())
	if q := redirectQuery(t, resp, rpCallback, body); q.Get("code") == "" {
		t.Fatalf("first callback: %v", q)
	}
	resp, body = b.get(t, callback.String())
	if q := redirectQuery(t, resp, rpCallback, body); q.Get("code") != "" || q.Get("error") == "" {
		t.Fatalf("second callback: %v, want an error and no code", q)
	}
}

func TestCodeExpiry(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{})
	code := b.login(t, b.conf, demo.GuideCitizenID)
	b.clock.advance(codeLifetime + time.Second)
	_, err := b.conf.Exchange(t.Context(), code)
	if got := oauthError(err); got != "invalid_grant" {
		t.Fatalf("expired code: %v, want invalid_grant", err)
	}
}

func TestWrongPassword(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{})
	pageURL, page := b.openLogin(t, b.conf, "s")
	var errorParts []string
	for _, try := range []struct{ username, password string }{
		{demo.GuideCitizenID, "wrong"},
		{"052000000000", DefaultPassword}, // no such account
		{"", ""},
	} {
		resp, body := b.submitLogin(t, pageURL, page, try.username, try.password)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Location") != "" {
			t.Fatalf("%s/%s: %d, Location %q; want the login page again", try.username, try.password,
				resp.StatusCode, resp.Header.Get("Location"))
		}
		if !strings.Contains(body, `<p class="error" role="alert">Sai số định danh hoặc mật khẩu.</p>`) {
			t.Fatalf("%s/%s: no error message:\n%s", try.username, try.password, body)
		}
		errorParts = append(errorParts, strings.Replace(body, `value="`+html.EscapeString(try.username)+`"`, `value=""`, 1))
	}
	if errorParts[0] != errorParts[1] {
		t.Error("the page tells a wrong password from an unknown account")
	}
	// The auth request survives failed attempts.
	resp, body := b.submitLogin(t, pageURL, page, demo.GuideCitizenID, DefaultPassword)
	if q := redirectQuery(t, resp, rpCallback, body); q.Get("code") == "" {
		t.Fatalf("no code after the right password: %v", q)
	}
	// And is used up by the successful one.
	resp, body = b.submitLogin(t, pageURL, page, demo.GuideCitizenID, DefaultPassword)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Không tìm thấy yêu cầu đăng nhập") {
		t.Fatalf("second login for the same request: %d\n%s", resp.StatusCode, body)
	}
}

func TestCancel(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{})
	pageURL, page := b.openLogin(t, b.conf, "st")
	id := html.UnescapeString(hiddenID.FindStringSubmatch(page)[1])
	resp, body := b.post(t, pageURL, url.Values{"authRequestID": {id}, "action": {"cancel"}})
	if q := redirectQuery(t, resp, rpCallback, body); q.Get("error") != "access_denied" || q.Get("state") != "st" {
		t.Fatalf("cancel: redirected with %v, want error=access_denied&state=st", q)
	}
}

func TestPromptNone(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{})
	resp, body := b.get(t, b.conf.AuthCodeURL("st", oauth2.SetAuthURLParam("prompt", "none")))
	if q := redirectQuery(t, resp, rpCallback, body); q.Get("error") != "login_required" {
		t.Fatalf("prompt=none: redirected with %v, want error=login_required", q)
	}
}

func TestAuthorizeRefused(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{})
	const evil = "https://evil.example/callback"
	for name, conf := range map[string]*oauth2.Config{
		"unknown client":           {ClientID: "nobody", RedirectURL: rpCallback, Scopes: []string{"openid"}, Endpoint: b.rp.Endpoint()},
		"unregistered redirect":    {ClientID: clientID, RedirectURL: evil, Scopes: []string{"openid"}, Endpoint: b.rp.Endpoint()},
		"public client, other URI": {ClientID: publicClientID, RedirectURL: "http://192.0.2.1/callback", Scopes: []string{"openid"}, Endpoint: b.rp.Endpoint()},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			resp, body := b.get(t, conf.AuthCodeURL("st", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
			if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
				t.Fatalf("%d, Location %q, want 400 without a redirect:\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
			}
		})
	}
}

func TestEndSession(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{})
	code := b.login(t, b.conf, demo.GuideCitizenID)
	tok, _, _ := b.exchange(t, b.conf, code)
	var disc struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := b.rp.Claims(&disc); err != nil || disc.EndSession != b.issuer+"/end_session" {
		t.Fatalf("end_session_endpoint = %q (%v)", disc.EndSession, err)
	}
	idToken := tok.Extra("id_token").(string)

	t.Run("unregistered post-logout URI", func(t *testing.T) {
		resp, body := b.get(t, disc.EndSession+"?"+url.Values{
			"id_token_hint": {idToken}, "post_logout_redirect_uri": {"https://evil.example/"},
		}.Encode())
		if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
			t.Fatalf("%d, Location %q, want 400:\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
		}
	})
	t.Run("registered post-logout URI", func(t *testing.T) {
		resp, body := b.get(t, disc.EndSession+"?"+url.Values{
			"id_token_hint": {idToken}, "post_logout_redirect_uri": {rpLoggedOut}, "state": {"bye"},
		}.Encode())
		if q := redirectQuery(t, resp, rpLoggedOut, body); q.Get("state") != "bye" {
			t.Fatalf("state = %q, want bye", q.Get("state"))
		}
		if _, err := b.userinfo(t, tok); err == nil {
			t.Error("the access token still works after logout")
		}
	})
	t.Run("no post-logout URI", func(t *testing.T) {
		resp, body := b.get(t, disc.EndSession+"?client_id="+clientID)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Bạn đã đăng xuất khỏi "+title) {
			t.Fatalf("%d %s:\n%s", resp.StatusCode, resp.Request.URL, body)
		}
	})
}

func TestPathPrefix(t *testing.T) {
	t.Parallel()
	for name, strip := range map[string]bool{"StripPrefix": true, "mounted as is": false} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, setupOpts{prefix: "/dev-idp/vneid", strip: strip})
			if b.p.Path() != "/dev-idp/vneid" || b.p.Issuer() != b.issuer {
				t.Errorf("Path() = %q, Issuer() = %q", b.p.Path(), b.p.Issuer())
			}
			v, nonce := oauth2.GenerateVerifier(), rand.Text()
			code := b.login(t, b.conf, "052195003581", oauth2.S256ChallengeOption(v), oidc.Nonce(nonce))
			tok, idt, got := b.exchange(t, b.conf, code, oauth2.VerifierOption(v))
			if idt.Issuer != b.issuer || idt.Nonce != nonce || got.HoVaTen != "Phạm Thị Hồng Nhung" {
				t.Errorf("iss %q, nonce %q, HoVaTen %q", idt.Issuer, idt.Nonce, got.HoVaTen)
			}
			info, err := b.userinfo(t, tok)
			if err != nil || info.SoDinhDanh != "052195003581" {
				t.Errorf("userinfo: %+v, %v", info, err)
			}
			resp, body := b.get(t, b.issuer+"/")
			if resp.StatusCode != http.StatusOK || !strings.Contains(body, b.issuer+"/.well-known/openid-configuration") {
				t.Errorf("index page: %d\n%s", resp.StatusCode, body)
			}
		})
	}
}

func TestLoginPage(t *testing.T) {
	t.Parallel()
	users := append(DemoUsers(), User{PersonalID: "052190009999", Name: `Nguyễn <b>"Văn"</b> Thử`})
	b := setup(t, setupOpts{users: users})
	pageURL, body := b.openLogin(t, b.conf, "st", oauth2.SetAuthURLParam("acr_values", "LoA3"))

	for _, want := range []string{
		"<title>Đăng nhập – VNeID (môi trường phát triển)</title>",
		`name="username"`, `name="password"`, `type="password"`,
		"Số định danh cá nhân", "Mật khẩu của mọi tài khoản thử nghiệm: motcua-demo",
		"mức độ đảm bảo LoA3",
		"Nguyễn &lt;b&gt;&#34;Văn&#34;&lt;/b&gt; Thử",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("login page lacks %q", want)
		}
	}
	for _, u := range DemoUsers() {
		if !strings.Contains(body, "<td>"+u.Name+"</td>") || !strings.Contains(body, "<code>"+u.Username()+"</code>") {
			t.Errorf("login page does not list %s %s", u.Name, u.Username())
		}
	}
	if strings.Contains(body, "<b>") {
		t.Error("a user's name is not escaped")
	}

	t.Run("prefilled username is escaped", func(t *testing.T) {
		t.Parallel()
		resp, body := b.get(t, pageURL+"&username="+url.QueryEscape(`"><script>alert(1)</script>`))
		if resp.StatusCode != http.StatusOK || strings.Contains(body, "<script>") {
			t.Fatalf("%d, reflected unescaped:\n%s", resp.StatusCode, body)
		}
		if !strings.Contains(body, `value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"`) {
			t.Errorf("prefilled username missing:\n%s", body)
		}
	})
	t.Run("pick link prefills", func(t *testing.T) {
		t.Parallel()
		id := html.UnescapeString(hiddenID.FindStringSubmatch(body)[1])
		pick := "?" + url.Values{"authRequestID": {id}, "username": {demo.PetrolOwnerID}}.Encode()
		if !strings.Contains(body, `href="`+html.EscapeString(pick)+`"`) {
			t.Fatalf("no pick link %q", pick)
		}
		_, page := b.get(t, pageURL+"&username="+demo.PetrolOwnerID)
		if !strings.Contains(page, `value="`+demo.PetrolOwnerID+`"`) {
			t.Error("username not prefilled")
		}
	})
	t.Run("unknown request", func(t *testing.T) {
		t.Parallel()
		resp, body := b.get(t, b.issuer+"/login?authRequestID=nope")
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Không tìm thấy yêu cầu đăng nhập") {
			t.Fatalf("%d\n%s", resp.StatusCode, body)
		}
	})
	t.Run("cross-site post refused", func(t *testing.T) {
		t.Parallel()
		id := html.UnescapeString(hiddenID.FindStringSubmatch(body)[1])
		form := url.Values{"authRequestID": {id}, "username": {demo.GuideCitizenID}, "password": {DefaultPassword}}
		for _, hdr := range []http.Header{
			{"Sec-Fetch-Site": {"cross-site"}},
			{"Origin": {"https://evil.example"}},
		} {
			req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, pageURL, strings.NewReader(form.Encode()))
			if err != nil {
				t.Fatal(err)
			}
			req.Header = hdr
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := b.browser.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body := readBody(t, resp)
			if resp.StatusCode != http.StatusForbidden || resp.Header.Get("Location") != "" {
				t.Errorf("%v: %d, Location %q, want 403:\n%s", hdr, resp.StatusCode, resp.Header.Get("Location"), body)
			}
		}
	})
}

func TestDiscovery(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{})
	var d struct {
		Issuer         string   `json:"issuer"`
		Scopes         []string `json:"scopes_supported"`
		Claims         []string `json:"claims_supported"`
		PKCE           []string `json:"code_challenge_methods_supported"`
		Algs           []string `json:"id_token_signing_alg_values_supported"`
		TokenAuth      []string `json:"token_endpoint_auth_methods_supported"`
		EndSession     string   `json:"end_session_endpoint"`
		UserinfoURL    string   `json:"userinfo_endpoint"`
		JWKS           string   `json:"jwks_uri"`
		AuthorizeURL   string   `json:"authorization_endpoint"`
		ResponseModes  []string `json:"response_modes_supported"`
		ResponseTypes  []string `json:"response_types_supported"`
		SubjectTypes   []string `json:"subject_types_supported"`
		UILocales      []string `json:"ui_locales_supported"`
		RequestParam   bool     `json:"request_parameter_supported"`
		RequestURIPara bool     `json:"request_uri_parameter_supported"`
	}
	if err := b.rp.Claims(&d); err != nil {
		t.Fatal(err)
	}
	if d.Issuer != b.issuer {
		t.Errorf("issuer = %q", d.Issuer)
	}
	for _, c := range []string{ClaimPersonalID, ClaimFullName, ClaimBirthDate, ClaimPhone, ClaimEmail, ClaimAccount, ClaimOrgCode, "acr"} {
		if !slices.Contains(d.Claims, c) {
			t.Errorf("claims_supported lacks %s", c)
		}
	}
	if !slices.Equal(d.PKCE, []string{"S256"}) || !slices.Equal(d.Algs, []string{"RS256"}) {
		t.Errorf("PKCE methods %v, algorithms %v", d.PKCE, d.Algs)
	}
	if !slices.Contains(d.TokenAuth, "client_secret_basic") || !slices.Contains(d.TokenAuth, "client_secret_post") {
		t.Errorf("token_endpoint_auth_methods_supported = %v", d.TokenAuth)
	}
	if !slices.Equal(d.Scopes, []string{"openid", "profile", "email", "phone"}) {
		t.Errorf("scopes_supported = %v", d.Scopes)
	}
	resp, body := b.get(t, d.JWKS)
	var jwks struct {
		Keys []struct {
			Kid, Alg, Use, Kty string
		} `json:"keys"`
	}
	if err := json.Unmarshal([]byte(body), &jwks); err != nil || resp.StatusCode != http.StatusOK || len(jwks.Keys) != 1 ||
		jwks.Keys[0].Alg != "RS256" || jwks.Keys[0].Kty != "RSA" || jwks.Keys[0].Kid == "" {
		t.Errorf("JWKS %d: %s (%v)", resp.StatusCode, body, err)
	}
}

func TestNewRejects(t *testing.T) {
	t.Parallel()
	client := Client{ID: clientID, Secret: clientSecret, RedirectURIs: []string{rpCallback}}
	citizen := User{PersonalID: demo.GuideCitizenID, Name: "Trần Văn Hùng"}
	for name, cfg := range map[string]Config{
		"http issuer without AllowInsecure": {Issuer: "http://127.0.0.1:8090", Clients: []Client{client}},
		"issuer with a query":               {Issuer: "https://idp.example/?x=1", Clients: []Client{client}},
		"no client":                         {Issuer: "https://idp.example"},
		"client without redirect URI":       {Issuer: "https://idp.example", Clients: []Client{{ID: "x", Secret: "y"}}},
		"relative redirect URI":             {Issuer: "https://idp.example", Clients: []Client{{ID: "x", RedirectURIs: []string{"/cb"}}}},
		"duplicate client":                  {Issuer: "https://idp.example", Clients: []Client{client, client}},
		"duplicate user":                    {Issuer: "https://idp.example", Clients: []Client{client}, Users: []User{citizen, citizen}},
		"bad personal id":                   {Issuer: "https://idp.example", Clients: []Client{client}, Users: []User{{PersonalID: "123", Name: "A"}}},
		"unknown account type":              {Issuer: "https://idp.example", Clients: []Client{client}, Users: []User{{PersonalID: demo.GuideCitizenID, Name: "A", AccountType: "X"}}},
		"nameless user":                     {Issuer: "https://idp.example", Clients: []Client{client}, Users: []User{{PersonalID: demo.GuideCitizenID}}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg.SigningKey = testKey()
			if _, err := New(cfg); err == nil {
				t.Fatal("New accepted the configuration")
			}
		})
	}
}

func TestDemoUsers(t *testing.T) {
	t.Parallel()
	users := DemoUsers()
	if len(users) != len(demo.Citizens())+len(demo.Organisations()) {
		t.Fatalf("%d users", len(users))
	}
	if _, _, err := checkUsers(users); err != nil {
		t.Fatal(err)
	}
	orgs := 0
	for _, u := range users {
		if u.AccountType == AccountOrganisation {
			orgs++
			if u.OrgCode == "" || u.Username() != u.OrgCode || u.PersonalID != "" {
				t.Errorf("organisation %+v", u)
			}
		} else if u.PersonalID == "" || u.BirthDate.IsZero() || u.Username() != u.PersonalID {
			t.Errorf("citizen %+v", u)
		}
	}
	if orgs != len(demo.Organisations()) {
		t.Errorf("%d organisations", orgs)
	}
}
