package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

func TestApplyOnlineAPI(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, ts *testServer) {
		ca, err := demo.LoadOrCreateCA(filepath.Join(ts.dataDir, "demo-ca"))
		if err != nil {
			t.Fatal(err)
		}
		citizens := demo.Citizens()
		me := &apiClient{t: t, base: ts.url, token: sessionToken(t, ts, citizens[0].Code)}
		them := &apiClient{t: t, base: ts.url, token: sessionToken(t, ts, citizens[1].Code)}
		anon := &apiClient{t: t, base: ts.url}

		status, procs, raw := anon.do("GET", "/api/v1/procedures?q=ket+hon", nil, "")
		if status != 200 || len(procs["items"].([]any)) != 1 {
			t.Fatalf("procedures: %d %s", status, raw)
		}
		status, proc, raw := anon.do("GET", "/api/v1/procedures/"+demo.ProcedureMarriage, nil, "")
		cases := proc["cases"].([]any)
		comps := cases[0].(map[string]any)["components"].([]any)
		if status != 200 || len(cases) != 2 || len(comps) != 3 || comps[2].(map[string]any)["accepted_categories"] == nil {
			t.Fatalf("procedure: %d %s", status, raw)
		}

		draftBody := func(agency, cs string) *strings.Reader {
			b, _ := json.Marshal(map[string]string{"procedure": demo.ProcedureMarriage, "case": cs, "agency": agency})
			return strings.NewReader(string(b))
		}
		for name, c := range map[string]struct {
			agency, cs, code string
		}{
			"case of another procedure":    {demo.TownCode, "TH09", "unknown_case"},
			"agency not handling the case": {demo.JusticeOfficeCode, "TH01", "agency_not_handling"},
		} {
			if status, prob, _ := me.do("POST", "/api/v1/dossiers/drafts", draftBody(c.agency, c.cs), "application/json"); status != 422 || prob["code"] != c.code {
				t.Errorf("%s: %d %v", name, status, prob)
			}
		}
		if status, _, _ := anon.do("POST", "/api/v1/dossiers/drafts", draftBody(demo.TownCode, "TH01"), "application/json"); status != 401 {
			t.Errorf("anonymous draft: %d", status)
		}
		status, draft, raw := me.do("POST", "/api/v1/dossiers/drafts", draftBody(demo.TownCode, "TH01"), "application/json")
		if status != 201 || draft["owner_verified"] != true {
			t.Fatalf("draft: %d %s", status, raw)
		}
		id := draft["id"].(string)
		base := "/api/v1/dossiers/drafts/" + id

		status, matches, raw := me.do("GET", base+"/matches", nil, "")
		if status != 200 {
			t.Fatalf("matches: %d %s", status, raw)
		}
		mc := matches["components"].([]any)
		if mc[1].(map[string]any)["auto_attached"] == nil || len(mc[2].(map[string]any)["suggestions"].([]any)) != 2 ||
			len(mc[0].(map[string]any)["suggestions"].([]any)) != 0 {
			t.Fatalf("matches: %s", raw)
		}
		if status, _, _ := them.do("GET", base+"/matches", nil, ""); status != 404 {
			t.Errorf("another citizen's draft: %d", status)
		}

		// A warehouse document of another owner, hidden or unknown is refused.
		_, theirs, _ := them.do("GET", "/api/v1/warehouse/documents?code=KQ.G15.000021", nil, "")
		theirID := theirs["items"].([]any)[0].(map[string]any)["id"].(string)
		sug := mc[2].(map[string]any)["suggestions"].([]any)
		firstID, secondID := sug[0].(map[string]any)["id"].(string), sug[1].(map[string]any)["id"].(string)
		me.do("PATCH", "/api/v1/warehouse/documents/"+secondID, strings.NewReader(`{"visible":false}`), "application/json")
		for name, c := range map[string]struct {
			comp, doc, code string
		}{
			"another owner's":   {"TP03", theirID, "document_not_matching"},
			"hidden":            {"TP03", secondID, "document_hidden"},
			"unknown component": {"TP99", firstID, "unknown_component"},
		} {
			body := strings.NewReader(`{"document_id":"` + c.doc + `"}`)
			if status, prob, _ := me.do("PUT", base+"/components/"+c.comp, body, "application/json"); status != 422 || prob["code"] != c.code {
				t.Errorf("%s: %d %v", name, status, prob)
			}
		}
		if status, _, raw := me.do("PUT", base+"/components/TP03", strings.NewReader(`{"document_id":"`+firstID+`"}`), "application/json"); status != 200 {
			t.Fatalf("take from warehouse: %d %s", status, raw)
		}
		// Nothing to show for the form yet.
		if status, prob, _ := me.do("GET", base+"/components/TP01/file", nil, ""); status != 404 || prob["code"] != "component_file_not_found" {
			t.Errorf("file of an empty component: %d %v", status, prob)
		}
		// Submit without the required form.
		if status, prob, _ := me.do("POST", base+"/submit", nil, ""); status != 422 || prob["code"] != "component_missing" {
			t.Errorf("missing component: %d %v", status, prob)
		}
		// Identity papers must be signed; the form may be a scan.
		body, ct := multipartBody(t, nil, demo.SampleUnsigned())
		if status, prob, _ := me.do("PUT", base+"/components/TP03", body, ct); status != 422 || prob["code"] != "unsigned" {
			t.Errorf("unsigned identity papers: %d %v", status, prob)
		}
		body, ct = multipartBody(t, nil, demo.SampleUnsigned())
		if status, d, raw := me.do("PUT", base+"/components/TP01", body, ct); status != 200 || !strings.Contains(string(raw), `"source":"scan"`) {
			t.Errorf("scanned form: %d %v", status, d)
		}
		body, ct = multipartBody(t, nil, []byte("GIF89a khong phai PDF"))
		if status, prob, _ := me.do("PUT", base+"/components/TP01", body, ct); status != 422 || prob["code"] != "not_pdf" {
			t.Errorf("scan that is not a PDF: %d %v", status, prob)
		}
		signed, _ := ca.SignPDF(pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "To khai"}), time.Now())
		body, ct = multipartBody(t, nil, signed)
		if status, _, raw := me.do("PUT", base+"/components/TP01", body, ct); status != 200 {
			t.Fatalf("upload: %d %s", status, raw)
		}
		// The preview's file: the uploaded bytes, inline, for the creator only.
		req, _ := http.NewRequest("GET", ts.url+base+"/components/TP01/file", nil)
		req.Header.Set("Authorization", "Bearer "+me.token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !bytes.Equal(got, signed) || resp.Header.Get("Content-Type") != "application/pdf" ||
			!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "inline;") ||
			!strings.Contains(resp.Header.Get("Content-Security-Policy"), "sandbox") {
			t.Errorf("draft component file: %d, %d bytes, headers %v", resp.StatusCode, len(got), resp.Header)
		}
		if status, prob, _ := them.do("GET", base+"/components/TP01/file", nil, ""); status != 404 || prob["code"] != "draft_not_found" {
			t.Errorf("another citizen's draft file: %d %v", status, prob)
		}
		if status, prob, _ := me.do("GET", base+"/components/TP99/file", nil, ""); status != 422 || prob["code"] != "unknown_component" {
			t.Errorf("file of an unknown component: %d %v", status, prob)
		}
		if status, _, _ := anon.do("GET", base+"/components/TP01/file", nil, ""); status != 401 {
			t.Errorf("anonymous draft file: %d", status)
		}
		if status, prob, _ := me.do("POST", base+"/submit", strings.NewReader(`{"result_method":"post"}`), "application/json"); status != 422 || prob["field"] != "post_address" {
			t.Errorf("post without address: %d %v", status, prob)
		}
		submit := func() (int, map[string]any, []byte) {
			req := strings.NewReader(`{"result_method":"online"}`)
			return me.doWith("POST", base+"/submit", req, "application/json", map[string]string{"Idempotency-Key": "abc-1"})
		}
		status, dos, raw := submit()
		if status != 201 || dos["reused"] != true || dos["status"].(float64) != 1 || !strings.HasPrefix(dos["code"].(string), demo.TownCode+"-") {
			t.Fatalf("submit: %d %s", status, raw)
		}
		states := map[string]float64{}
		for _, c := range dos["components"].([]any) {
			states[c.(map[string]any)["id"].(string)] = c.(map[string]any)["state"].(float64)
		}
		if states["TP01"] != 1 || states["TP02"] != 2 || states["TP03"] != 2 {
			t.Fatalf("states: %v", states)
		}
		status, again, _ := submit()
		if status != 200 || again["code"] != dos["code"] {
			t.Fatalf("repeat submit: %d %v", status, again)
		}
		if status, _, _ := me.do("PUT", base+"/components/TP03", strings.NewReader(`{"document_id":"`+firstID+`"}`), "application/json"); status != 409 {
			t.Errorf("changing a submitted draft: %d", status)
		}
		status, list, _ := me.do("GET", "/api/v1/dossiers", nil, "")
		if items, _ := list["items"].([]any); status != 200 || len(items) == 0 || items[0].(map[string]any)["code"] != dos["code"] {
			t.Fatalf("my dossiers: %d %v", status, list)
		}
		code := url.PathEscape(dos["code"].(string))
		if status, _, _ := me.do("GET", "/api/v1/dossiers/"+code, nil, ""); status != 200 {
			t.Errorf("my dossier: %d", status)
		}
		if status, _, _ := them.do("GET", "/api/v1/dossiers/"+code, nil, ""); status != 404 {
			t.Errorf("another citizen's dossier: %d", status)
		}
		_, doc, _ := me.do("GET", "/api/v1/warehouse/documents/"+firstID, nil, "")
		if doc["usage_count"].(float64) != 1 {
			t.Errorf("usage count = %v, want 1", doc["usage_count"])
		}
	})
}
