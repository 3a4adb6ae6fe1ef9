package main

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/demo"
)

var clientSecretField = regexp.MustCompile(`<code class="secret">([A-Za-z0-9_-]+)</code>`)

// TestAdminAPIClients: the district administrator registers an API client
// for a commune of its district through the API and the page, its secret
// gets a token; a rotated secret and a revoked client stop working at
// once; an agency outside the district is refused. Both backends.
func TestAdminAPIClients(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, ts *testServer) {
		admin := demoAdmin(t, demo.DistrictCode)
		b := officerLogin(t, ts, admin.Username, admin.Password, admin.TOTPSecret)
		district := &apiClient{t: t, base: ts.url, token: sessionCookie(t, ts, b)}
		anon := &apiClient{t: t, base: ts.url}
		token := func(id, secret string) (int, map[string]any) {
			form := url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}}
			status, tok, _ := anon.do("POST", "/api/v1/oauth/token", strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
			return status, tok
		}

		status, list, raw := district.do("GET", "/api/v1/admin/api-clients", nil, "")
		if status != 200 || !strings.Contains(string(raw), `"client_id":"`+demo.IntegratorID+`"`) || !strings.Contains(string(raw), `"scope":"reports:read"`) ||
			len(list["scopes"].([]any)) == 0 {
			t.Fatalf("list: %d %s", status, raw)
		}
		in := map[string]any{"client_id": "hotich.anhung", "name": "Phần mềm hộ tịch xã An Hưng", "agency_code": demo.CommuneCodes()[2],
			"categories": []string{demo.CategoryBirthCertificate}}
		outside := map[string]any{"client_id": "x.tinh", "name": "X", "agency_code": demo.ProvinceCode,
			"categories": []string{demo.CategoryBirthCertificate}}
		if status, prob, _ := district.do("POST", "/api/v1/admin/api-clients", jsonBody(outside), "application/json"); status != 403 || prob["code"] != "forbidden" {
			t.Fatalf("outside the district: %d %v", status, prob)
		}
		status, c, raw := district.do("POST", "/api/v1/admin/api-clients", jsonBody(in), "application/json")
		secret, _ := c["client_secret"].(string)
		if status != 201 || secret == "" || c["agency_code"] != demo.CommuneCodes()[2] || c["revoked"] != false {
			t.Fatalf("create: %d %s", status, raw)
		}
		if status, prob, _ := district.do("POST", "/api/v1/admin/api-clients", jsonBody(in), "application/json"); status != 409 || prob["code"] != "api_client_exists" {
			t.Fatalf("again: %d %v", status, prob)
		}
		if status, _, raw := district.do("GET", "/api/v1/admin/api-clients", nil, ""); status != 200 || strings.Contains(string(raw), secret) {
			t.Fatalf("the list shows the secret: %s", raw)
		}
		if status, _ := token("hotich.anhung", secret); status != 200 {
			t.Fatalf("token with the new secret: %d", status)
		}
		status, c, raw = district.do("POST", "/api/v1/admin/api-clients/hotich.anhung/rotate-secret", nil, "")
		fresh, _ := c["client_secret"].(string)
		if status != 200 || fresh == "" || fresh == secret {
			t.Fatalf("rotate: %d %s", status, raw)
		}
		if status, e := token("hotich.anhung", secret); status != 401 || e["error"] != "invalid_client" {
			t.Fatalf("old secret after rotation: %d %v", status, e)
		}
		status, tok := token("hotich.anhung", fresh)
		if status != 200 {
			t.Fatalf("token with the rotated secret: %d", status)
		}
		pusher := &apiClient{t: t, base: ts.url, token: tok["access_token"].(string)}
		if status, c, raw := district.do("POST", "/api/v1/admin/api-clients/hotich.anhung/revoke", nil, ""); status != 200 || c["revoked"] != true {
			t.Fatalf("revoke: %d %s", status, raw)
		}
		if status, prob, _ := pusher.do("POST", "/api/v1/agency/results", nil, ""); status != 401 || prob["code"] != "invalid_token" {
			t.Fatalf("push with a revoked client's token: %d %v", status, prob)
		}
		if status, _ := token("hotich.anhung", fresh); status != 401 {
			t.Fatalf("token of a revoked client: %d", status)
		}

		// The page: register through the form, the secret shown once.
		resp, body := b.post(ts.url+"/quan-tri/ung-dung", url.Values{"client_id": {"chungthuc.anhoa"}, "name": {"Phần mềm chứng thực xã"},
			"agency_code": {demo.CommuneCodes()[1]}, "categories": {demo.CategoryCertifiedCopy}, "scopes": {"reports:read"}})
		m := clientSecretField.FindStringSubmatch(body)
		if resp.StatusCode != 200 || m == nil || !strings.Contains(body, "chỉ hiển thị một lần") {
			t.Fatalf("page create: %d\n%s", resp.StatusCode, body)
		}
		if status, _ := token("chungthuc.anhoa", m[1]); status != 200 {
			t.Fatalf("token with the page's secret: %d", status)
		}
		resp, body = b.post(ts.url+"/quan-tri/ung-dung", url.Values{"client_id": {"x.y"}, "name": {"X"},
			"agency_code": {demo.CommuneCodes()[1]}})
		if resp.StatusCode != 422 || !strings.Contains(body, "ít nhất một danh mục kết quả") {
			t.Fatalf("page without categories: %d\n%s", resp.StatusCode, body)
		}
		resp, body = b.get(ts.url + "/quan-tri/ung-dung")
		if resp.StatusCode != 200 || !strings.Contains(body, "chungthuc.anhoa") || !strings.Contains(body, "Đã thu hồi") {
			t.Fatalf("page list: %d\n%s", resp.StatusCode, body)
		}
	})
}
