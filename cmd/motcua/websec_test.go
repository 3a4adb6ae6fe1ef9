package main

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pgtest"
	"github.com/motcua/motcua/internal/service"
	"github.com/motcua/motcua/internal/web"
)

// TestLoginReturnToStaysLocal drives a real login through the development
// IdP with hostile return_to values and reads the Location header the
// callback answers: browsers strip tabs and newlines from it, so
// "/\t/evil.example" would leave the site.
func TestLoginReturnToStaysLocal(t *testing.T) {
	t.Parallel()
	ts := startServer(t, "--demo", "--data-dir", t.TempDir())
	citizen := demo.Citizens()[0]
	for _, rt := range []string{"/\t/evil.example/x", "/\n/evil.example/x", "/\r/evil.example/x", "/%09/evil.example/x",
		"/%0A/evil.example", "//evil.example/x", "/\\evil.example", "https://evil.example/", "/%2F/evil.example",
		"/kho-du-lieu/../\t/evil.example"} {
		b := newBrowser(t)
		var location string
		b.c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
			if strings.HasPrefix(via[len(via)-1].URL.Path, "/auth/callback/") {
				location = req.Response.Header.Get("Location")
				return http.ErrUseLastResponse
			}
			return nil
		}
		resp, body := b.get(ts.url + "/auth/login/vneid?return_to=" + url.QueryEscape(rt))
		m := authRequestField.FindStringSubmatch(body)
		if resp.StatusCode != 200 || m == nil {
			t.Fatalf("%q: IdP login page: %d %s", rt, resp.StatusCode, body)
		}
		resp, _ = b.post(resp.Request.URL.String(), url.Values{"authRequestID": {m[1]}, "username": {citizen.Code}, "password": {"motcua-demo"}})
		if resp.StatusCode != http.StatusSeeOther || location == "" {
			t.Fatalf("%q: callback answered %d, Location %q", rt, resp.StatusCode, location)
		}
		if location != "/tai-khoan" {
			t.Errorf("return_to %q: Location %q, want /tai-khoan", rt, location)
		}
	}
	// A harmless local path is kept, cleaned.
	b := newBrowser(t)
	resp, body := b.get(ts.url + "/auth/login/vneid?return_to=" + url.QueryEscape("/kho-du-lieu/./?q=1"))
	m := authRequestField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("IdP login page: %d %s", resp.StatusCode, body)
	}
	resp, _ = b.post(resp.Request.URL.String(), url.Values{"authRequestID": {m[1]}, "username": {citizen.Code}, "password": {"motcua-demo"}})
	if resp.Request.URL.Path != "/kho-du-lieu/" && resp.Request.URL.Path != "/kho-du-lieu" {
		t.Fatalf("local return_to: ended at %s (%d)", resp.Request.URL, resp.StatusCode)
	}
}

// TestCrossOriginRefusalSpeaksVietnamese: the cross-site refusal is an
// error like the others, problem+json under /api/ and the error page
// elsewhere, not Go's plain English text.
func TestCrossOriginRefusalSpeaksVietnamese(t *testing.T) {
	t.Parallel()
	ts := startServer(t, "--demo", "--data-dir", t.TempDir())
	for _, c := range []struct {
		path, header, value string
		api                 bool
	}{
		{"/auth/logout", "Sec-Fetch-Site", "cross-site", false},
		{"/can-bo/dang-nhap", "Origin", "https://evil.example", false},
		{"/api/v1/warehouse/documents", "Sec-Fetch-Site", "cross-site", true},
		{"/api/v1/dossiers/drafts", "Origin", "https://evil.example", true},
	} {
		req, _ := http.NewRequest("POST", ts.url+c.path, strings.NewReader("a=b"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set(c.header, c.value)
		resp, body := newBrowser(t).do(req)
		ct := resp.Header.Get("Content-Type")
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("%s with %s: %s = %d, want 403", c.path, c.header, c.value, resp.StatusCode)
		}
		if c.api {
			if !strings.HasPrefix(ct, "application/problem+json") || !strings.Contains(body, `"code":"cross_origin_refused"`) ||
				!strings.Contains(body, "trang web khác") {
				t.Errorf("%s: %s %s", c.path, ct, body)
			}
		} else if !strings.HasPrefix(ct, "text/html") || !strings.Contains(body, "trang web khác") || !strings.Contains(body, "<html") {
			t.Errorf("%s: %s %s", c.path, ct, body)
		}
	}
}

var pathParam = regexp.MustCompile(`\{[^}]*\}`)

// TestOfficerPagesCheckTheRole walks every route of the officer areas, as
// the web package's own route table lists them, with every kind of
// visitor: anonymous (sent to the officers' login), a citizen and each
// demo officer role. Only an officer whose role allows one of the route's
// operations gets past the check, whatever the method; the others get 403
// (GET too: the pages used to render for anyone logged in).
func TestOfficerPagesCheckTheRole(t *testing.T) {
	t.Parallel()
	routes, err := web.OfficerRoutes()
	if err != nil || len(routes) < 20 {
		t.Fatalf("officer routes: %d, %v", len(routes), err)
	}
	ts := startServer(t, "--demo", "--data-dir", t.TempDir())
	noFollow := func(b *browser) *browser {
		b.c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		return b
	}
	type visitor struct {
		name string
		b    *browser
		p    *motcua.Principal
	}
	visitors := []visitor{{name: "anonymous", b: noFollow(newBrowser(t))}}
	citizen := demo.Citizens()[0]
	cb := newBrowser(t)
	if resp, _ := cb.loginAt(ts, "vneid", citizen.Code, "motcua-demo"); resp.Request.URL.Path != "/tai-khoan" {
		t.Fatalf("citizen login ended at %s", resp.Request.URL)
	}
	visitors = append(visitors, visitor{"citizen", noFollow(cb), &motcua.Principal{Kind: motcua.PrincipalPerson, SubjectCode: citizen.Code}})
	for _, o := range demo.Officers() {
		b := officerLogin(t, ts, o.Username, o.Password, o.TOTPSecret)
		visitors = append(visitors, visitor{o.Username, noFollow(b), &motcua.Principal{Kind: motcua.PrincipalOfficer,
			Username: o.Username, AgencyCode: o.AgencyCode, Roles: o.Roles}})
	}
	for _, rt := range routes {
		path := pathParam.ReplaceAllString(rt.Path, "khong-co")
		method := rt.Method
		if method == "" {
			method = "GET"
		}
		for _, v := range visitors {
			allowed := false
			for _, op := range rt.Ops {
				if v.p != nil && service.Authorize(v.p, op, service.Resource{AgencyPath: []string{v.p.AgencyCode}}) == nil {
					allowed = true
				}
			}
			req, _ := http.NewRequest(method, ts.url+path, strings.NewReader(""))
			if method == "POST" {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			resp, body := v.b.do(req)
			where := fmt.Sprintf("%s %s as %s", method, path, v.name)
			switch {
			case resp.StatusCode >= 500:
				t.Errorf("%s: %d", where, resp.StatusCode)
			case v.p == nil:
				if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/can-bo/dang-nhap?return_to=") {
					t.Errorf("%s: %d Location %q, want the officers' login", where, resp.StatusCode, loc)
				}
			case !allowed:
				if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "không có quyền") {
					t.Errorf("%s: %d, want 403", where, resp.StatusCode)
				}
			case method == "GET" && !strings.Contains(rt.Path, "{"):
				// The pages themselves open for the roles they are for.
				if resp.StatusCode != http.StatusOK {
					t.Errorf("%s: %d, want 200\n%s", where, resp.StatusCode, body)
				}
			case method == "GET":
				// Past the check, the object does not exist.
				if resp.StatusCode != http.StatusNotFound {
					t.Errorf("%s: %d, want 404", where, resp.StatusCode)
				}
			}
		}
	}
}

var devNotifyLink = regexp.MustCompile(`/dev-notify/\?token=([A-Za-z0-9_-]+)`)

// devNotifyToken reads the demo-only token of the notification simulator
// from the start-up logs.
func devNotifyToken(t *testing.T, ts *testServer) string {
	t.Helper()
	m := devNotifyLink.FindStringSubmatch(ts.logs.String())
	if m == nil {
		t.Fatalf("no /dev-notify token in the start-up logs:\n%s", ts.logs)
	}
	return m[1]
}

// TestDevNotifyNeedsLogin: the demo's notification simulator shows every
// citizen's messages, so it needs a monitor's or administrator's session
// or the demo-only token printed at start-up; it is never mounted without
// --demo.
func TestDevNotifyNeedsLogin(t *testing.T) {
	t.Parallel()
	ts := startServer(t, "--demo", "--data-dir", t.TempDir())
	token := devNotifyToken(t, ts)
	noFollow := func(b *browser) *browser {
		b.c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		return b
	}
	getAs := func(b *browser, path, accept string) (*http.Response, string) {
		req, _ := http.NewRequest("GET", ts.url+path, nil)
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		return b.do(req)
	}

	// Anonymous: 401 for programs, the officers' login for browsers.
	anon := noFollow(newBrowser(t))
	for _, path := range []string{"/dev-notify/", "/dev-notify/api/messages", "/dev-notify/admin/state"} {
		resp, body := getAs(anon, path, "")
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, `"code":"login_required"`) {
			t.Errorf("anonymous %s: %d %s", path, resp.StatusCode, body)
		}
	}
	resp, _ := getAs(anon, "/dev-notify/", "text/html")
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/can-bo/dang-nhap?return_to=%2Fdev-notify%2F" {
		t.Errorf("anonymous browser: %d %q", resp.StatusCode, loc)
	}
	req, _ := http.NewRequest("POST", ts.url+"/dev-notify/admin/reset", nil)
	if resp, _ := anon.do(req); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("anonymous reset: %d", resp.StatusCode)
	}
	if resp, _ := getAs(anon, "/dev-notify/?token=sai-ma", ""); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong token: %d", resp.StatusCode)
	}

	// A citizen and an officer without the role are refused.
	cb := newBrowser(t)
	cb.loginAt(ts, "vneid", demo.Citizens()[0].Code, "motcua-demo")
	if resp, _ := getAs(cb, "/dev-notify/", "text/html"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("citizen: %d", resp.StatusCode)
	}
	desk := townOfficer(t, "reception")
	if resp, _ := getAs(officerLogin(t, ts, desk.Username, desk.Password, desk.TOTPSecret), "/dev-notify/", "text/html"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("reception officer: %d", resp.StatusCode)
	}

	// A monitor comes back to the simulator after logging in.
	for _, o := range demo.Officers() {
		if o.Roles[0] != motcua.RoleMonitor {
			continue
		}
		b := newBrowser(t)
		resp, _ := getAs(b, "/dev-notify/", "text/html")
		if resp.Request.URL.Path != "/can-bo/dang-nhap" {
			t.Fatalf("monitor not sent to the login: %s", resp.Request.URL)
		}
		code, _ := freshTOTP(ts, o.Username, o.TOTPSecret)
		resp, body := b.post(ts.url+"/can-bo/dang-nhap", url.Values{"username": {o.Username}, "password": {o.Password},
			"otp": {code}, "return_to": {resp.Request.URL.Query().Get("return_to")}})
		if resp.StatusCode != 200 || resp.Request.URL.Path != "/dev-notify/" {
			t.Fatalf("monitor after login: %d at %s\n%s", resp.StatusCode, resp.Request.URL, body)
		}
	}

	// The printed link sets a cookie for the simulator and drops the token
	// from the address; programs send it as a bearer token.
	tb := newBrowser(t)
	resp, _ = tb.get(ts.url + "/dev-notify/?token=" + token)
	if resp.StatusCode != 200 || resp.Request.URL.String() != ts.url+"/dev-notify/" {
		t.Fatalf("token link: %d at %s", resp.StatusCode, resp.Request.URL)
	}
	if resp, _ := tb.get(ts.url + "/dev-notify/api/messages"); resp.StatusCode != 200 {
		t.Fatalf("token cookie: %d", resp.StatusCode)
	}
	req, _ = http.NewRequest("GET", ts.url+"/dev-notify/api/messages", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	if resp, body := newBrowser(t).do(req); resp.StatusCode != 200 || !strings.Contains(body, `"messages"`) {
		t.Fatalf("bearer token: %d %s", resp.StatusCode, body)
	}

	// Without --demo there is no simulator at all.
	dir := t.TempDir()
	if code := run(t.Context(), []string{"migrate", "--data-dir", dir}, io.Discard, io.Discard); code != 0 {
		t.Fatalf("migrate: exit %d", code)
	}
	plain := startServer(t, "--data-dir", dir)
	for _, path := range []string{"/dev-notify/", "/dev-notify/api/messages"} {
		if resp, _ := get(t, plain.url+path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("without --demo %s: %d", path, resp.StatusCode)
		}
	}
	if devNotifyLink.MatchString(plain.logs.String()) {
		t.Errorf("a server without --demo prints a simulator link:\n%s", plain.logs)
	}
}

// TestOfficerTOTPCodeUsedOnce: the same TOTP code logs an officer in once
// (RFC 6238 §5.2), also when the second try goes to another node of the
// same database.
func TestOfficerTOTPCodeUsedOnce(t *testing.T) {
	t.Parallel()
	o := townOfficer(t, "reception")
	login := func(ts *testServer, code string) (*http.Response, string) {
		return newBrowser(t).post(ts.url+"/can-bo/dang-nhap", url.Values{"username": {o.Username}, "password": {o.Password}, "otp": {code}})
	}
	check := func(t *testing.T, first, second *testServer) {
		code, err := service.TOTPCode(o.TOTPSecret, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if resp, body := login(first, code); resp.StatusCode != 200 || resp.Request.URL.Path != "/tai-khoan" {
			t.Fatalf("first login: %d %s\n%s", resp.StatusCode, resp.Request.URL, body)
		}
		for range 2 {
			resp, body := login(second, code)
			if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Mã xác thực này đã được dùng để đăng nhập") {
				t.Fatalf("same code again: %d %s\n%s", resp.StatusCode, resp.Request.URL, body)
			}
		}
	}
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		ts := startServer(t, "--demo", "--data-dir", t.TempDir())
		check(t, ts, ts)
	})
	t.Run("postgres two nodes", func(t *testing.T) {
		t.Parallel()
		db := pgtest.SchemaURL(t)
		a := startServer(t, "--demo", "--data-dir", t.TempDir(), "--database-url", db)
		b := startServer(t, "--demo", "--data-dir", t.TempDir(), "--database-url", db)
		check(t, a, b)
	})
}
