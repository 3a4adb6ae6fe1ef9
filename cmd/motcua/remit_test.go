package main

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

// TestAgencyPushRemit: issue 13 item 3. The town's civil-status software
// (hotich.thitran) may push only the categories it issues, only to
// persons motcua knows under their registered names (or whom the
// population database confirms, see
// TestAgencyPushUnknownOwnerChecksPopulationDB), with sane dates; and
// a citizen's upload takes no impossible issue date either.
func TestAgencyPushRemit(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, ts *testServer) {
		ca, err := demo.LoadOrCreateCA(filepath.Join(ts.dataDir, "demo-ca"))
		if err != nil {
			t.Fatal(err)
		}
		owner := demo.Citizens()[0]
		anon := &apiClient{t: t, base: ts.url}
		form := url.Values{"grant_type": {"client_credentials"}, "client_id": {demo.IntegratorID}, "client_secret": {demo.IntegratorSecret}}
		status, tok, raw := anon.do("POST", "/api/v1/oauth/token", strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
		if status != 200 {
			t.Fatalf("token: %d %s", status, raw)
		}
		agency := &apiClient{t: t, base: ts.url, token: tok["access_token"].(string)}
		pdf, err := ca.SignPDF(pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "Ket qua"}), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		push := func(ownerCode, ownerName, category, issued string) (string, int, map[string]any, []byte) {
			n++
			code := fmt.Sprintf("%s.%s.R13-%d-%d", ownerCode, category, time.Now().UnixNano()%1000000, n)
			body, ct := multipartBody(t, map[string]string{"code": code, "owner_name": ownerName, "issue_date": issued}, pdf)
			status, m, raw := agency.do("POST", "/api/v1/agency/results", body, ct)
			return code, status, m, raw
		}
		refused := []struct {
			name                       string
			owner, ownerName, category string
			issued                     string
			status                     int
			code                       string
		}{
			{"judicial record", owner.Code, owner.Name, demo.CategoryJudicialRecord1, "2024-05-05", 403, "category_not_allowed"},
			{"land-use certificate", owner.Code, owner.Name, demo.CategoryLandTitle, "2024-05-05", 403, "category_not_allowed"},
			{"organisation", demo.PetrolCompanyCode, "Công ty TNHH Thương mại Xăng dầu An Lão", demo.CategoryBirthCertificate, "2024-05-05", 403, "owner_kind_not_allowed"},
			{"another name", owner.Code, "Nguyễn Văn Giả", demo.CategoryBirthCertificate, "2024-05-05", 422, "owner_name_mismatch"},
			{"unknown province", "999090000495", "Nguyễn Văn A", demo.CategoryBirthCertificate, "2024-05-05", 422, "unknown_province_code"},
			{"impossible birth year", "052990000495", "Nguyễn Văn A", demo.CategoryBirthCertificate, "2024-05-05", 422, "invalid_birth_year"},
			{"zeros", "000000000000", "Nguyễn Văn A", demo.CategoryBirthCertificate, "2024-05-05", 422, "unknown_province_code"},
			{"valid id unknown to motcua", "052187005519", "Trương Thị Ngọc Lan", demo.CategoryBirthCertificate, "2024-05-05", 422, "owner_unknown"},
			{"issued in 2099", owner.Code, owner.Name, demo.CategoryBirthCertificate, "2099-01-01", 422, "issue_date_in_future"},
			{"issued in 1800", owner.Code, owner.Name, demo.CategoryBirthCertificate, "1800-01-01", 422, "issue_date_too_early"},
		}
		for _, r := range refused {
			code, status, prob, raw := push(r.owner, r.ownerName, r.category, r.issued)
			if status != r.status || prob["code"] != r.code {
				t.Errorf("%s: %d %s, want %d %s", r.name, status, raw, r.status, r.code)
			}
			if status, _, _ := anon.do("GET", "/api/v1/verify/"+url.PathEscape(code), nil, ""); status != 404 {
				t.Errorf("%s: the refused result is verifiable: %d", r.name, status)
			}
		}
		// The registered name written another way is the same name; what
		// is stored and shown is the registered spelling.
		folded := strings.ToUpper(strings.ReplaceAll(owner.Name, " ", "  "))
		if _, status, doc, raw := push(owner.Code, folded, demo.CategoryBirthCertificate, "2024-05-05"); status != 201 || doc["owner_name"] != owner.Name {
			t.Errorf("push under the name in capitals: %d %s", status, raw)
		}
		me := &apiClient{t: t, base: ts.url, token: sessionToken(t, ts, owner.Code)}
		if status, prof, raw := me.do("GET", "/api/v1/me", nil, ""); status == 200 && strings.Contains(string(raw), "Giả") {
			t.Errorf("the pushed name reached the profile: %v", prof)
		}

		// Citizen uploads: the same date rule.
		for date, want := range map[string]string{"9999-12-31": "issue_date_in_future", "0000-01-01": "issue_date_too_early",
			"2099-01-01": "issue_date_in_future", "1800-01-01": "issue_date_too_early"} {
			body, ct := multipartBody(t, map[string]string{"category": demo.CategoryCertifiedCopy, "issue_date": date}, pdf)
			if status, prob, raw := me.do("POST", "/api/v1/warehouse/documents", body, ct); status != 422 || prob["code"] != want {
				t.Errorf("upload issued %s: %d %s, want 422 %s", date, status, raw, want)
			}
		}
	})
}

// TestWarehouseReadThroughDossier: issue 13 item 4. An officer reads a
// citizen's warehouse through a dossier only while handling it (open
// dossier, their desk) and only documents the dossier may use; once the
// dossier is done or returned nobody reads through it, not even a paper
// of a category it used that the citizen uploads afterwards.
func TestWarehouseReadThroughDossier(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, ts *testServer) {
		ca, err := demo.LoadOrCreateCA(filepath.Join(ts.dataDir, "demo-ca"))
		if err != nil {
			t.Fatal(err)
		}
		desk := &apiClient{t: t, base: ts.url, token: officerToken(t, ts, townOfficer(t, "reception"))}
		handler := &apiClient{t: t, base: ts.url, token: officerToken(t, ts, townOfficer(t, "processing"))}
		leader := &apiClient{t: t, base: ts.url, token: officerToken(t, ts, townOfficer(t, "leader"))}
		certifier := &apiClient{t: t, base: ts.url, token: officerToken(t, ts, townOfficer(t, "certification"))}
		upload := func(c *apiClient, category string) string {
			t.Helper()
			pdf, err := ca.SignPDF(pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "Tai len hom nay " + category}), time.Now())
			if err != nil {
				t.Fatal(err)
			}
			body, ct := multipartBody(t, map[string]string{"category": category}, pdf)
			status, doc, raw := c.do("POST", "/api/v1/warehouse/documents", body, ct)
			if status != 201 {
				t.Fatalf("upload %s: %d %s", category, status, raw)
			}
			return doc["id"].(string)
		}
		read := func(c *apiClient, doc, dossier string) int {
			t.Helper()
			status, _, _ := c.do("GET", "/api/v1/warehouse/documents/"+doc+"/file?dossier_id="+url.QueryEscape(dossier), nil, "")
			meta, _, _ := c.do("GET", "/api/v1/warehouse/documents/"+doc+"?dossier_id="+url.QueryEscape(dossier), nil, "")
			if meta != status {
				t.Errorf("document %s via %s: file %d, metadata %d", doc, dossier, status, meta)
			}
			return status
		}

		// The citizen applies online for marriage with the identity paper
		// from the warehouse.
		owner := demo.Citizens()[0]
		citizen := &apiClient{t: t, base: ts.url, token: sessionToken(t, ts, owner.Code)}
		code, attached := applyMarriageOnline(t, citizen)
		path := "/api/v1/agency/dossiers/" + code
		_, dos, _ := desk.do("GET", path, nil, "")
		id := dos["id"].(string)
		usable := upload(citizen, demo.CategoryCertifiedCopy) // the identity component accepts it
		unrelated := upload(citizen, "KQ.DEMO.000004")        // a driving licence: no component takes it

		type readCase struct {
			name   string
			c      *apiClient
			doc    string
			status int
		}
		check := func(when string, cases []readCase) {
			t.Helper()
			for _, c := range cases {
				if status := read(c.c, c.doc, id); status != c.status {
					t.Errorf("%s, %s: %d, want %d", when, c.name, status, c.status)
				}
			}
		}
		check("open dossier", []readCase{
			{"counter, attached", desk, attached, 200},
			{"processing, usable", handler, usable, 200},
			{"counter, unrelated upload of today", desk, unrelated, 404},
			{"processing, unrelated upload of today", handler, unrelated, 404},
			{"certification officer, attached", certifier, attached, 404},
		})

		// Received, processed, signed (done) and returned.
		move := func(c *apiClient, to int) {
			t.Helper()
			if status, _, raw := c.do("POST", path+"/status", jsonBody(map[string]any{"status": to}), "application/json"); status != 200 {
				t.Fatalf("move to %d: %d %s", to, status, raw)
			}
		}
		move(desk, 2)
		move(desk, 4)
		body, ct := multipartBody(t, map[string]string{"number": "KH-R13", "summary": "Giấy chứng nhận kết hôn"},
			pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "giay chung nhan ket hon"}))
		if status, _, raw := handler.do("PUT", path+"/result", body, ct); status != 200 {
			t.Fatalf("draft result: %d %s", status, raw)
		}
		if status, _, raw := leader.do("POST", path+"/result/sign", nil, ""); status != 200 {
			t.Fatalf("sign: %d %s", status, raw)
		}
		finished := []readCase{
			{"counter, attached", desk, attached, 404},
			{"processing, usable", handler, usable, 404},
			{"leader, attached", leader, attached, 404},
			{"certification officer, usable", certifier, usable, 404},
		}
		check("done dossier", finished)
		move(desk, 10)
		later := upload(citizen, demo.CategoryCertifiedCopy)
		check("returned dossier", append(finished, readCase{"counter, usable upload after the return", desk, later, 404}))
	})
}

// TestAgencyPushUnknownOwnerChecksPopulationDB: issue 13 item 3, second
// half. A commune's civil-status system pushes a birth certificate for a
// citizen who has never used motcua: the push lands in her warehouse once
// the population database confirms her personal id, name and birth date,
// under the name the database registers; a wrong birth date or none
// creates nobody.
func TestAgencyPushUnknownOwnerChecksPopulationDB(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, ts *testServer) {
		ca, err := demo.LoadOrCreateCA(filepath.Join(ts.dataDir, "demo-ca"))
		if err != nil {
			t.Fatal(err)
		}
		// Known to the population-database simulator, not a demo subject.
		const id, registered = "052187005519", "Trương Thị Ngọc Lan"
		anon := &apiClient{t: t, base: ts.url}
		form := url.Values{"grant_type": {"client_credentials"}, "client_id": {demo.IntegratorID}, "client_secret": {demo.IntegratorSecret}}
		status, tok, raw := anon.do("POST", "/api/v1/oauth/token", strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
		if status != 200 {
			t.Fatalf("token: %d %s", status, raw)
		}
		agency := &apiClient{t: t, base: ts.url, token: tok["access_token"].(string)}
		n := 0
		push := func(name, birth string) (string, int, map[string]any, []byte) {
			t.Helper()
			n++
			pdf, err := ca.SignPDF(pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: fmt.Sprintf("Giay khai sinh %d", n)}), time.Now())
			if err != nil {
				t.Fatal(err)
			}
			code := fmt.Sprintf("%s.%s.KS-POP-%d-%d", id, demo.CategoryBirthCertificate, time.Now().UnixNano()%1000000, n)
			fields := map[string]string{"code": code, "owner_name": name, "issue_date": "2024-05-05"}
			if birth != "" {
				fields["owner_birth_date"] = birth
			}
			body, ct := multipartBody(t, fields, pdf)
			status, m, raw := agency.do("POST", "/api/v1/agency/results", body, ct)
			return code, status, m, raw
		}
		refused := func(what string, status int, want string, prob map[string]any, raw []byte, code string) {
			t.Helper()
			if prob["code"] != want || status != 422 {
				t.Errorf("%s: %d %s, want 422 %s", what, status, raw, want)
			}
			if status, _, _ := anon.do("GET", "/api/v1/verify/"+url.PathEscape(code), nil, ""); status != 404 {
				t.Errorf("%s: the refused result is verifiable: %d", what, status)
			}
		}

		code, status, prob, raw := push(registered, "")
		refused("no birth date", status, "owner_unknown", prob, raw, code)
		if !strings.Contains(string(raw), "ngày sinh") || !strings.Contains(string(raw), "Cơ sở dữ liệu quốc gia về dân cư") {
			t.Errorf("owner_unknown does not say the birth date is needed for the population database: %s", raw)
		}
		code, status, prob, raw = push(registered, "15/06/1987") // born 14/06/1987
		refused("birth date off by a day", status, "owner_identity_mismatch", prob, raw, code)
		code, status, prob, raw = push("Trương Thị Ngọc Lành", "1987-06-14")
		refused("another name", status, "owner_identity_mismatch", prob, raw, code)
		code, status, prob, raw = push(registered, "31/02/1987")
		refused("impossible birth date", status, "invalid_field", prob, raw, code)
		// Nothing was created by the refusals: still unknown.
		code, status, prob, raw = push(registered, "")
		refused("no birth date after the refusals", status, "owner_unknown", prob, raw, code)

		// The right data, in capitals without diacritics and dd/mm/yyyy:
		// stored under the registered spelling.
		code, status, doc, raw := push("TRUONG THI  NGOC LAN", "14/06/1987")
		if status != 201 || doc["owner_name"] != registered || doc["owner_id"] != id {
			t.Fatalf("push for a citizen new to motcua: %d %s", status, raw)
		}
		first := code
		// Now known: the birth date, when given, must be hers; the name
		// check stays.
		code, status, prob, raw = push(registered, "1987-06-15")
		refused("known owner, another birth date", status, "owner_birth_date_mismatch", prob, raw, code)
		if _, status, _, raw := push(registered, "1987-06-14"); status != 201 {
			t.Errorf("known owner, her birth date: %d %s", status, raw)
		}
		if _, status, _, raw := push(registered, ""); status != 201 {
			t.Errorf("known owner, no birth date: %d %s", status, raw)
		}
		code, status, prob, raw = push("Trương Thị Lan", "1987-06-14")
		refused("known owner, another name", status, "owner_name_mismatch", prob, raw, code)

		// She registers later and finds the certificates in her warehouse.
		b := newBrowser(t)
		reg := url.Values{"full_name": {registered}, "personal_id": {id}, "birth_date": {"14/06/1987"},
			"password": {"mat-khau-cua-lan"}, "password_confirm": {"mat-khau-cua-lan"}}
		if resp, body := b.post(ts.url+"/dang-ky", reg); resp.StatusCode != 200 || resp.Request.URL.Path != "/tai-khoan" {
			t.Fatalf("registration after the push: %d\n%s", resp.StatusCode, body)
		}
		lan := &apiClient{t: t, base: ts.url, token: sessionCookie(t, ts, b)}
		status, list, raw := lan.do("GET", "/api/v1/warehouse/documents", nil, "")
		if status != 200 || list["total"] != float64(3) || !strings.Contains(string(raw), first) {
			t.Fatalf("her warehouse: %d %s", status, raw)
		}
	})
}
