package main

import (
	"bytes"
	"mime/multipart"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

// supplementBody is a multipart answer: one file part per component,
// named by its code.
func supplementBody(t *testing.T, files map[string][]byte, fields map[string]string) (*bytes.Buffer, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for code, data := range files {
		fw, err := w.CreateFormFile(code, code+".pdf")
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(data)
	}
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	_ = w.Close()
	return &b, w.FormDataContentType()
}

// TestSupplementAPI is issue 16's round trip through the API on both
// backends: the desk asks for a supplement naming a component, the
// citizen reads the reason, the components and the history, answers by
// upload (replayed with the same Idempotency-Key, applied once), then
// by a warehouse document, and finally withdraws the dossier; each
// refusal has its code.
func TestSupplementAPI(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, ts *testServer) {
		citizen := &apiClient{t: t, base: ts.url, token: sessionToken(t, ts, demo.Citizens()[0].Code)}
		them := &apiClient{t: t, base: ts.url, token: sessionToken(t, ts, demo.Citizens()[1].Code)}
		code, attached := applyMarriageOnline(t, citizen)
		ca, err := demo.LoadOrCreateCA(filepath.Join(ts.dataDir, "demo-ca"))
		if err != nil {
			t.Fatal(err)
		}
		desk := &apiClient{t: t, base: ts.url, token: officerToken(t, ts, townOfficer(t, "reception"))}
		agencyPath := "/api/v1/agency/dossiers/" + url.PathEscape(code)
		path := "/api/v1/dossiers/" + url.PathEscape(code)
		move := func(body map[string]any) (int, map[string]any, []byte) {
			return desk.do("POST", agencyPath+"/status", jsonBody(body), "application/json")
		}
		_, spec, _ := citizen.do("GET", "/api/v1/openapi.json", nil, "")
		for _, p := range []string{"/api/v1/dossiers/{code}/supplement", "/api/v1/dossiers/{code}/withdraw"} {
			if _, ok := spec["paths"].(map[string]any)[p]; !ok {
				t.Errorf("%s not in the OpenAPI document", p)
			}
		}
		if status, _, raw := move(map[string]any{"status": 2}); status != 200 {
			t.Fatalf("receive: %d %s", status, raw)
		}
		// Answering before any request is a conflict with its own code.
		if status, prob, _ := citizen.do("POST", path+"/supplement", jsonBody(map[string]any{"components": []any{}}), "application/json"); status != 409 || prob["code"] != "not_awaiting_supplement" {
			t.Errorf("answer without request: %d %v", status, prob)
		}
		if status, prob, _ := move(map[string]any{"status": 5, "note": "Tờ khai thiếu chữ ký", "components": []string{"TP99"}}); status != 422 || prob["code"] != "unknown_component" {
			t.Errorf("request naming an unknown component: %d %v", status, prob)
		}
		reason := "Tờ khai đăng ký kết hôn chưa có chữ ký của hai bên"
		if status, d, raw := move(map[string]any{"status": 5, "note": reason, "components": []string{"TP01", "TP03"}}); status != 200 ||
			d["supplement"].(map[string]any)["reason"] != reason {
			t.Fatalf("request supplement: %d %s", status, raw)
		}

		// The citizen sees the reason, the component, the due date and the history.
		status, got, raw := citizen.do("GET", path, nil, "")
		if status != 200 {
			t.Fatalf("get: %d %s", status, raw)
		}
		sup, _ := got["supplement"].(map[string]any)
		comps, _ := sup["components"].([]any)
		if got["status"].(float64) != 5 || sup["reason"] != reason || len(comps) != 2 ||
			comps[0].(map[string]any)["id"] != "TP01" || comps[0].(map[string]any)["name"] == "" ||
			sup["requested_at"] == nil || sup["open"] != true || got["procedure_name"] == "" || got["withdrawable"] != true {
			t.Fatalf("dossier in supplement: %s", raw)
		}
		due := got["due_date"].(string)
		if _, err := time.Parse("2006-01-02", due); err != nil {
			t.Fatalf("due_date %q: %v", due, err)
		}
		// The printable notice, for the citizen and at the desk; not for another citizen.
		for _, c := range []struct {
			who    *apiClient
			path   string
			status int
		}{{citizen, "/ho-so/" + code + "/phieu-bo-sung.pdf", 200}, {desk, "/can-bo/ho-so/" + code + "/phieu-bo-sung.pdf", 200},
			{them, "/ho-so/" + code + "/phieu-bo-sung.pdf", 404}} {
			status, _, raw := c.who.do("GET", c.path, nil, "")
			if status != c.status || (status == 200 && !bytes.HasPrefix(raw, []byte("%PDF-"))) {
				t.Errorf("GET %s: %d %.40q", c.path, status, raw)
			}
		}
		hist := got["history"].([]any)
		if len(hist) != 2 || hist[1].(map[string]any)["to"].(float64) != 5 || hist[1].(map[string]any)["note"] != reason {
			t.Fatalf("history: %v", hist)
		}

		// Refusals: another citizen, nothing sent, a component not asked
		// for, a component sent twice, both sources at once.
		signed := func(text string) []byte {
			b, err := ca.SignPDF(pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: text}), time.Now())
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
		body, ct := supplementBody(t, map[string][]byte{"TP01": signed("to khai")}, nil)
		if status, prob, _ := them.do("POST", path+"/supplement", body, ct); status != 404 || prob["code"] != "dossier_not_found" {
			t.Errorf("another citizen answers: %d %v", status, prob)
		}
		for name, c := range map[string]struct {
			body  map[string]any
			code  string
			field string
		}{
			"nothing":            {map[string]any{"components": []any{}}, "component_missing", "components"},
			"not requested":      {map[string]any{"components": []any{map[string]string{"id": "TP02", "document_id": attached}}}, "component_not_requested", "components.TP02"},
			"requested missing":  {map[string]any{"components": []any{map[string]string{"id": "TP03", "document_id": attached}}}, "component_missing", "components.TP01"},
			"no source":          {map[string]any{"components": []any{map[string]string{"id": "TP01"}}}, "source_required", "components.TP01"},
			"unknown component":  {map[string]any{"components": []any{map[string]string{"id": "TP77", "document_id": attached}}}, "unknown_component", "components.TP77"},
			"wrong category doc": {map[string]any{"components": []any{map[string]string{"id": "TP01", "document_id": attached}}}, "document_not_matching", "components.TP01"},
		} {
			if status, prob, _ := citizen.do("POST", path+"/supplement", jsonBody(c.body), "application/json"); status != 422 || prob["code"] != c.code || prob["field"] != c.field {
				t.Errorf("%s: %d %v, want 422 %s %s", name, status, prob, c.code, c.field)
			}
		}
		// The form is a signed PDF, uploaded; the identity paper comes
		// from the warehouse; with a key.
		form := signed("to khai co chu ky")
		answer := func() (int, map[string]any, []byte) {
			body, ct := supplementBody(t, map[string][]byte{"TP01": form}, map[string]string{"TP03": attached})
			return citizen.doWith("POST", path+"/supplement", body, ct, map[string]string{"Idempotency-Key": "bs-1"})
		}
		status, first, raw := answer()
		if status != 200 || first["status"].(float64) != 2 || first["supplement"].(map[string]any)["open"] != false ||
			first["supplement"].(map[string]any)["answered_at"] == nil || first["due_date"] != due {
			t.Fatalf("answer: %d %s", status, raw)
		}
		for _, c := range first["components"].([]any) {
			if c := c.(map[string]any); c["id"] == "TP01" && c["state"].(float64) != 1 {
				t.Errorf("TP01 after the answer: %v", c)
			}
		}
		status, replay, raw2 := answer()
		if status != 200 || replay["status"].(float64) != 2 || len(replay["history"].([]any)) != 3 ||
			replay["supplement"].(map[string]any)["answered_at"] != first["supplement"].(map[string]any)["answered_at"] {
			t.Fatalf("replay: %d %s\nfirst: %s", status, raw2, raw)
		}
		// A new answer without the key is refused: nothing waits.
		body, ct = supplementBody(t, map[string][]byte{"TP01": form}, nil)
		if status, prob, _ := citizen.do("POST", path+"/supplement", body, ct); status != 409 || prob["code"] != "not_awaiting_supplement" {
			t.Errorf("second answer: %d %v", status, prob)
		}
		// Back in the desk's queue of received dossiers.
		if status, _, raw := desk.do("GET", "/api/v1/agency/dossiers?status=2", nil, ""); status != 200 || !strings.Contains(string(raw), code) {
			t.Fatalf("desk queue after the answer: %d %s", status, raw)
		}
		_, agency, raw := desk.do("GET", agencyPath, nil, "")
		if h := agency["history"].([]any); len(h) != 3 || h[2].(map[string]any)["from"].(float64) != 5 ||
			!strings.HasPrefix(h[2].(map[string]any)["actor"].(string), "person:") {
			t.Fatalf("officer's history: %s", raw)
		}

		// The warehouse document counts one more use.
		if _, doc, _ := citizen.do("GET", "/api/v1/warehouse/documents/"+attached, nil, ""); doc["usage_count"].(float64) != 2 {
			t.Errorf("usage count after the answer = %v, want 2 (once at submission, once in the answer)", doc["usage_count"])
		}
		// Second round, any component: answered from the warehouse.
		if status, _, raw := move(map[string]any{"status": 5, "note": "Bổ sung bản chụp giấy tờ tùy thân còn hạn"}); status != 200 {
			t.Fatalf("second request: %d %s", status, raw)
		}
		status, second, raw := citizen.do("POST", path+"/supplement",
			jsonBody(map[string]any{"components": []any{map[string]string{"id": "TP03", "document_id": attached}}}), "application/json")
		if status != 200 || second["status"].(float64) != 2 || second["supplement"].(map[string]any)["seq"].(float64) != 2 {
			t.Fatalf("warehouse answer: %d %s", status, raw)
		}

		// At the counter: the desk scans the paper the citizen brings for
		// the component named, which it could not scan again otherwise,
		// and moves the dossier back, which answers the request.
		scan := func() (int, map[string]any, []byte) {
			body, ct := multipartBody(t, nil, pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "to khai ban quet"}))
			return desk.do("PUT", agencyPath+"/components/TP01", body, ct)
		}
		if status, prob, _ := scan(); status != 422 || prob["code"] != "already_digitized" {
			t.Errorf("scan a digitized component without a request: %d %v", status, prob)
		}
		if status, _, raw := move(map[string]any{"status": 5, "note": "Mang bản gốc tờ khai đến Bộ phận Một cửa", "components": []string{"TP01"}}); status != 200 {
			t.Fatalf("third request: %d %s", status, raw)
		}
		if status, _, raw := scan(); status != 200 {
			t.Fatalf("scan at the counter: %d %s", status, raw)
		}
		status, counter, raw := move(map[string]any{"status": 2})
		if sup := counter["supplement"].(map[string]any); status != 200 || sup["seq"].(float64) != 3 || sup["open"] != false ||
			sup["answered_at"] == nil {
			t.Fatalf("answered at the counter: %d %s", status, raw)
		}

		// Withdrawal: only the citizen's own, with a reason, once.
		withdraw := func(c *apiClient, reason string) (int, map[string]any, []byte) {
			return c.do("POST", path+"/withdraw", jsonBody(map[string]string{"reason": reason}), "application/json")
		}
		if status, prob, _ := withdraw(them, "Không cần nữa"); status != 404 {
			t.Errorf("another citizen withdraws: %d %v", status, prob)
		}
		if status, prob, _ := withdraw(citizen, " "); status != 422 || prob["code"] != "reason_required" {
			t.Errorf("withdraw without reason: %d %v", status, prob)
		}
		status, gone, raw := withdraw(citizen, "Chúng tôi đổi ngày đăng ký kết hôn")
		h := gone["history"].([]any)
		if status != 200 || gone["status"].(float64) != 7 || gone["withdrawable"] != false ||
			h[len(h)-1].(map[string]any)["note"] != "Chúng tôi đổi ngày đăng ký kết hôn" {
			t.Fatalf("withdraw: %d %s", status, raw)
		}
		if status, prob, _ := withdraw(citizen, "Rút lần nữa"); status != 409 || prob["code"] != "not_withdrawable" {
			t.Errorf("withdraw twice: %d %v", status, prob)
		}
	})
}
