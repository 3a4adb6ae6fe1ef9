package apitest

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

const testDoc = `{
  "openapi": "3.0.3",
  "info": {"title": "t", "version": "1"},
  "servers": [{"url": "/"}],
  "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
  "paths": {
    "/api/v1/things/{id}": {
      "get": {
        "operationId": "getThing",
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {
          "200": {"description": "ok", "content": {"application/json": {"schema": {
            "type": "object", "required": ["id", "count"], "additionalProperties": false,
            "properties": {"id": {"type": "string"}, "count": {"type": "integer"}}}}}},
          "404": {"description": "none"}
        }
      }
    },
    "/api/v1/forms": {
      "post": {
        "operationId": "sendForm",
        "requestBody": {"required": true, "content": {"multipart/form-data": {"schema": {
          "type": "object", "required": ["note"], "properties": {"note": {"type": "string"}},
          "additionalProperties": {"type": "string", "format": "binary"}}}}},
        "responses": {"204": {"description": "taken"}, "422": {"description": "bad"}}
      }
    },
    "/api/v1/certificates": {
      "post": {
        "operationId": "addCertificate",
        "requestBody": {"required": true, "content": {"application/x-pem-file": {"schema": {"type": "string"}}}},
        "responses": {"201": {"description": "added"}}
      }
    },
    "/api/v1/things": {
      "post": {
        "operationId": "addThing",
        "security": [{"bearer": []}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {
          "type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}}}},
        "responses": {"201": {"description": "made"}, "401": {"description": "no"}, "422": {"description": "bad"}}
      }
    }
  }
}`

// exchange runs one request through the checking transport to a server
// answering status and body, and returns the problems reported.
func exchange(t *testing.T, req *http.Request, status int, contentType, body string) []string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Got", string(got))
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	defer srv.Close()
	c, err := NewChecker([]byte(testDoc))
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var problems []string
	client := &http.Client{Transport: c.Transport(http.DefaultTransport, func(_ *http.Request, p string) {
		mu.Lock()
		problems = append(problems, p)
		mu.Unlock()
	})}
	u := srv.URL + req.URL.Path
	out, _ := http.NewRequest(req.Method, u, req.Body)
	out.Header = req.Header
	resp, err := client.Do(out)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(got) != body {
		t.Fatalf("the caller read %q, the server sent %q", got, body)
	}
	if req.Body != nil && resp.Header.Get("X-Got") == "" {
		t.Fatal("the server did not get the request body")
	}
	if c.Checked() != 1 && strings.HasPrefix(req.URL.Path, Prefix) {
		t.Fatalf("checked %d exchanges, want 1", c.Checked())
	}
	return problems
}

func TestCheckerAgreesWithDescribedExchanges(t *testing.T) {
	get, _ := http.NewRequest("GET", "/api/v1/things/a1", nil)
	if p := exchange(t, get, 200, "application/json", `{"id":"a1","count":2}`); len(p) != 0 {
		t.Errorf("a described response was reported: %v", p)
	}
	if p := exchange(t, get, 404, "", ""); len(p) != 0 {
		t.Errorf("an empty 404 was reported: %v", p)
	}
	post, _ := http.NewRequest("POST", "/api/v1/things", strings.NewReader(`{"name":"x"}`))
	post.Header.Set("Content-Type", "application/json")
	post.Header.Set("Authorization", "Bearer k")
	if p := exchange(t, post, 201, "", ""); len(p) != 0 {
		t.Errorf("a described request was reported: %v", p)
	}
	// Parts named by additionalProperties (one per component).
	form, ct := multipartForm(t, map[string]string{"note": "x", "TP01": "%PDF-1.7"})
	multi, _ := http.NewRequest("POST", "/api/v1/forms", form)
	multi.Header.Set("Content-Type", ct)
	if p := exchange(t, multi, 204, "", ""); len(p) != 0 {
		t.Errorf("a form with a part per component was reported: %v", p)
	}
	// A text body of a media type the library has no decoder for.
	pem, _ := http.NewRequest("POST", "/api/v1/certificates", strings.NewReader("-----BEGIN CERTIFICATE-----\n"))
	pem.Header.Set("Content-Type", "application/x-pem-file")
	if p := exchange(t, pem, 201, "", ""); len(p) != 0 {
		t.Errorf("a PEM body was reported: %v", p)
	}
	// A wrong request the server refuses is what the test wanted.
	bad, _ := http.NewRequest("POST", "/api/v1/things", strings.NewReader(`{}`))
	bad.Header.Set("Content-Type", "application/json")
	if p := exchange(t, bad, 422, "", ""); len(p) != 0 {
		t.Errorf("a refused wrong request was reported: %v", p)
	}
	// Outside /api/v1 nothing is checked.
	page, _ := http.NewRequest("GET", "/trang", nil)
	if p := exchange(t, page, 500, "text/html", "<p>"); len(p) != 0 {
		t.Errorf("a page was checked: %v", p)
	}
}

func multipartForm(t *testing.T, fields map[string]string) (io.Reader, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return &b, w.FormDataContentType()
}

func TestCheckerReportsDrift(t *testing.T) {
	get, _ := http.NewRequest("GET", "/api/v1/things/a1", nil)
	cases := []struct {
		name        string
		req         *http.Request
		status      int
		contentType string
		body        string
		want        string
	}{
		{"wrong field type", get, 200, "application/json", `{"id":"a1","count":"2"}`, "/count"},
		{"undocumented field", get, 200, "application/json", `{"id":"a1","count":2,"extra":1}`, "extra"},
		{"missing field", get, 200, "application/json", `{"id":"a1"}`, "count"},
		{"undocumented content type", get, 200, "text/plain", `a1`, "Content-Type"},
		{"undocumented status", get, 409, "", "", "status is not supported"},
		{"undescribed body", get, 404, "application/problem+json", `{"code":"ENOTFOUND"}`, "does not describe"},
		{"no such operation", func() *http.Request { r, _ := http.NewRequest("GET", "/api/v1/nothing", nil); return r }(), 200, "application/json", `{}`, "no such operation"},
		{"accepted form without a required part", func() *http.Request {
			form, ct := multipartForm(t, map[string]string{"TP01": "%PDF-1.7"})
			r, _ := http.NewRequest("POST", "/api/v1/forms", form)
			r.Header.Set("Content-Type", ct)
			return r
		}(), 204, "", "", "note"},
		{"accepted request outside the document", func() *http.Request {
			r, _ := http.NewRequest("POST", "/api/v1/things", strings.NewReader(`{"name":1}`))
			r.Header.Set("Content-Type", "application/json")
			return r
		}(), 201, "", "", "does not allow"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := exchange(t, c.req, c.status, c.contentType, c.body)
			if len(p) == 0 || !strings.Contains(strings.Join(p, "\n"), c.want) {
				t.Errorf("problems %q, want one mentioning %q", p, c.want)
			}
		})
	}
}
