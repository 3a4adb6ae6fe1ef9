package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

const (
	adminTestCategory  = "KQ.G99.000777"
	adminTestProcedure = "1.099001"
)

// adminTestProcedureJSON is a procedure of An Lão's justice office whose
// one component accepts category (and a scan).
func adminTestProcedureJSON(code, agency, category string) map[string]any {
	return map[string]any{
		"code": code, "name": "Cấp giấy xác nhận thử nghiệm", "field": "Hộ tịch", "levels": []string{"district"},
		"online_level": "full", "agencies": []string{agency},
		"cases": []any{map[string]any{"code": "TH01", "name": "Cấp lần đầu", "processing_days": 5}},
		"components": []any{map[string]any{"code": "TP01", "name": "Giấy xác nhận thử nghiệm", "required": true, "form": "copy",
			"copies": 1, "accepted_categories": []string{category}}},
		"fees":        []any{map[string]any{"name": "Lệ phí", "amount_vnd": 10000}},
		"legal_basis": "Thông tư thử nghiệm",
	}
}

// TestAdminCatalogueAPI: the province administrator creates a category and
// a procedure accepting it through /api/v1/admin; the district
// administrator is kept to its subtree; a refused procedure names the
// path; every change is audited with before/after; a citizen holding a
// document of the new category applies for the new procedure and finds it
// attached. Both backends.
func TestAdminCatalogueAPI(t *testing.T) {
	t.Parallel()
	for name, db := range backendFlags {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			where := db(t)
			ts := startServer(t, append([]string{"--demo"}, where...)...)
			province := &apiClient{t: t, base: ts.url, token: officerToken(t, ts, demoAdmin(t, demo.ProvinceCode))}
			district := &apiClient{t: t, base: ts.url, token: officerToken(t, ts, demoAdmin(t, demo.DistrictCode))}
			citizen := &apiClient{t: t, base: ts.url, token: sessionToken(t, ts, demo.Citizens()[0].Code)}

			_, spec, _ := citizen.do("GET", "/api/v1/openapi.json", nil, "")
			for _, path := range []string{"/api/v1/admin/procedures/{code}", "/api/v1/admin/categories/{code}", "/api/v1/admin/agencies/{code}"} {
				if _, ok := spec["paths"].(map[string]any)[path]; !ok {
					t.Errorf("%s not in the OpenAPI document", path)
				}
			}

			// Categories: province-wide.
			cat := map[string]any{"code": adminTestCategory, "name": "Giấy xác nhận thử nghiệm", "paper_type": "result", "validity_months": 6}
			if status, prob, raw := district.do("POST", "/api/v1/admin/categories", jsonBody(cat), "application/json"); status != 403 ||
				prob["code"] != "province_admin_only" {
				t.Fatalf("district creates a category: %d %s", status, raw)
			}
			if status, prob, raw := citizen.do("GET", "/api/v1/admin/categories", nil, ""); status != 403 || prob["code"] != "forbidden" {
				t.Fatalf("citizen lists categories: %d %s", status, raw)
			}
			bad := map[string]any{"code": "KQ.G99.000778", "name": "", "paper_type": "giay", "validity_months": 6, "validity_days": 10}
			status, prob, raw := province.do("POST", "/api/v1/admin/categories", jsonBody(bad), "application/json")
			if status != 422 || prob["code"] != "catalogue_invalid" || prob["field"] != "name" || !problemAt(prob, "paper_type", "invalid paper type") ||
				!problemAt(prob, "", "exclusive") {
				t.Fatalf("invalid category: %d %s", status, raw)
			}
			if status, got, raw := province.do("POST", "/api/v1/admin/categories", jsonBody(cat), "application/json"); status != 201 ||
				got["code"] != adminTestCategory || got["validity_months"].(float64) != 6 {
				t.Fatalf("create category: %d %s", status, raw)
			}
			if status, prob, _ := province.do("POST", "/api/v1/admin/categories", jsonBody(cat), "application/json"); status != 409 || prob["code"] != "category_exists" {
				t.Fatalf("create the category twice: %d %v", status, prob)
			}
			cat["name"] = "Giấy xác nhận thử nghiệm (mẫu mới)"
			if status, got, raw := province.do("PUT", "/api/v1/admin/categories/"+adminTestCategory, jsonBody(cat), "application/json"); status != 200 ||
				got["name"] != cat["name"] {
				t.Fatalf("rename category: %d %s", status, raw)
			}
			if status, got, raw := district.do("GET", "/api/v1/admin/categories/"+adminTestCategory, nil, ""); status != 200 || got["name"] != cat["name"] {
				t.Fatalf("district reads the category: %d %s", status, raw)
			}

			// Procedures: a refusal names the path of the problem.
			proc := adminTestProcedureJSON(adminTestProcedure, demo.JusticeOfficeCode, "KQ.G99.000999")
			status, prob, raw = province.do("POST", "/api/v1/admin/procedures", jsonBody(proc), "application/json")
			if status != 422 || prob["field"] != "components[0].accepted_categories[0]" ||
				!problemAt(prob, "components[0].accepted_categories[0]", "unknown category KQ.G99.000999") ||
				!strings.Contains(prob["detail"].(string), "Không có loại giấy tờ KQ.G99.000999") {
				t.Fatalf("unknown category: %d %s", status, raw)
			}
			if status, _, _ := province.do("GET", "/api/v1/admin/procedures/"+adminTestProcedure, nil, ""); status != 404 {
				t.Fatalf("a refused procedure exists: %d", status)
			}
			// The district administrator may not create a procedure of the province.
			provProc := adminTestProcedureJSON("1.099002", demo.ProvinceCode, adminTestCategory)
			if status, prob, raw := district.do("POST", "/api/v1/admin/procedures", jsonBody(provProc), "application/json"); status != 403 ||
				prob["code"] != "outside_admin_scope" {
				t.Fatalf("district creates a province procedure: %d %s", status, raw)
			}
			proc = adminTestProcedureJSON(adminTestProcedure, demo.JusticeOfficeCode, adminTestCategory)
			status, got, raw := province.do("POST", "/api/v1/admin/procedures", jsonBody(proc), "application/json")
			if status != 201 || got["version"].(float64) != 1 || got["components"].([]any)[0].(map[string]any)["accepted_categories"].([]any)[0] != adminTestCategory {
				t.Fatalf("create procedure: %d %s", status, raw)
			}
			// In the district's subtree: the district administrator reads and
			// changes it, but cannot hand it to the province.
			if status, _, raw := district.do("GET", "/api/v1/admin/procedures/"+adminTestProcedure, nil, ""); status != 200 {
				t.Fatalf("district reads its procedure: %d %s", status, raw)
			}
			proc["agencies"] = []string{demo.JusticeOfficeCode, demo.ProvinceCode}
			if status, prob, raw := district.do("PUT", "/api/v1/admin/procedures/"+adminTestProcedure, jsonBody(proc), "application/json"); status != 403 ||
				prob["code"] != "outside_admin_scope" {
				t.Fatalf("district moves the procedure out: %d %s", status, raw)
			}
			proc["agencies"] = []string{demo.JusticeOfficeCode}
			proc["cases"].([]any)[0].(map[string]any)["processing_days"] = 3
			if status, got, raw := district.do("PUT", "/api/v1/admin/procedures/"+adminTestProcedure, jsonBody(proc), "application/json"); status != 200 ||
				got["version"].(float64) != 2 || got["cases"].([]any)[0].(map[string]any)["processing_days"].(float64) != 3 {
				t.Fatalf("district updates its procedure: %d %s", status, raw)
			}
			// A province procedure is not the district's: it does not exist for it.
			if status, _, raw := province.do("POST", "/api/v1/admin/procedures", jsonBody(provProc), "application/json"); status != 201 {
				t.Fatalf("province creates its procedure: %d %s", status, raw)
			}
			_, list, _ := province.do("GET", "/api/v1/admin/procedures", nil, "")
			_, dlist, _ := district.do("GET", "/api/v1/admin/procedures", nil, "")
			if pl, dl := jsonString(list), jsonString(dlist); !strings.Contains(pl, "1.099002") || strings.Contains(dl, "1.099002") ||
				!strings.Contains(dl, adminTestProcedure) || len(dlist["items"].([]any)) != len(list["items"].([]any))-1 {
				t.Fatalf("lists: province %s\ndistrict %s", pl, dl)
			}
			if status, _, _ := district.do("GET", "/api/v1/admin/procedures/1.099002", nil, ""); status != 404 {
				t.Fatalf("district reads a province procedure: %d", status)
			}
			provProc["name"] = "Đổi tên"
			if status, _, _ := district.do("PUT", "/api/v1/admin/procedures/1.099002", jsonBody(provProc), "application/json"); status != 404 {
				t.Fatalf("district updates a province procedure: %d", status)
			}

			// Agencies: the district creates under its subtree only.
			ag := map[string]any{"code": "000.19.23.H08", "name": "Phòng thử nghiệm", "level": "district", "parent": demo.DistrictCode}
			if status, got, raw := district.do("POST", "/api/v1/admin/agencies", jsonBody(ag), "application/json"); status != 201 || got["parent"] != demo.DistrictCode {
				t.Fatalf("district creates an agency: %d %s", status, raw)
			}
			ag["parent"] = demo.ProvinceCode
			if status, prob, raw := district.do("PUT", "/api/v1/admin/agencies/000.19.23.H08", jsonBody(ag), "application/json"); status != 403 ||
				prob["code"] != "outside_admin_scope" {
				t.Fatalf("district moves an agency out: %d %s", status, raw)
			}
			// Its reception desk: the district's own, not one outside the subtree.
			ag["parent"], ag["reception_desk"] = demo.DistrictCode, demo.ProvinceCode
			if status, prob, raw := district.do("PUT", "/api/v1/admin/agencies/000.19.23.H08", jsonBody(ag), "application/json"); status != 403 ||
				prob["code"] != "outside_admin_scope" {
				t.Fatalf("district sends an agency to the province's desk: %d %s", status, raw)
			}
			ag["reception_desk"] = demo.DistrictCode
			if status, got, raw := district.do("PUT", "/api/v1/admin/agencies/000.19.23.H08", jsonBody(ag), "application/json"); status != 200 ||
				got["reception_desk"] != demo.DistrictCode {
				t.Fatalf("district sets the district's desk: %d %s", status, raw)
			}
			ag["reception_desk"] = demo.JusticeOfficeCode
			if status, prob, raw := district.do("PUT", "/api/v1/admin/agencies/000.19.23.H08", jsonBody(ag), "application/json"); status != 422 ||
				!problemAt(prob, "reception_desk", "reception desk 000.01.23.H08 is itself received at 000.00.23.H08") ||
				!strings.Contains(prob["detail"].(string), "được tiếp nhận ở bộ phận một cửa khác") {
				t.Fatalf("a desk received elsewhere: %d %s", status, raw)
			}
			if status, _, _ := district.do("GET", "/api/v1/admin/agencies/"+demo.ProvinceCode, nil, ""); status != 404 {
				t.Fatalf("district reads the province: %d", status)
			}

			// Audited with before and after.
			cfg := commonConfig{DataDir: where[1]}
			if len(where) > 2 {
				cfg.DatabaseURL = where[3]
			}
			ctx := context.Background()
			store, _, err := cfg.openMigratedStore(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			details := func(kind, code string) map[string]string {
				evs, err := store.ListAudit(ctx, motcua.AuditFilter{ObjectKind: kind, ObjectID: code})
				if err != nil {
					t.Fatal(err)
				}
				out := map[string]string{}
				for _, e := range evs {
					out[e.Action] = e.Detail
					if !strings.HasPrefix(e.ActorID, "officer:") {
						t.Errorf("%s by %q", e.Action, e.ActorID)
					}
				}
				return out
			}
			cd := details("category", adminTestCategory)
			var upd struct{ Before, After map[string]any }
			if err := json.Unmarshal([]byte(cd["catalogue.category.update"]), &upd); err != nil || upd.Before["name"] != "Giấy xác nhận thử nghiệm" ||
				upd.After["name"] != cat["name"] || !strings.Contains(cd["catalogue.category.create"], `"before":null`) {
				t.Fatalf("category audit: %v", cd)
			}
			pd := details("procedure", adminTestProcedure)
			if !strings.Contains(pd["catalogue.procedure.update"], `"after":{"version":2},"before":{"version":1}`) || pd["catalogue.procedure.create"] == "" {
				t.Fatalf("procedure audit: %v", pd)
			}
			if ad := details("agency", "000.19.23.H08"); !strings.Contains(ad["catalogue.agency.create"], "Phòng thử nghiệm") {
				t.Fatalf("agency audit: %v", ad)
			}

			// The citizen holds a document of the new category and applies.
			ca, err := demo.LoadOrCreateCA(filepath.Join(ts.dataDir, "demo-ca"))
			if err != nil {
				t.Fatal(err)
			}
			applyWithNewCategory(t, citizen, ca)
		})
	}
}

// applyWithNewCategory stores a signed document of adminTestCategory in
// the citizen's warehouse, starts a draft of adminTestProcedure and
// checks that the document is attached to the component accepting it.
func applyWithNewCategory(t *testing.T, citizen *apiClient, ca *demo.CA) {
	t.Helper()
	signed, err := ca.SignPDF(pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "Giay xac nhan thu nghiem"}), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	body, ct := multipartBody(t, map[string]string{"category": adminTestCategory, "paper_type": "result",
		"summary": "Giấy xác nhận thử nghiệm", "issue_date": motcua.DateOf(time.Now()).String()}, signed)
	status, doc, raw := citizen.do("POST", "/api/v1/warehouse/documents", body, ct)
	if status != 201 {
		t.Fatalf("store the document: %d %s", status, raw)
	}
	draft := map[string]string{"procedure": adminTestProcedure, "case": "TH01", "agency": demo.JusticeOfficeCode}
	status, d, raw := citizen.do("POST", "/api/v1/dossiers/drafts", jsonBody(draft), "application/json")
	if status != 201 {
		t.Fatalf("draft: %d %s", status, raw)
	}
	status, matches, raw := citizen.do("GET", "/api/v1/dossiers/drafts/"+d["id"].(string)+"/matches", nil, "")
	comps, _ := matches["components"].([]any)
	if status != 200 || len(comps) != 1 {
		t.Fatalf("matches: %d %s", status, raw)
	}
	auto, _ := comps[0].(map[string]any)["auto_attached"].(map[string]any)
	if auto == nil || auto["id"] != doc["id"] {
		t.Fatalf("not attached: %s (document %v)", raw, doc["id"])
	}
}

// problemAt reports whether a catalogue refusal lists a problem at path
// whose reason contains reason.
func problemAt(prob map[string]any, path, reason string) bool {
	items, _ := prob["errors"].([]any)
	for _, it := range items {
		e := it.(map[string]any)
		if e["path"] == path && strings.Contains(e["reason"].(string), reason) && e["message"] != "" {
			return true
		}
	}
	return false
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestAdminCataloguePages: the province administrator creates a category
// and a procedure accepting it with the /quan-tri pages; a refused form
// comes back with the message next to its field and nothing saved; the
// district administrator sees categories without the form and cannot
// post one; a citizen holding a document of the new category applies and
// finds it attached. Both backends.
func TestAdminCataloguePages(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, ts *testServer) {
		admin := demoAdmin(t, demo.ProvinceCode)
		pb := officerLogin(t, ts, admin.Username, admin.Password, admin.TOTPSecret)
		dadmin := demoAdmin(t, demo.DistrictCode)
		db := officerLogin(t, ts, dadmin.Username, dadmin.Password, dadmin.TOTPSecret)

		// Category: a wrong code first, then the right one.
		form := url.Values{"code": {"KQ.X"}, "name": {"Giấy xác nhận thử nghiệm"}, "paper_type": {"result"}, "validity_months": {"6"}}
		resp, body := pb.post(ts.url+"/quan-tri/danh-muc", form)
		if resp.StatusCode != 422 || !strings.Contains(body, `Mã loại giấy tờ &#34;KQ.X&#34; không hợp lệ`) || !strings.Contains(body, `class="field-error"`) ||
			!strings.Contains(body, `id="code" name="code" aria-invalid="true"`) {
			t.Fatalf("refused category: %d\n%s", resp.StatusCode, body)
		}
		form.Set("code", adminTestCategory)
		resp, body = pb.post(ts.url+"/quan-tri/danh-muc", form)
		if resp.StatusCode != 200 || !strings.Contains(body, "Đã lưu loại giấy tờ "+adminTestCategory) || !strings.Contains(body, "6 tháng") {
			t.Fatalf("category: %d\n%s", resp.StatusCode, body)
		}
		resp, body = db.get(ts.url + "/quan-tri/danh-muc")
		if resp.StatusCode != 200 || !strings.Contains(body, adminTestCategory) || strings.Contains(body, "Thêm loại giấy tờ") {
			t.Fatalf("district categories page: %d\n%s", resp.StatusCode, body)
		}
		form.Set("code", "KQ.G99.000779")
		if resp, _ := db.post(ts.url+"/quan-tri/danh-muc", form); resp.StatusCode != 403 {
			t.Fatalf("district posts a category: %d", resp.StatusCode)
		}

		// Procedure: the new page lists the handling agencies; a component
		// accepting an unknown category is refused at its row.
		resp, body = pb.get(ts.url + "/quan-tri/thu-tuc/moi")
		if resp.StatusCode != 200 || !strings.Contains(body, demo.JusticeOfficeCode) || !strings.Contains(body, `name="components[1].accepted_categories"`) {
			t.Fatalf("new procedure page: %d\n%s", resp.StatusCode, body)
		}
		pf := url.Values{"code": {adminTestProcedure}, "name": {"Cấp giấy xác nhận thử nghiệm"}, "field": {"Hộ tịch"}, "levels": {"district"},
			"online_level": {"full"}, "agencies": {demo.JusticeOfficeCode}, "legal_basis": {"Thông tư thử nghiệm"},
			"cases[0].code": {"TH01"}, "cases[0].name": {"Cấp lần đầu"}, "cases[0].processing_days": {"5"},
			"cases[1].code": {""}, "cases[1].name": {""}, "cases[1].processing_days": {""},
			"components[0].code": {""}, "components[0].name": {""}, "components[0].accepted_categories": {""}, "components[0].form": {"copy"},
			"components[1].code": {"TP01"}, "components[1].name": {"Giấy xác nhận thử nghiệm"}, "components[1].required": {"on"},
			"components[1].form": {"copy"}, "components[1].copies": {"1"}, "components[1].accepted_categories": {"KQ.G99.000999"},
			"fees[0].name": {"Lệ phí"}, "fees[0].amount_vnd": {"10000"}}
		resp, body = pb.post(ts.url+"/quan-tri/thu-tuc", pf)
		if resp.StatusCode != 422 || !strings.Contains(body, "Không có loại giấy tờ KQ.G99.000999 trong danh mục.") ||
			!strings.Contains(body, "Thành phần hồ sơ 2 › loại giấy tờ chấp nhận 1") || !strings.Contains(body, `value="KQ.G99.000999"`) {
			t.Fatalf("refused procedure: %d\n%s", resp.StatusCode, body)
		}
		if resp, _ := pb.get(ts.url + "/quan-tri/thu-tuc/" + adminTestProcedure); resp.StatusCode != 404 {
			t.Fatalf("a refused procedure was saved: %d", resp.StatusCode)
		}
		pf.Set("components[1].accepted_categories", adminTestCategory)
		resp, body = pb.post(ts.url+"/quan-tri/thu-tuc", pf)
		if resp.StatusCode != 200 || !strings.Contains(body, "Đã lưu thủ tục "+adminTestProcedure+" (phiên bản 1)") {
			t.Fatalf("procedure: %d\n%s", resp.StatusCode, body)
		}
		// The district administrator edits it (its justice office handles it).
		resp, body = db.get(ts.url + "/quan-tri/thu-tuc/" + adminTestProcedure)
		if resp.StatusCode != 200 || !strings.Contains(body, `value="`+adminTestCategory+`"`) || !strings.Contains(body, "Phiên bản hiện hành: 1") {
			t.Fatalf("district edit page: %d\n%s", resp.StatusCode, body)
		}
		pf.Set("cases[0].processing_days", "3")
		resp, body = db.post(ts.url+"/quan-tri/thu-tuc/"+adminTestProcedure, pf)
		if resp.StatusCode != 200 || !strings.Contains(body, "(phiên bản 2)") {
			t.Fatalf("district update: %d\n%s", resp.StatusCode, body)
		}
		pf.Set("agencies", demo.ProvinceCode)
		if resp, body := db.post(ts.url+"/quan-tri/thu-tuc/"+adminTestProcedure, pf); resp.StatusCode != 403 || !strings.Contains(body, "phạm vi quản trị") {
			t.Fatalf("district hands it to the province: %d\n%s", resp.StatusCode, body)
		}

		// The blank form of a component is uploaded with the form; a web
		// page is refused next to the component and nothing is saved.
		pf.Set("agencies", demo.JusticeOfficeCode)
		postWithFile := func(file string, content []byte) (*http.Response, string) {
			var form bytes.Buffer
			mw := multipart.NewWriter(&form)
			for k, vs := range pf {
				for _, v := range vs {
					mw.WriteField(k, v)
				}
			}
			fw, _ := mw.CreateFormFile("components[1].form_file", file)
			fw.Write(content)
			mw.Close()
			req, _ := http.NewRequest("POST", ts.url+"/quan-tri/thu-tuc/"+adminTestProcedure, &form)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			return pb.do(req)
		}
		resp, body = postWithFile("mau.html", []byte("<script>alert(1)</script>"))
		if resp.StatusCode != 422 || !strings.Contains(body, "Không nhận tệp mẫu đơn loại &#34;.html&#34;") {
			t.Fatalf("an HTML form template: %d\n%s", resp.StatusCode, body)
		}
		template := []byte("PK\x03\x04 mẫu giấy đề nghị xác nhận")
		resp, body = postWithFile("de-nghi-xac-nhan.docx", template)
		if resp.StatusCode != 200 || !strings.Contains(body, "(phiên bản 3)") {
			t.Fatalf("upload a form template: %d\n%s", resp.StatusCode, body)
		}
		sum := sha256.Sum256(template)
		link := "/thu-tuc/" + adminTestProcedure + "/mau/" + hex.EncodeToString(sum[:])
		if resp, body := pb.get(ts.url + "/quan-tri/thu-tuc/" + adminTestProcedure); resp.StatusCode != 200 ||
			!strings.Contains(body, `value="de-nghi-xac-nhan.docx"`) || !strings.Contains(body, `href="`+link+`"`) {
			t.Fatalf("edit page after the upload: %d\n%s", resp.StatusCode, body)
		}
		if resp, body := get(t, ts.url+link); resp.StatusCode != 200 || body != string(template) {
			t.Fatalf("download the uploaded form: %d %q", resp.StatusCode, body)
		}

		// Agencies: the district adds a commune under itself.
		resp, body = db.post(ts.url+"/quan-tri/co-quan", url.Values{"code": {"000.19.23.H08"}, "name": {"Phòng thử nghiệm"}, "level": {"district"},
			"parent": {demo.DistrictCode}})
		if resp.StatusCode != 200 || !strings.Contains(body, "Đã lưu cơ quan 000.19.23.H08") || !strings.Contains(body, "— Phòng thử nghiệm") {
			t.Fatalf("district adds an agency: %d\n%s", resp.StatusCode, body)
		}
		resp, body = db.post(ts.url+"/quan-tri/co-quan/000.19.23.H08", url.Values{"name": {""}, "level": {"district"}, "parent": {demo.DistrictCode}})
		if resp.StatusCode != 422 || !strings.Contains(body, "Bắt buộc nhập.") {
			t.Fatalf("agency without a name: %d\n%s", resp.StatusCode, body)
		}

		ca, err := demo.LoadOrCreateCA(filepath.Join(ts.dataDir, "demo-ca"))
		if err != nil {
			t.Fatal(err)
		}
		citizen := &apiClient{t: t, base: ts.url, token: sessionToken(t, ts, demo.Citizens()[0].Code)}
		applyWithNewCategory(t, citizen, ca)
	})
}
