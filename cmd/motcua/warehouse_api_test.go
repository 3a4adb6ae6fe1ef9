package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

// apiClient calls the JSON API with a bearer token.
type apiClient struct {
	t     *testing.T
	base  string
	token string
}

func (c *apiClient) do(method, path string, body io.Reader, contentType string) (int, map[string]any, []byte) {
	c.t.Helper()
	return c.doWith(method, path, body, contentType, nil)
}

func (c *apiClient) doWith(method, path string, body io.Reader, contentType string, headers map[string]string) (int, map[string]any, []byte) {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.base+path, body)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return resp.StatusCode, m, raw
}

func multipartBody(t *testing.T, fields map[string]string, file []byte) (io.Reader, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	if file != nil {
		fw, _ := w.CreateFormFile("file", "ket-qua.pdf")
		_, _ = fw.Write(file)
	}
	_ = w.Close()
	return &b, w.FormDataContentType()
}

// sessionToken logs a demo citizen in through the dev IdP and returns the
// session token, usable as a bearer token.
func sessionToken(t *testing.T, ts *testServer, user string) string {
	t.Helper()
	b := newBrowser(t)
	if resp, body := b.loginAt(ts, "vneid", user, "motcua-demo"); resp.Request.URL.Path != "/tai-khoan" {
		t.Fatalf("login %s: %s", user, body)
	}
	return sessionCookie(t, ts, b)
}

// sessionCookie is the session token of a logged-in browser, which the
// API takes as a bearer token.
func sessionCookie(t *testing.T, ts *testServer, b *browser) string {
	t.Helper()
	u, _ := url.Parse(ts.url)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == "motcua_session" {
			return c.Value
		}
	}
	t.Fatal("no session cookie")
	return ""
}

func TestWarehouseAPI(t *testing.T) {
	t.Parallel()
	backends(t, func(t *testing.T, ts *testServer) {
		dataDir := ts.dataDir
		ca, err := demo.LoadOrCreateCA(filepath.Join(dataDir, "demo-ca"))
		if err != nil {
			t.Fatal(err)
		}
		citizens := demo.Citizens()
		owner, other := citizens[0], citizens[1]
		me := &apiClient{t: t, base: ts.url, token: sessionToken(t, ts, owner.Code)}
		them := &apiClient{t: t, base: ts.url, token: sessionToken(t, ts, other.Code)}
		anon := &apiClient{t: t, base: ts.url}

		status, list, raw := me.do("GET", "/api/v1/warehouse/documents", nil, "")
		if status != 200 || list["total"].(float64) < 3 {
			t.Fatalf("demo warehouse: %d %s", status, raw)
		}

		signed, err := ca.SignPDF(pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "Ban sao chung thuc"}), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		body, ct := multipartBody(t, map[string]string{"category": demo.CategoryCertifiedCopy, "paper_type": "result",
			"decision_number": "20/CT", "summary": "Bản sao giấy khai sinh", "issue_date": "2024-02-02"}, signed)
		status, doc, raw := me.do("POST", "/api/v1/warehouse/documents", body, ct)
		if status != 201 || doc["warehouse_kind"] != "personal" || !strings.HasPrefix(doc["code"].(string), owner.Code+".KQ.G15.000021.") ||
			doc["verification"].(map[string]any)["status"] != "valid" {
			t.Fatalf("upload: %d %s", status, raw)
		}
		id := doc["id"].(string)

		// Refusals carry the verifier's reason code and a Vietnamese detail.
		tampered, err := ca.SampleTampered(time.Now())
		if err != nil {
			t.Fatal(err)
		}
		for name, c := range map[string]struct {
			file []byte
			code string
		}{
			"unsigned": {demo.SampleUnsigned(), "unsigned"}, "tampered": {tampered, "digest_mismatch"},
			"not a pdf": {[]byte("xin chào"), "not_pdf"},
		} {
			body, ct := multipartBody(t, map[string]string{"category": demo.CategoryCertifiedCopy}, c.file)
			status, prob, raw := me.do("POST", "/api/v1/warehouse/documents", body, ct)
			if status != 422 || prob["code"] != c.code || prob["detail"] == "" {
				t.Errorf("%s: %d %s", name, status, raw)
			}
		}
		body, ct = multipartBody(t, map[string]string{"category": demo.CategoryCertifiedCopy, "visible": "có"}, signed)
		if status, prob, _ := me.do("POST", "/api/v1/warehouse/documents", body, ct); status != 422 || prob["field"] != "visible" {
			t.Errorf("bad flag: %d %v", status, prob)
		}

		// Search without diacritics.
		status, list, raw = me.do("GET", "/api/v1/warehouse/documents?summary=ban+sao+giay+KHAI+sinh&decision_number=20%2Fct", nil, "")
		if status != 200 || list["total"].(float64) != 1 {
			t.Fatalf("search: %d %s", status, raw)
		}

		// The authorization matrix: only the owner sees the document.
		path := "/api/v1/warehouse/documents/" + id
		for who, c := range map[string]struct {
			client *apiClient
			want   int
		}{"owner": {me, 200}, "other citizen": {them, 404}, "anonymous": {anon, 401}} {
			if status, _, raw := c.client.do("GET", path, nil, ""); status != c.want {
				t.Errorf("%s GET: %d %s", who, status, raw)
			}
			if status, _, _ := c.client.do("GET", path+"/file", nil, ""); status != c.want {
				t.Errorf("%s download: %d", who, status)
			}
		}
		if status, _, _ := them.do("DELETE", path, nil, ""); status != 404 {
			t.Errorf("other citizen DELETE: %d", status)
		}
		if status, _, _ := anon.do("GET", "/api/v1/warehouse/documents", nil, ""); status != 401 {
			t.Errorf("anonymous list: %d", status)
		}
		bad := &apiClient{t: t, base: ts.url, token: "gia-mao"}
		if status, prob, _ := bad.do("GET", "/api/v1/warehouse/documents", nil, ""); status != 401 || prob["code"] != "invalid_token" {
			t.Errorf("forged token: %d %v", status, prob)
		}

		// Replace the file; the old one stays downloadable.
		second, _ := ca.SignPDF(pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "Ban dung"}), time.Now())
		status, doc, raw = me.do("PUT", path+"/file?version=1", bytes.NewReader(second), "application/pdf")
		if status != 200 || doc["version"].(float64) != 2 {
			t.Fatalf("replace: %d %s", status, raw)
		}
		if status, _, _ := me.do("PUT", path+"/file?version=1", bytes.NewReader(second), "application/pdf"); status != 409 {
			t.Errorf("stale replace: %d", status)
		}
		status, _, old := me.do("GET", path+"/versions/1/file", nil, "")
		if status != 200 || !bytes.Equal(old, signed) {
			t.Fatalf("old version download: %d, %d bytes", status, len(old))
		}
		status, _, cur := me.do("GET", path+"/file", nil, "")
		if status != 200 || !bytes.Equal(cur, second) {
			t.Fatalf("current download: %d", status)
		}
		// Byte ranges of both versions (a PDF viewer, a resumed download).
		status, _, part := me.doWith("GET", path+"/file", nil, "", map[string]string{"Range": "bytes=5-104"})
		if status != 206 || !bytes.Equal(part, second[5:105]) {
			t.Fatalf("range of the current file: %d, %d bytes", status, len(part))
		}
		status, _, part = me.doWith("GET", path+"/versions/1/file", nil, "", map[string]string{"Range": "bytes=-10"})
		if status != 206 || !bytes.Equal(part, signed[len(signed)-10:]) {
			t.Fatalf("suffix range of version 1: %d, %d bytes", status, len(part))
		}
		if status, problem, raw := me.doWith("GET", path+"/file", nil, "", map[string]string{"Range": "bytes=99999999-"}); status != 416 || problem["code"] != "range_not_satisfiable" {
			t.Fatalf("range past the end: %d %s", status, raw)
		}
		if status, vs, _ := me.do("GET", path+"/versions", nil, ""); status != 200 || len(vs["items"].([]any)) != 1 {
			t.Fatalf("versions: %d %v", status, vs)
		}
		status, doc, _ = me.do("PATCH", path, strings.NewReader(`{"summary":"Đã sửa","visible":false}`), "application/json")
		if status != 200 || doc["summary"] != "Đã sửa" || doc["visible"] != false {
			t.Fatalf("patch: %d %v", status, doc)
		}
		if status, _, _ := me.do("PATCH", path, strings.NewReader(`{"khong_co":1}`), "application/json"); status != 422 {
			t.Errorf("unknown field: %d", status)
		}

		// An agency system pushes a result with client credentials.
		form := url.Values{"grant_type": {"client_credentials"}, "client_id": {demo.IntegratorID}, "client_secret": {demo.IntegratorSecret}}
		status, tok, raw := anon.do("POST", "/api/v1/oauth/token", strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
		if status != 200 || tok["token_type"] != "Bearer" {
			t.Fatalf("token: %d %s", status, raw)
		}
		agency := &apiClient{t: t, base: ts.url, token: tok["access_token"].(string)}
		form.Set("client_secret", "sai")
		if status, e, _ := anon.do("POST", "/api/v1/oauth/token", strings.NewReader(form.Encode()), "application/x-www-form-urlencoded"); status != 401 || e["error"] != "invalid_client" {
			t.Errorf("wrong client secret: %d %v", status, e)
		}
		code := owner.Code + ".KQ.G15.000032.KH-" + fmt.Sprint(time.Now().UnixNano()%100000)
		result, _ := ca.SignPDF(pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "Giay chung nhan ket hon"}), time.Now())
		push := func(c *apiClient) (int, map[string]any, []byte) {
			body, ct := multipartBody(t, map[string]string{"code": code, "owner_name": owner.Name, "decision_number": "KH/2024",
				"summary": "Đăng ký kết hôn", "issue_date": "2024-05-05"}, result)
			return c.do("POST", "/api/v1/agency/results", body, ct)
		}
		if status, pushed, raw := push(agency); status != 201 || pushed["warehouse_kind"] != "agency" || pushed["issuer"] != demo.TownCode {
			t.Fatalf("push: %d %s", status, raw)
		}
		if status, _, _ := push(agency); status != 200 {
			t.Errorf("repeat push: %d", status)
		}
		if status, _, _ := push(me); status != 403 {
			t.Errorf("citizen pushing: %d", status)
		}
		if status, _, _ := push(anon); status != 401 {
			t.Errorf("anonymous pushing: %d", status)
		}
		if status, _, _ := agency.do("GET", "/api/v1/warehouse/documents", nil, ""); status != 401 {
			t.Errorf("agency client listing a warehouse: %d", status)
		}
		status, list, _ = me.do("GET", "/api/v1/warehouse/documents?code="+url.QueryEscape(code), nil, "")
		if status != 200 || list["total"].(float64) != 1 {
			t.Fatalf("owner sees the pushed result: %d %v", status, list)
		}
		pid := list["items"].([]any)[0].(map[string]any)["id"].(string)
		if status, prob, _ := me.do("PATCH", "/api/v1/warehouse/documents/"+pid, strings.NewReader(`{"summary":"x"}`), "application/json"); status != 403 || prob["code"] != "agency_document_readonly" {
			t.Errorf("editing an agency document: %d %v", status, prob)
		}
		if status, _, _ := me.do("DELETE", "/api/v1/warehouse/documents/"+pid, nil, ""); status != 403 {
			t.Errorf("deleting an agency document: %d", status)
		}

		// Anyone can verify a result, with the owner's name masked.
		status, v, raw := anon.do("GET", "/api/v1/verify/"+url.PathEscape(code), nil, "")
		if status != 200 || v["status"] != "valid" || v["issuer_code"] != demo.TownCode || strings.Contains(string(raw), owner.Name) ||
			v["owner_name_masked"] == "" {
			t.Fatalf("verify: %d %s", status, raw)
		}
		if status, _, _ := anon.do("GET", "/api/v1/verify/"+owner.Code+".KQ.G15.000032.KHONGCO", nil, ""); status != 404 {
			t.Errorf("verify unknown: %d", status)
		}

		// Withdraw: gone from the list, still verifiable as withdrawn.
		if status, _, _ := me.do("DELETE", path, nil, ""); status != 204 {
			t.Fatalf("withdraw: %d", status)
		}
		if status, _, _ := me.do("GET", path, nil, ""); status != 404 {
			t.Errorf("withdrawn document still readable: %d", status)
		}
		if status, _, raw := anon.do("GET", "/api/v1/openapi.json", nil, ""); status != 200 || !bytes.Contains(raw, []byte(`"/api/v1/agency/results"`)) {
			t.Errorf("openapi: %d", status)
		}
	})
}
