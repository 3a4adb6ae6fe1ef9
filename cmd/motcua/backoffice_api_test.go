package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

// officerToken logs a demo officer in and returns the session token the
// API takes as a bearer token.
func officerToken(t *testing.T, ts *testServer, o demo.DemoOfficer) string {
	t.Helper()
	return sessionCookie(t, ts, officerLogin(t, ts, o.Username, o.Password, o.TOTPSecret))
}

func jsonBody(v any) *strings.Reader {
	b, _ := json.Marshal(v)
	return strings.NewReader(string(b))
}

// TestBackOfficeAPI: an online dossier through the agency API, with every
// refused transition answered by its code, on both backends.
func TestBackOfficeAPI(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, ts *testServer) {
		citizen := &apiClient{t: t, base: ts.url, token: sessionToken(t, ts, demo.Citizens()[0].Code)}
		// The citizen applies online: the form scanned, the identity paper
		// from the warehouse.
		code, _ := applyMarriageOnline(t, citizen)
		path := "/api/v1/agency/dossiers/" + code

		desk := &apiClient{t: t, base: ts.url, token: officerToken(t, ts, townOfficer(t, "reception"))}
		handler := &apiClient{t: t, base: ts.url, token: officerToken(t, ts, townOfficer(t, "processing"))}
		leader := &apiClient{t: t, base: ts.url, token: officerToken(t, ts, townOfficer(t, "leader"))}
		var justice demo.DemoOfficer
		for _, o := range demo.Officers() {
			if o.AgencyCode == demo.JusticeOfficeCode && o.Roles[0] == "processing" {
				justice = o
			}
		}
		other := &apiClient{t: t, base: ts.url, token: officerToken(t, ts, justice)}

		status, queue, raw := desk.do("GET", "/api/v1/agency/dossiers?status=1", nil, "")
		if status != 200 || !strings.Contains(string(raw), code) || queue["total"].(float64) < 1 {
			t.Fatalf("queue: %d %s", status, raw)
		}
		move := func(c *apiClient, to int, note string) (int, map[string]any, []byte) {
			return c.do("POST", path+"/status", jsonBody(map[string]any{"status": to, "note": note}), "application/json")
		}
		draftResult := func(c *apiClient, number string) (int, map[string]any, []byte) {
			body, ct := multipartBody(t, map[string]string{"number": number, "summary": "Giấy chứng nhận kết hôn"},
				pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "giay chung nhan ket hon"}))
			return c.do("PUT", path+"/result", body, ct)
		}
		type refusal struct {
			name   string
			call   func() (int, map[string]any, []byte)
			status int
			code   string
		}
		refusals := []refusal{
			{"citizen on the agency queue", func() (int, map[string]any, []byte) {
				return citizen.do("GET", "/api/v1/agency/dossiers", nil, "")
			}, 403, "forbidden"},
			{"another agency's officer", func() (int, map[string]any, []byte) { return other.do("GET", path, nil, "") }, 404, "dossier_not_found"},
			{"finish a new dossier", func() (int, map[string]any, []byte) { return move(desk, 9, "") }, 422, "invalid_transition"},
			{"refuse without a reason", func() (int, map[string]any, []byte) { return move(desk, 3, " ") }, 422, "reason_required"},
			{"unknown status", func() (int, map[string]any, []byte) { return move(desk, 99, "") }, 422, "invalid_dossier_status"},
			{"processing officer receives", func() (int, map[string]any, []byte) { return move(handler, 2, "") }, 403, "forbidden"},
			{"draft before processing", func() (int, map[string]any, []byte) { return draftResult(handler, "KH-1") }, 422, "not_processing"},
		}
		check := func() {
			t.Helper()
			for _, r := range refusals {
				if status, prob, raw := r.call(); status != r.status || prob["code"] != r.code {
					t.Errorf("%s: %d %s, want %d %s", r.name, status, raw, r.status, r.code)
				}
			}
		}
		check()
		for _, to := range []int{2, 4} {
			if status, _, raw := move(desk, to, ""); status != 200 {
				t.Fatalf("move to %d: %d %s", to, status, raw)
			}
		}
		refusals = refusals[:0]
		refusals = append(refusals, []refusal{
			{"receive again", func() (int, map[string]any, []byte) { return move(desk, 2, "") }, 422, "invalid_transition"},
			{"stop without a reason", func() (int, map[string]any, []byte) { return move(handler, 8, "") }, 422, "reason_required"},
			{"finish without an e-result", func() (int, map[string]any, []byte) { return move(handler, 9, "") }, 422, "e_result_required"},
			{"sign before a draft", func() (int, map[string]any, []byte) { return leader.do("POST", path+"/result/sign", nil, "") }, 422, "result_not_drafted"},
			{"desk signs", func() (int, map[string]any, []byte) { return desk.do("POST", path+"/result/sign", nil, "") }, 403, "forbidden"},
			{"result number with a dot", func() (int, map[string]any, []byte) { return draftResult(handler, "KH.1") }, 422, "invalid_document_number"},
			{"forward elsewhere without a comment", func() (int, map[string]any, []byte) {
				return handler.do("POST", path+"/assign", jsonBody(map[string]string{"agency": demo.DistrictCode}), "application/json")
			}, 422, "reason_required"},
			{"forward to an unrelated agency", func() (int, map[string]any, []byte) {
				return handler.do("POST", path+"/assign", jsonBody(map[string]string{"agency": demo.JusticeOfficeCode, "note": "Chuyển đi"}), "application/json")
			}, 422, "agency_not_allowed"},
			{"scan after forwarding", func() (int, map[string]any, []byte) {
				body, ct := multipartBody(t, nil, demo.SampleUnsigned())
				return desk.do("PUT", path+"/components/TP01", body, ct)
			}, 422, "not_at_reception"},
		}...)
		check()
		if status, _, raw := draftResult(handler, "KH-1"); status != 200 {
			t.Fatalf("draft: %d %s", status, raw)
		}
		status, signed, raw := leader.do("POST", path+"/result/sign", nil, "")
		if status != 200 || signed["status"].(float64) != 9 || signed["result"].(map[string]any)["signed"] != true {
			t.Fatalf("sign: %d %s", status, raw)
		}
		refusals = refusals[:0]
		refusals = append(refusals, []refusal{
			{"sign twice", func() (int, map[string]any, []byte) { return leader.do("POST", path+"/result/sign", nil, "") }, 422, "not_processing"},
			{"stop a finished dossier", func() (int, map[string]any, []byte) { return move(handler, 8, "Dừng xử lý hồ sơ") }, 422, "invalid_transition"},
			{"processing officer returns", func() (int, map[string]any, []byte) { return move(handler, 10, "") }, 403, "forbidden"},
		}...)
		check()
		status, returned, raw := move(desk, 10, "")
		if status != 200 || returned["status"].(float64) != 10 || len(returned["result_document_ids"].([]any)) != 1 {
			t.Fatalf("return: %d %s", status, raw)
		}
		// "Trả kết quả" pressed twice answers with the returned dossier.
		if status, again, _ := move(desk, 10, ""); status != 200 || len(again["result_document_ids"].([]any)) != 1 {
			t.Errorf("return twice: %d %v", status, again)
		}
		// The owner's warehouse has the signed result.
		resultCode := demo.Citizens()[0].Code + "." + demo.CategoryMarriageCertificate + ".KH-1"
		if status, _, raw := citizen.do("GET", "/api/v1/warehouse/documents?q=KH-1", nil, ""); status != 200 || !strings.Contains(string(raw), resultCode) {
			t.Fatalf("warehouse: %d %s", status, raw)
		}
	})
}

// TestCertificationAPI: a certified copy issued through the API lands in
// the requester's warehouse and the book; refusals have their codes.
func TestCertificationAPI(t *testing.T) {
	t.Parallel()
	ts := startServer(t, "--demo", "--data-dir", t.TempDir())
	citizen := demo.Citizens()[0]
	desk := &apiClient{t: t, base: ts.url, token: officerToken(t, ts, townOfficer(t, "certification"))}
	reception := &apiClient{t: t, base: ts.url, token: officerToken(t, ts, townOfficer(t, "reception"))}
	fields := map[string]string{"requester_code": citizen.Code, "original_name": "Giấy khai sinh",
		"original_category": demo.CategoryBirthCertificate, "original_number": "77-2001", "pages": "1"}
	scan := pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "Giay khai sinh"})
	post := func(c *apiClient, f map[string]string, file []byte) (int, map[string]any, []byte) {
		body, ct := multipartBody(t, f, file)
		return c.do("POST", "/api/v1/agency/certifications", body, ct)
	}
	with := func(k, v string) map[string]string {
		out := map[string]string{}
		for key, val := range fields {
			out[key] = val
		}
		out[k] = v
		return out
	}
	for name, c := range map[string]struct {
		client *apiClient
		fields map[string]string
		file   []byte
		status int
		code   string
	}{
		"not a certifying officer": {reception, fields, scan, 403, "forbidden"},
		"unknown requester":        {desk, with("requester_code", "052090000999"), scan, 422, "unknown_requester"},
		"pages not a number":       {desk, with("pages", "ba"), scan, 422, "invalid_pages"},
		"wrong page count":         {desk, with("pages", "3"), scan, 422, "pages_mismatch"},
		"not a PDF":                {desk, fields, []byte("\xff\xd8\xff\xe0 a photo"), 422, "not_pdf"},
	} {
		if status, prob, raw := post(c.client, c.fields, c.file); status != c.status || prob["code"] != c.code {
			t.Errorf("%s: %d %s, want %d %s", name, status, raw, c.status, c.code)
		}
	}
	status, entry, raw := post(desk, fields, scan)
	code := citizen.Code + "." + demo.CategoryBirthCertificate + ".77-2001.STP-SCT.01"
	if status != 201 || entry["document_code"] != code || entry["fee_vnd"].(float64) != 2000 || entry["number"].(float64) != 1 {
		t.Fatalf("issue: %d %s", status, raw)
	}
	if status, book, raw := desk.do("GET", "/api/v1/agency/certifications", nil, ""); status != 200 || len(book["items"].([]any)) != 1 {
		t.Fatalf("book: %d %s", status, raw)
	}
	owner := &apiClient{t: t, base: ts.url, token: sessionToken(t, ts, citizen.Code)}
	if status, _, raw := owner.do("GET", "/api/v1/warehouse/documents?q=STP-SCT", nil, ""); status != 200 || !strings.Contains(string(raw), code) {
		t.Fatalf("warehouse: %d %s", status, raw)
	}
}

// applyMarriageOnline has the citizen apply online for marriage at the
// town: the identity paper taken from the warehouse, the form scanned. It
// returns the dossier's code and the warehouse document attached.
func applyMarriageOnline(t *testing.T, citizen *apiClient) (code, attached string) {
	t.Helper()
	status, draft, raw := citizen.do("POST", "/api/v1/dossiers/drafts",
		jsonBody(map[string]string{"procedure": demo.ProcedureMarriage, "case": "TH01", "agency": demo.TownCode}), "application/json")
	if status != 201 {
		t.Fatalf("draft: %d %s", status, raw)
	}
	base := "/api/v1/dossiers/drafts/" + draft["id"].(string)
	_, matches, _ := citizen.do("GET", base+"/matches", nil, "")
	attached = matches["components"].([]any)[2].(map[string]any)["suggestions"].([]any)[0].(map[string]any)["id"].(string)
	if status, _, raw := citizen.do("PUT", base+"/components/TP03", jsonBody(map[string]string{"document_id": attached}), "application/json"); status != 200 {
		t.Fatalf("take from warehouse: %d %s", status, raw)
	}
	body, ct := multipartBody(t, nil, demo.SampleUnsigned())
	if status, _, raw := citizen.do("PUT", base+"/components/TP01", body, ct); status != 200 {
		t.Fatalf("scan: %d %s", status, raw)
	}
	status, dossier, raw := citizen.do("POST", base+"/submit", nil, "")
	if status != 201 {
		t.Fatalf("submit: %d %s", status, raw)
	}
	return dossier["code"].(string), attached
}
