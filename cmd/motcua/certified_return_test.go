package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

// applyCertificationOnline has the citizen apply online at the town for
// "Chứng thực bản sao điện tử từ bản chính" with the scan of the original,
// (signed: the component takes no unsigned scan), and returns the
// dossier's code.
func applyCertificationOnline(t *testing.T, ts *testServer, citizen *apiClient) string {
	t.Helper()
	ca, err := demo.LoadOrCreateCA(filepath.Join(ts.dataDir, "demo-ca"))
	if err != nil {
		t.Fatal(err)
	}
	original, err := ca.SignPDF(pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "Giay khai sinh so 88/2003"}), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	status, draft, raw := citizen.do("POST", "/api/v1/dossiers/drafts",
		jsonBody(map[string]string{"procedure": demo.ProcedureCertifiedCopy, "case": "TH01", "agency": demo.TownCode}), "application/json")
	if status != 201 {
		t.Fatalf("draft: %d %s", status, raw)
	}
	base := "/api/v1/dossiers/drafts/" + draft["id"].(string)
	body, ct := multipartBody(t, nil, original)
	if status, _, raw := citizen.do("PUT", base+"/components/TP01", body, ct); status != 200 {
		t.Fatalf("scan: %d %s", status, raw)
	}
	status, dossier, raw := citizen.do("POST", base+"/submit", nil, "")
	if status != 201 {
		t.Fatalf("submit: %d %s", status, raw)
	}
	return dossier["code"].(string)
}

// TestCertifiedCopyOnline: a copy certified through the online procedure
// and returned by the back office follows the desk's rule: it expires six
// months after its issue, is coded <original>.STP-SCT.NN and is numbered
// in the town's electronic certification book. (Before, it never expired,
// had a plain result code and was missing from the book.)
func TestCertifiedCopyOnline(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, ts *testServer) {
		owner := demo.Citizens()[0]
		citizen := &apiClient{t: t, base: ts.url, token: sessionToken(t, ts, owner.Code)}
		code := applyCertificationOnline(t, ts, citizen)
		path := "/api/v1/agency/dossiers/" + code
		desk := &apiClient{t: t, base: ts.url, token: officerToken(t, ts, townOfficer(t, "reception"))}
		handler := &apiClient{t: t, base: ts.url, token: officerToken(t, ts, townOfficer(t, "processing"))}
		leader := &apiClient{t: t, base: ts.url, token: officerToken(t, ts, townOfficer(t, "leader"))}
		book := &apiClient{t: t, base: ts.url, token: officerToken(t, ts, townOfficer(t, "certification"))}
		move := func(to int) {
			t.Helper()
			if status, _, raw := desk.do("POST", path+"/status", jsonBody(map[string]any{"status": to}), "application/json"); status != 200 {
				t.Fatalf("move to %d: %d %s", to, status, raw)
			}
		}
		move(2)
		move(4)
		draft := func(number string) (int, map[string]any, []byte) {
			body, ct := multipartBody(t, map[string]string{"number": number, "summary": "Bản sao Giấy khai sinh"},
				pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "Giay khai sinh so 88/2003"}))
			return handler.do("PUT", path+"/result", body, ct)
		}
		// The copy's number names its original: a plain number cannot code it.
		if status, prob, raw := draft("88-2003"); status != 422 || prob["code"] != "invalid_original_code" {
			t.Errorf("plain number: %d %s", status, raw)
		}
		if status, prob, raw := draft("KQ.G99.999999.88-2003"); status != 422 || prob["code"] != "unknown_category" {
			t.Errorf("unknown original category: %d %s", status, raw)
		}
		if status, _, raw := draft(demo.CategoryBirthCertificate + ".88-2003"); status != 200 {
			t.Fatalf("draft: %d %s", status, raw)
		}
		if status, _, raw := leader.do("POST", path+"/result/sign", nil, ""); status != 200 {
			t.Fatalf("sign: %d %s", status, raw)
		}
		move(10)

		copyCode := owner.Code + "." + demo.CategoryBirthCertificate + ".88-2003.STP-SCT.01"
		status, _, raw := citizen.do("GET", "/api/v1/warehouse/documents?q=STP-SCT", nil, "")
		var list struct {
			Items []struct {
				Code      string      `json:"code"`
				IssuedOn  motcua.Date `json:"issued_on"`
				ExpiresOn motcua.Date `json:"expires_on"`
			} `json:"items"`
		}
		if status != 200 || json.Unmarshal(raw, &list) != nil || len(list.Items) != 1 || list.Items[0].Code != copyCode {
			t.Fatalf("warehouse: %d %s, want one copy %s", status, raw, copyCode)
		}
		got := list.Items[0]
		if got.IssuedOn.IsZero() || got.ExpiresOn != motcua.DateOf(got.IssuedOn.Time().AddDate(0, 6, 0)) {
			t.Errorf("expires_on %v for a copy issued on %v, want six months later", got.ExpiresOn, got.IssuedOn)
		}

		year := motcua.LocalDay(time.Now()).Year()
		status, entries, raw := book.do("GET", "/api/v1/agency/certifications", nil, "")
		if status != 200 || !strings.Contains(string(raw), copyCode) {
			t.Fatalf("book: %d %s", status, raw)
		}
		items := entries["items"].([]any)
		e := items[len(items)-1].(map[string]any)
		if e["document_code"] != copyCode || e["number"].(float64) != 1 || e["year"].(float64) != float64(year) ||
			e["original_code"] != demo.CategoryBirthCertificate+".88-2003" || e["fee_vnd"].(float64) != 2000 {
			t.Errorf("book entry: %v", e)
		}
	})
}
