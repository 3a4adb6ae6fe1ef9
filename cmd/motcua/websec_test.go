package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/demo"
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
