package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const deprecatingDoc = `{"openapi": "3.0.3", "paths": {
  "/api/v1/old/{id}": {
    "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
    "get": {"operationId": "getOld", "deprecated": true, "x-deprecation-date": "2026-12-01", "x-sunset": "2027-06-30",
      "externalDocs": {"url": "https://motcua.example/docs/api#changelog"}},
    "delete": {"operationId": "deleteOld", "deprecated": true, "x-deprecation-date": "2026-12-01"}
  },
  "/api/v1/new/{id}": {"get": {"operationId": "getNew"}}
}}`

func TestDeprecatedOperationsAnnounceTheirRetirement(t *testing.T) {
	deps, err := deprecationsIn([]byte(deprecatingDoc))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	r := routes{mux: mux, deprecated: deps}
	ok := func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }
	r.HandleFunc("GET /api/v1/old/{id}", ok)
	r.HandleFunc("DELETE /api/v1/old/{id}", ok)
	r.HandleFunc("GET /api/v1/new/{id}", ok)

	get := func(method, path string) http.Header {
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, httptest.NewRequest(method, path, nil))
		if w.Code != http.StatusNoContent {
			t.Fatalf("%s %s: %d, the handler did not run", method, path, w.Code)
		}
		return w.Header()
	}
	h := get("GET", "/api/v1/old/7")
	// 2026-12-01T00:00:00Z is 1796083200 seconds after the epoch.
	if h.Get("Deprecation") != "@1796083200" || h.Get("Sunset") != "Wed, 30 Jun 2027 00:00:00 GMT" ||
		h.Get("Link") != `<https://motcua.example/docs/api#changelog>; rel="deprecation"` {
		t.Errorf("deprecated with a sunset: %v", h)
	}
	h = get("DELETE", "/api/v1/old/7")
	if h.Get("Deprecation") != "@1796083200" || h.Get("Sunset") != "" || h.Get("Link") != `</api/v1/openapi.json>; rel="deprecation"` {
		t.Errorf("deprecated without a sunset: %v", h)
	}
	h = get("GET", "/api/v1/new/7")
	if h.Get("Deprecation") != "" || h.Get("Sunset") != "" || h.Get("Link") != "" {
		t.Errorf("a current operation announces a retirement: %v", h)
	}
}

func TestDeprecationNeedsDates(t *testing.T) {
	for name, c := range map[string]struct{ doc, want string }{
		"no date":    {`{"paths": {"/api/v1/x": {"get": {"deprecated": true}}}}`, "GET /api/v1/x is deprecated without a valid x-deprecation-date"},
		"dd/mm/yyyy": {`{"paths": {"/api/v1/x": {"get": {"deprecated": true, "x-deprecation-date": "01/12/2026"}}}}`, "x-deprecation-date"},
		"sunset first": {`{"paths": {"/api/v1/x": {"post": {"deprecated": true, "x-deprecation-date": "2026-12-01", "x-sunset": "2026-11-01"}}}}`,
			"POST /api/v1/x: x-sunset"},
	} {
		if _, err := deprecationsIn([]byte(c.doc)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error with %q", name, err, c.want)
		}
	}
}

// The served document's deprecations are readable (Register panics
// otherwise); none is announced in v1 so far.
func TestServedDocumentDeprecations(t *testing.T) {
	deps, err := deprecationsIn(openAPI)
	if err != nil {
		t.Fatal(err)
	}
	for pattern := range deps {
		t.Logf("deprecated: %s", pattern)
	}
}
