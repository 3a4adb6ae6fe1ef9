package sso

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/devidp"
)

const callback = "http://rp.test/auth/callback/vneid"

// idp starts the real development provider under a path, as the demo
// mounts it, and returns its issuer.
func idp(t *testing.T, path string) string {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	p, err := devidp.New(devidp.Config{Issuer: srv.URL + path, AllowInsecure: true, Users: devidp.DemoUsers(),
		Clients: []devidp.Client{{ID: "motcua", Secret: "s3cret", RedirectURIs: []string{callback}}}})
	if err != nil {
		t.Fatal(err)
	}
	mux.Handle(path+"/", p)
	return p.Issuer()
}

var authField = regexp.MustCompile(`name="authRequestID" value="([^"]+)"`)

// authorize logs a user in at the provider like a browser and returns the
// code and state it sends back to the callback.
func authorize(t *testing.T, authURL, user string) (code, state string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if strings.HasPrefix(req.URL.String(), callback) {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	resp, err := c.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := authField.FindSubmatch(body)
	if m == nil {
		t.Fatalf("no login form:\n%s", body)
	}
	resp, err = c.PostForm(resp.Request.URL.String(), url.Values{"authRequestID": {string(m[1])}, "username": {user}, "password": {"motcua-demo"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || !strings.HasPrefix(loc.String(), callback) {
		t.Fatalf("no redirect to the callback: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	return loc.Query().Get("code"), loc.Query().Get("state")
}

func newRP(t *testing.T, issuer string) *Provider {
	t.Helper()
	p, err := NewProvider(ProviderConfig{Name: "vneid", Issuer: issuer, ClientID: "motcua", ClientSecret: "s3cret",
		RedirectURL: callback, ACRValues: "LoA2", Scopes: []string{"openid", "profile"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoginFlow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rp := newRP(t, idp(t, "/dev-idp/vneid"))
	u, err := rp.AuthCodeURL(ctx, "state-1", "nonce-1", strings.Repeat("v", 50))
	if err != nil {
		t.Fatal(err)
	}
	if q, _ := url.Parse(u); q.Query().Get("code_challenge_method") != "S256" || q.Query().Get("nonce") != "nonce-1" ||
		q.Query().Get("acr_values") != "LoA2" {
		t.Fatalf("authorization URL lacks PKCE, nonce or acr: %s", u)
	}
	code, state := authorize(t, u, "052090000495")
	if state != "state-1" {
		t.Fatalf("state = %q", state)
	}
	id, raw, err := rp.Exchange(ctx, code, strings.Repeat("v", 50), "nonce-1")
	if err != nil {
		t.Fatal(err)
	}
	if id.PersonalID != "052090000495" || id.Name == "" || id.BirthDate.IsZero() || id.Provider != "vneid" ||
		id.ACR != "LoA2" || raw == "" || id.Organisation {
		t.Fatalf("identity = %+v", id)
	}
	// The same code cannot be redeemed twice.
	_, _, err = rp.Exchange(ctx, code, strings.Repeat("v", 50), "nonce-1")
	wantCode(t, err, "code_exchange_failed")

	end, ok := rp.EndSessionURL(ctx, raw, "http://rp.test/")
	if !ok || !strings.Contains(end, "id_token_hint=") || !strings.Contains(end, "post_logout_redirect_uri=http%3A%2F%2Frp.test%2F") {
		t.Fatalf("end session URL = %q, %v", end, ok)
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if motcua.ErrorCode(err) != code {
		t.Fatalf("got %v (code %s), want %s", err, motcua.ErrorCode(err), code)
	}
}

func TestLoginRefusals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	issuer := idp(t, "/dev-idp/vneid")
	verifier := strings.Repeat("w", 50)
	login := func(rp *Provider) string {
		u, err := rp.AuthCodeURL(ctx, "s", "right-nonce", verifier)
		if err != nil {
			t.Fatal(err)
		}
		code, _ := authorize(t, u, "052090000495")
		return code
	}

	rp := newRP(t, issuer)
	_, _, err := rp.Exchange(ctx, login(rp), verifier, "another-nonce")
	wantCode(t, err, "nonce_mismatch")

	_, _, err = rp.Exchange(ctx, login(rp), strings.Repeat("x", 50), "right-nonce")
	wantCode(t, err, "code_exchange_failed")

	// An ID token checked two hours later has expired.
	late := newRP(t, issuer)
	late.now = func() time.Time { return time.Now().Add(2 * time.Hour) }
	_, _, err = late.Exchange(ctx, login(late), verifier, "right-nonce")
	wantCode(t, err, "invalid_id_token")

	// A provider whose discovery names another issuer is refused.
	other := idp(t, "/dev-idp/dvcqg")
	impostor := newRP(t, strings.Replace(other, "/dev-idp/dvcqg", "/dev-idp/vneid-gia", 1))
	_, err = impostor.AuthCodeURL(ctx, "s", "n", verifier)
	if motcua.ErrorKind(err) != motcua.EUNAVAILABLE {
		t.Fatalf("unknown issuer: %v", err)
	}
	// A token from one provider is not accepted by another's configuration.
	vneid, dvcqg := newRP(t, issuer), newRP(t, other)
	_, _, err = dvcqg.Exchange(ctx, login(vneid), verifier, "right-nonce")
	wantCode(t, err, "code_exchange_failed")

	// A provider that is down is "unavailable", and works once it is back.
	down := newRP(t, "http://127.0.0.1:1/khong-co")
	_, err = down.AuthCodeURL(ctx, "s", "n", verifier)
	if motcua.ErrorKind(err) != motcua.EUNAVAILABLE {
		t.Fatalf("provider down: %v", err)
	}
}

func TestOrganisationClaims(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rp := newRP(t, idp(t, "/idp"))
	var org devidp.User
	for _, u := range devidp.DemoUsers() {
		if u.AccountType == devidp.AccountOrganisation {
			org = u
			break
		}
	}
	if org.OrgCode == "" {
		t.Fatal("no demo organisation")
	}
	u, _ := rp.AuthCodeURL(ctx, "s", "n", strings.Repeat("v", 50))
	code, _ := authorize(t, u, org.Username())
	id, _, err := rp.Exchange(ctx, code, strings.Repeat("v", 50), "n")
	if err != nil || !id.Organisation || id.OrgCode != org.OrgCode || id.PersonalID != org.PersonalID {
		t.Fatalf("organisation identity = %+v, %v", id, err)
	}
}

func TestMapClaims(t *testing.T) {
	t.Parallel()
	p, _ := NewProvider(ProviderConfig{Name: "x", Issuer: "https://x", ClientID: "c", RedirectURL: "https://rp/cb"}, nil)
	id, err := p.mapClaims(map[string]any{"SoDinhDanh": "052090000495", "HoVaTen": "Nguyễn Văn An",
		"NgayThangNamSinh": "03/02/1990", "LoaiTaiKhoan": "CongDan"})
	if err != nil || id.BirthDate != (motcua.Date{Year: 1990, Month: 2, Day: 3}) || id.Organisation {
		t.Fatalf("citizen claims = %+v, %v", id, err)
	}
	_, err = p.mapClaims(map[string]any{"SoDinhDanh": "052090000495", "NgayThangNamSinh": "32/13/1990"})
	wantCode(t, err, "invalid_birth_date_claim")
	_, err = p.mapClaims(map[string]any{"HoVaTen": "X"})
	wantCode(t, err, "missing_personal_id")
}
