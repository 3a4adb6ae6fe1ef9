package web

import (
	"net/http"
	"strings"
	"testing"
)

// TestOfficerRoutesAllGuarded: every route under an officer root is in
// an officer area (New would fail otherwise), and the table is not empty.
func TestOfficerRoutesAllGuarded(t *testing.T) {
	t.Parallel()
	routes, err := OfficerRoutes()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range routes {
		seen[r.Path] = true
		if len(r.Ops) == 0 {
			t.Errorf("%s %s: no operations", r.Method, r.Path)
		}
	}
	for _, want := range []string{"/can-bo/kiem-tra-danh-tinh", "/can-bo/tiep-nhan", "/quan-tri/can-bo", "/theo-doi", "/can-bo/chung-thuc", "/can-bo/phan-anh"} {
		if !seen[want] {
			t.Errorf("officer routes lack %s: %v", want, routes)
		}
	}
	for p := range seen {
		if strings.HasPrefix(p, "/can-bo/dang-nhap") {
			t.Errorf("the login page %s is guarded", p)
		}
	}
}

func TestUnguardedOfficerRouteFailsStartup(t *testing.T) {
	t.Parallel()
	m := newRouteMux(&Server{})
	m.HandleFunc("GET /can-bo/moi", func(w http.ResponseWriter, r *http.Request) {})
	if m.err == nil || !strings.Contains(m.err.Error(), "/can-bo/moi") {
		t.Fatalf("err = %v", m.err)
	}
}
