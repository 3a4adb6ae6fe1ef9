package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

// fillWarehouse uploads n signed land titles (a category no marriage
// component accepts) to the client's warehouse, decision numbers DD-00…,
// and returns their ids.
func fillWarehouse(t *testing.T, ts *testServer, c *apiClient, n int) []string {
	t.Helper()
	ca, err := demo.LoadOrCreateCA(filepath.Join(ts.dataDir, "demo-ca"))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range n {
		num := fmt.Sprintf("DD-%02d", i)
		signed, err := ca.SignPDF(pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "Giay chung nhan " + num}), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		body, ct := multipartBody(t, map[string]string{"category": demo.CategoryLandTitle, "paper_type": "result",
			"decision_number": num, "summary": "Giấy chứng nhận quyền sử dụng đất " + num, "issue_date": "2024-02-02"}, signed)
		status, doc, raw := c.do("POST", "/api/v1/warehouse/documents", body, ct)
		if status != 201 {
			t.Fatalf("upload %s: %d %s", num, status, raw)
		}
		ids = append(ids, doc["id"].(string))
	}
	return ids
}

// TestDraftPickerAPI: the draft API's "Lấy từ kho" over the whole
// warehouse, several documents per component, step 8's delivery and the
// refusal to submit without the required components.
func TestDraftPickerAPI(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, ts *testServer) {
		citizens := demo.Citizens()
		me := &apiClient{t: t, base: ts.url, token: sessionToken(t, ts, citizens[0].Code)}
		them := &apiClient{t: t, base: ts.url, token: sessionToken(t, ts, citizens[1].Code)}

		_, proc, raw := me.do("GET", "/api/v1/procedures/"+demo.ProcedureMarriage, nil, "")
		comps := proc["cases"].([]any)[0].(map[string]any)["components"].([]any)
		if comps[0].(map[string]any)["max_documents"] != 1.0 || comps[2].(map[string]any)["max_documents"] != 2.0 {
			t.Fatalf("max_documents: %s", raw)
		}

		status, draft, raw := me.do("POST", "/api/v1/dossiers/drafts",
			strings.NewReader(`{"procedure":"`+demo.ProcedureMarriage+`","case":"TH01","agency":"`+demo.TownCode+`"}`), "application/json")
		if status != 201 {
			t.Fatalf("draft: %d %s", status, raw)
		}
		base := "/api/v1/dossiers/drafts/" + draft["id"].(string)
		// The marital-status confirmation was attached automatically; taken
		// back, the draft holds nothing: "components": [], not null.
		if status, _, raw := me.do("DELETE", base+"/components/TP02", nil, ""); status != 200 || !strings.Contains(string(raw), `"components":[]`) {
			t.Fatalf("remove TP02: %d %s", status, raw)
		}
		if status, _, raw := me.do("GET", base, nil, ""); status != 200 || !strings.Contains(string(raw), `"components":[]`) {
			t.Fatalf("empty draft: %d %s", status, raw)
		}
		if status, prob, _ := me.do("DELETE", base+"/components/TP02?index=0", nil, ""); status != 404 || prob["code"] != "component_file_not_found" {
			t.Fatalf("remove twice: %d %v", status, prob)
		}
		// "Nộp hồ sơ" is refused while required components are missing.
		if status, prob, _ := me.do("POST", base+"/submit", nil, ""); status != 422 || prob["code"] != "component_missing" {
			t.Fatalf("submit without components: %d %v", status, prob)
		}

		// "Kho cá nhân, tổ chức": 5 demo documents + 16 uploaded, 20 a page.
		land := fillWarehouse(t, ts, me, 16)
		status, page, raw := me.do("GET", base+"/warehouse", nil, "")
		if status != 200 || page["total"] != 21.0 || len(page["items"].([]any)) != 20 || page["per_page"] != 20.0 {
			t.Fatalf("warehouse page 1: %d %s", status, raw)
		}
		if _, page, raw := me.do("GET", base+"/warehouse?page=2", nil, ""); len(page["items"].([]any)) != 1 {
			t.Fatalf("warehouse page 2: %s", raw)
		}
		if _, page, raw := me.do("GET", base+"/warehouse?q=DD-07", nil, ""); page["total"] != 1.0 ||
			page["items"].([]any)[0].(map[string]any)["id"] != land[7] {
			t.Fatalf("warehouse search: %s", raw)
		}
		for _, item := range page["items"].([]any) {
			if owner := item.(map[string]any)["owner_id"]; owner != citizens[0].Code {
				t.Fatalf("another owner's document in the picker: %v", owner)
			}
		}
		if status, _, _ := them.do("GET", base+"/warehouse", nil, ""); status != 404 {
			t.Fatalf("another citizen browses through my draft: %d", status)
		}

		// The form (no accepted categories) takes any document of the warehouse.
		if status, d, raw := me.do("PUT", base+"/components/TP01", strings.NewReader(`{"document_id":"`+land[7]+`"}`), "application/json"); status != 200 ||
			len(d["components"].([]any)) != 1 {
			t.Fatalf("TP01 from the warehouse: %d %s", status, raw)
		}
		// The identity papers of both spouses: two documents, not three.
		_, matches, _ := me.do("GET", base+"/matches", nil, "")
		tp03 := matches["components"].([]any)[2].(map[string]any)
		sugg := tp03["suggestions"].([]any)
		if len(sugg) != 2 || tp03["max_documents"] != 2.0 {
			t.Fatalf("TP03 matches: %v", tp03)
		}
		for _, s := range sugg {
			id := s.(map[string]any)["id"].(string)
			if status, _, raw := me.do("PUT", base+"/components/TP03", strings.NewReader(`{"document_id":"`+id+`"}`), "application/json"); status != 200 {
				t.Fatalf("TP03: %d %s", status, raw)
			}
		}
		if status, prob, _ := me.do("PUT", base+"/components/TP03", strings.NewReader(`{"document_id":"`+land[0]+`"}`), "application/json"); status != 422 ||
			prob["code"] != "too_many_documents" {
			t.Fatalf("third identity paper: %d %v", status, prob)
		}
		_, matches, _ = me.do("GET", base+"/matches", nil, "")
		if ids := matches["components"].([]any)[2].(map[string]any)["chosen_document_ids"].([]any); len(ids) != 2 {
			t.Fatalf("chosen_document_ids = %v", ids)
		}

		// Step 8: the address is required for the post.
		for body, code := range map[string]string{
			`{"submit_method":"online","result_method":"post"}`:                    "required",
			`{"submit_method":"post","result_method":"online","post_address":" "}`: "required",
			`{"submit_method":"fax","result_method":"online"}`:                     "invalid_submit_method",
			`{"submit_method":"online","result_method":"pigeon"}`:                  "invalid_result_method",
		} {
			if status, prob, _ := me.do("PUT", base+"/delivery", strings.NewReader(body), "application/json"); status != 422 || prob["code"] != code {
				t.Errorf("%s: %d %v, want %s", body, status, prob, code)
			}
		}
		status, d, raw := me.do("PUT", base+"/delivery",
			strings.NewReader(`{"submit_method":"post","result_method":"post","post_address":"Thôn 1, xã An Hòa"}`), "application/json")
		if status != 200 || d["submit_method"] != "post" || d["result_method"] != "post" || d["post_address"] != "Thôn 1, xã An Hòa" {
			t.Fatalf("delivery: %d %s", status, raw)
		}
		if status, _, _ := them.do("PUT", base+"/delivery", strings.NewReader(`{"submit_method":"online","result_method":"online"}`), "application/json"); status != 404 {
			t.Fatalf("another citizen's delivery: %d", status)
		}
		status, dos, raw := me.do("POST", base+"/submit", nil, "")
		if status != 201 {
			t.Fatalf("submit: %d %s", status, raw)
		}
		for _, c := range dos["components"].([]any) {
			c := c.(map[string]any)
			if (c["id"] == "TP01" || c["id"] == "TP03") && c["state"] != 2.0 {
				t.Errorf("%s state %v, want 2 (reused)", c["id"], c["state"])
			}
		}
	})
}
