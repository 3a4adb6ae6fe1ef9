package main

import (
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

// TestExpiredDocumentSaysHetHieuLuc: a marital-status certificate (valid
// 180 days) issued long ago reads "Hết hiệu lực" on the owner's list, on
// its page and on the public check, never "Còn hiệu lực" next to its past
// expiry date (issue 16 point 7).
func TestExpiredDocumentSaysHetHieuLuc(t *testing.T) {
	t.Parallel()
	ts := startServer(t, "--demo", "--data-dir", t.TempDir())
	owner := demo.Citizens()[0]
	ca, err := demo.LoadOrCreateCA(filepath.Join(ts.dataDir, "demo-ca"))
	if err != nil {
		t.Fatal(err)
	}
	anon := &apiClient{t: t, base: ts.url}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {demo.IntegratorID}, "client_secret": {demo.IntegratorSecret}}
	status, tok, raw := anon.do("POST", "/api/v1/oauth/token", strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
	if status != 200 {
		t.Fatalf("token: %d %s", status, raw)
	}
	agency := &apiClient{t: t, base: ts.url, token: tok["access_token"].(string)}
	code := owner.Code + "." + demo.CategoryMaritalStatus + ".XNHN-CU"
	pdf, err := ca.SignPDF(pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "Giay xac nhan tinh trang hon nhan"}), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	body, ct := multipartBody(t, map[string]string{"code": code, "owner_name": owner.Name, "decision_number": "XNHN/2024",
		"summary": "Xác nhận tình trạng hôn nhân (cũ)", "issue_date": "2024-01-02"}, pdf)
	if status, _, raw := agency.do("POST", "/api/v1/agency/results", body, ct); status != 201 && status != 200 {
		t.Fatalf("push: %d %s", status, raw)
	}

	b := newBrowser(t)
	b.loginAt(ts, "vneid", owner.Code, "motcua-demo")
	_, list := b.get(ts.url + "/kho-du-lieu?summary=" + url.QueryEscape("tình trạng hôn nhân (cũ)"))
	row := regexp.MustCompile(`(?s)<tr>.*?` + regexp.QuoteMeta(code) + `.*?</tr>`).FindString(list)
	if !strings.Contains(row, "Hết hiệu lực") {
		t.Errorf("the list's row lacks “Hết hiệu lực”:\n%s", row)
	}
	m := regexp.MustCompile(`href="/kho-du-lieu/([0-9a-f]+)"`).FindStringSubmatch(row)
	if m == nil {
		t.Fatalf("no link to the document in its row:\n%s", row)
	}
	_, page := b.get(ts.url + "/kho-du-lieu/" + m[1])
	got := regexp.MustCompile(`<dd id="trang-thai-giay-to">([^<]*)`).FindStringSubmatch(page)
	if got == nil || got[1] != "Hết hiệu lực" || strings.Contains(page, "Còn hiệu lực") {
		t.Errorf("the document's page: status %v; “Còn hiệu lực” shown: %v", got, strings.Contains(page, "Còn hiệu lực"))
	}
	_, check := b.get(ts.url + "/verify/" + url.PathEscape(code))
	if !strings.Contains(check, "hết hiệu lực") || strings.Contains(check, "Còn hiệu lực") {
		t.Errorf("the public check does not say the result expired")
	}
	if status, v, raw := anon.do("GET", "/api/v1/verify/"+url.PathEscape(code), nil, ""); status != 200 || v["status_label"] != "Hết hiệu lực" || v["expired"] != true {
		t.Errorf("verify API: %d %s", status, raw)
	}
}
