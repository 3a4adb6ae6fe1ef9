package apitest

import (
	"net/http"
	"net/url"
	"sync"
	"testing"
)

// Servers sends each problem a shared transport finds to the test that
// owns the server the request went to, so that one transport installed
// for a whole test binary still fails the right test.
type Servers struct {
	mu     sync.Mutex
	owners map[string]testing.TB
}

// Add makes t the owner of the server at baseURL until t ends.
func (s *Servers) Add(t testing.TB, baseURL string) {
	u, err := url.Parse(baseURL)
	if err != nil {
		t.Fatalf("server URL %q: %v", baseURL, err)
	}
	s.mu.Lock()
	if s.owners == nil {
		s.owners = map[string]testing.TB{}
	}
	s.owners[u.Host] = t
	s.mu.Unlock()
	t.Cleanup(func() {
		s.mu.Lock()
		delete(s.owners, u.Host)
		s.mu.Unlock()
	})
}

// Report fails the owner of the request's server with the problem. A
// request to a server nobody owns (any more) is not a test's to fail.
func (s *Servers) Report(req *http.Request, problem string) {
	s.mu.Lock()
	t := s.owners[req.URL.Host]
	s.mu.Unlock()
	if t != nil {
		t.Errorf("API contract: %s", problem)
	}
}
