package main

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pdfsig"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

// demoAdmin is the demo administrator of agency.
func demoAdmin(t *testing.T, agency string) demo.DemoOfficer {
	t.Helper()
	for _, o := range demo.Officers() {
		if o.AgencyCode == agency && o.Roles[0] == motcua.RoleAdmin {
			return o
		}
	}
	t.Fatalf("no demo administrator at %s", agency)
	return demo.DemoOfficer{}
}

func signedBy(t *testing.T, leaf *pdfsigtest.Leaf, text string) []byte {
	t.Helper()
	in := pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: text})
	var out bytes.Buffer
	if err := pdfsig.Sign(&out, bytes.NewReader(in), int64(len(in)), pdfsig.SignOptions{Key: leaf.Key, Cert: leaf.Cert, Chain: leaf.Chain}); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

var fingerprintCell = regexp.MustCompile(`<code class="fingerprint">([0-9a-f]{64})</code>`)

// TestAdminTrustAnchors: the province administrator uploads a CA through
// the API and the page; a PDF signed under it is accepted into a citizen's
// warehouse at once, and refused again once the CA is disabled; a
// district administrator sees the list but cannot change it; a
// non-CA certificate and garbage are refused with their codes. Both
// backends.
func TestAdminTrustAnchors(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, ts *testServer) {
		provinceAdmin := demoAdmin(t, demo.ProvinceCode)
		pb := officerLogin(t, ts, provinceAdmin.Username, provinceAdmin.Password, provinceAdmin.TOTPSecret)
		province := &apiClient{t: t, base: ts.url, token: sessionCookie(t, ts, pb)}
		district := &apiClient{t: t, base: ts.url, token: officerToken(t, ts, demoAdmin(t, demo.DistrictCode))}
		citizen := &apiClient{t: t, base: ts.url, token: sessionToken(t, ts, demo.Citizens()[0].Code)}

		h := pdfsigtest.NewHierarchy(t, time.Now())
		upload := func(text string) (int, map[string]any, []byte) {
			body, ct := multipartBody(t, map[string]string{"category": demo.CategoryCertifiedCopy, "paper_type": "result",
				"summary": "Bản sao " + text, "issue_date": "2024-02-02"}, signedBy(t, h.Agency, text))
			return citizen.do("POST", "/api/v1/warehouse/documents", body, ct)
		}
		if status, prob, raw := upload("truoc"); status != 422 || prob["code"] != "untrusted_signer" {
			t.Fatalf("before the anchor: %d %s", status, raw)
		}

		rootPEM := string(pdfsigtest.CertPEM(h.Root.Cert))
		for name, c := range map[string]struct {
			who    *apiClient
			body   string
			status int
			code   string
		}{
			"district administrator": {district, rootPEM, 403, "province_admin_only"},
			"citizen":                {citizen, rootPEM, 403, "forbidden"},
			"signer's certificate":   {province, string(pdfsigtest.CertPEM(h.Agency.Cert)), 422, "not_a_ca_certificate"},
			"garbage":                {province, "xin chào", 422, "certificate_unreadable"},
		} {
			status, prob, raw := c.who.do("POST", "/api/v1/admin/trust-anchors", strings.NewReader(c.body), "application/x-pem-file")
			if status != c.status || prob["code"] != c.code || prob["detail"] == "" {
				t.Errorf("%s: %d %s, want %d %s", name, status, raw, c.status, c.code)
			}
		}
		status, anchor, raw := province.do("POST", "/api/v1/admin/trust-anchors", strings.NewReader(rootPEM), "application/x-pem-file")
		fp := motcua.CertificateFingerprint(h.Root.Cert.Raw)
		if status != 201 || anchor["fingerprint"] != fp || anchor["enabled"] != true || anchor["added_by"] != "officer:"+provinceAdmin.Username ||
			!strings.Contains(anchor["subject"].(string), pdfsigtest.RootName) || anchor["serial"] == "" || anchor["not_after"] == "" {
			t.Fatalf("add anchor: %d %s", status, raw)
		}
		if status, prob, _ := province.do("POST", "/api/v1/admin/trust-anchors", bytes.NewReader(h.Root.Cert.Raw), "application/pkix-cert"); status != 409 ||
			prob["code"] != "trust_anchor_exists" {
			t.Fatalf("the same certificate as DER: %d %v", status, prob)
		}
		if status, doc, raw := upload("sau"); status != 201 || doc["verification"].(map[string]any)["status"] != "valid" {
			t.Fatalf("after the anchor: %d %s", status, raw)
		}
		status, list, raw := district.do("GET", "/api/v1/admin/trust-anchors", nil, "")
		if status != 200 || len(list["items"].([]any)) != 1 || list["items"].([]any)[0].(map[string]any)["fingerprint"] != fp {
			t.Fatalf("district list: %d %s", status, raw)
		}
		if status, prob, _ := district.do("POST", "/api/v1/admin/trust-anchors/"+fp+"/disable", nil, ""); status != 403 || prob["code"] != "province_admin_only" {
			t.Fatalf("district disable: %d %v", status, prob)
		}
		if status, prob, _ := province.do("POST", "/api/v1/admin/trust-anchors/"+strings.Repeat("0", 64)+"/disable", nil, ""); status != 404 ||
			prob["code"] != "trust_anchor_not_found" {
			t.Fatalf("unknown disable: %d %v", status, prob)
		}
		if status, a, raw := province.do("POST", "/api/v1/admin/trust-anchors/"+fp+"/disable", nil, ""); status != 200 || a["enabled"] != false {
			t.Fatalf("disable: %d %s", status, raw)
		}
		if status, prob, raw := upload("vo hieu"); status != 422 || prob["code"] != "untrusted_signer" {
			t.Fatalf("after disabling: %d %s", status, raw)
		}

		// The page: the province administrator uploads the intermediate
		// CA (DER) with the form, sees it listed and disables it.
		var form bytes.Buffer
		mw := multipart.NewWriter(&form)
		fw, _ := mw.CreateFormFile("certificate", "ca-trung-gian.cer")
		fw.Write(h.Intermediate.Cert.Raw)
		mw.Close()
		req, _ := http.NewRequest("POST", ts.url+"/quan-tri/chung-thu-so", &form)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		resp, body := pb.do(req)
		interFP := motcua.CertificateFingerprint(h.Intermediate.Cert.Raw)
		if resp.StatusCode != 200 || !strings.Contains(body, "Đã thêm chứng thư số") || !strings.Contains(body, pdfsigtest.IntermediateName) ||
			!strings.Contains(body, interFP) || !strings.Contains(body, "Đã vô hiệu hóa") {
			t.Fatalf("page upload: %d\n%s", resp.StatusCode, body)
		}
		if status, doc, raw := upload("trung gian"); status != 201 || doc["verification"].(map[string]any)["status"] != "valid" {
			t.Fatalf("after the intermediate: %d %s", status, raw)
		}
		resp, body = pb.post(ts.url+"/quan-tri/chung-thu-so/"+interFP+"/vo-hieu", nil)
		if resp.StatusCode != 200 || resp.Request.URL.Path != "/quan-tri/chung-thu-so" || len(fingerprintCell.FindAllString(body, -1)) < 2 ||
			strings.Contains(body, "Đang tin cậy") {
			t.Fatalf("page disable: %d at %s\n%s", resp.StatusCode, resp.Request.URL, body)
		}
		// A leaf through the page: the precise refusal, on the page.
		form.Reset()
		mw = multipart.NewWriter(&form)
		fw, _ = mw.CreateFormFile("certificate", "nguoi-ky.pem")
		fw.Write(pdfsigtest.CertPEM(h.Agency.Cert))
		mw.Close()
		req, _ = http.NewRequest("POST", ts.url+"/quan-tri/chung-thu-so", &form)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		if resp, body := pb.do(req); resp.StatusCode != 422 || !strings.Contains(body, "không phải là chứng thư của tổ chức cung cấp dịch vụ chứng thực (CA)") {
			t.Fatalf("page leaf: %d\n%s", resp.StatusCode, body)
		}
		// The district administrator's page lists them.
		db := officerLogin(t, ts, demoAdmin(t, demo.DistrictCode).Username, demo.OfficerPassword, demoAdmin(t, demo.DistrictCode).TOTPSecret)
		if resp, body := db.get(ts.url + "/quan-tri/chung-thu-so"); resp.StatusCode != 200 || !strings.Contains(body, interFP) ||
			strings.Contains(body, "Thêm chứng thư số CA") || strings.Contains(body, "/kich-hoat") || !strings.Contains(body, "Chỉ quản trị viên cấp tỉnh") {
			t.Fatalf("district page: %d\n%s", resp.StatusCode, body)
		}
	})
}

// TestAdminHolidays: a day off added through the API moves the due date of
// the next online dossier; the page shows it; a district administrator
// cannot change the calendar. Both backends.
func TestAdminHolidays(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, ts *testServer) {
		provinceAdmin := demoAdmin(t, demo.ProvinceCode)
		pb := officerLogin(t, ts, provinceAdmin.Username, provinceAdmin.Password, provinceAdmin.TOTPSecret)
		province := &apiClient{t: t, base: ts.url, token: sessionCookie(t, ts, pb)}
		district := &apiClient{t: t, base: ts.url, token: officerToken(t, ts, demoAdmin(t, demo.DistrictCode))}
		citizen := &apiClient{t: t, base: ts.url, token: sessionToken(t, ts, demo.Citizens()[0].Code)}

		dueOf := func() string {
			code, _ := applyMarriageOnline(t, citizen) // one working day
			status, d, raw := citizen.do("GET", "/api/v1/dossiers/"+code, nil, "")
			if status != 200 {
				t.Fatalf("dossier: %d %s", status, raw)
			}
			return d["due_date"].(string)
		}
		due := dueOf()
		if status, prob, _ := district.do("POST", "/api/v1/admin/holidays", jsonBody(map[string]string{"date": due, "kind": "off"}), "application/json"); status != 403 ||
			prob["code"] != "province_admin_only" {
			t.Fatalf("district put: %d %v", status, prob)
		}
		if status, prob, _ := province.do("POST", "/api/v1/admin/holidays", jsonBody(map[string]string{"date": "2027-02-30"}), "application/json"); status != 422 ||
			prob["code"] != "invalid_date" {
			t.Fatalf("bad date: %d %v", status, prob)
		}
		status, h, raw := province.do("POST", "/api/v1/admin/holidays", jsonBody(map[string]string{"date": due, "kind": "off", "name": "Nghỉ bù thử nghiệm"}), "application/json")
		if status != 200 || h["date"] != due || h["kind"] != "off" || h["updated_by"] != "officer:"+provinceAdmin.Username {
			t.Fatalf("put: %d %s", status, raw)
		}
		moved := dueOf()
		if moved <= due {
			t.Fatalf("due date after the holiday %s = %s, want later", due, moved)
		}
		year := due[:4]
		status, y, raw := district.do("GET", "/api/v1/admin/holidays?year="+year, nil, "")
		if status != 200 || !strings.Contains(string(raw), `"date":"`+due+`"`) || !strings.Contains(string(raw), "Nghỉ bù thử nghiệm") ||
			!strings.Contains(string(raw), `"days_off":[`) || y["year"].(float64) < 2026 {
			t.Fatalf("year: %d %s", status, raw)
		}
		d, _ := motcua.ParseDate(due)
		if resp, body := pb.get(ts.url + "/quan-tri/ngay-nghi?nam=" + year); resp.StatusCode != 200 || !strings.Contains(body, d.Display()) ||
			!strings.Contains(body, "Nghỉ bù thử nghiệm") || !strings.Contains(body, "Thêm hoặc sửa một ngày") {
			t.Fatalf("page: %d\n%s", resp.StatusCode, body)
		}
		if status, _, raw := province.do("DELETE", "/api/v1/admin/holidays/"+due, nil, ""); status != 204 {
			t.Fatalf("delete: %d %s", status, raw)
		}
		if status, prob, _ := province.do("DELETE", "/api/v1/admin/holidays/"+due, nil, ""); status != 404 || prob["code"] != "holiday_not_found" {
			t.Fatalf("delete again: %d %v", status, prob)
		}
		if back := dueOf(); back != due {
			t.Fatalf("due date after removing the holiday = %s, want %s", back, due)
		}
		// The page form: the province administrator adds a make-up day.
		resp, body := pb.post(ts.url+"/quan-tri/ngay-nghi", map[string][]string{"date": {"09/01/2027"}, "kind": {"work"}, "name": {"Làm bù Tết"}})
		if resp.StatusCode != 200 || resp.Request.URL.RawQuery != "nam=2027" || !strings.Contains(body, "09/01/2027") || !strings.Contains(body, "Làm bù Tết") {
			t.Fatalf("page put: %d at %s\n%s", resp.StatusCode, resp.Request.URL, body)
		}
	})
}
