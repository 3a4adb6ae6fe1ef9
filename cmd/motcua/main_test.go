package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/sqlite"
)

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type testServer struct {
	url     string
	dataDir string
	logs    *syncBuffer
	stop    func() error
}

// startServer runs the real `motcua serve` on a free port in a temp folder.
func startServer(t *testing.T, args ...string) *testServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logs := &syncBuffer{}
	addrc := make(chan net.Addr, 1)
	errc := make(chan error, 1)
	full := append([]string{"--addr", "127.0.0.1:0", "--log-format", "json"}, args...)
	// The generated history (3.480 dossiers) is only for the tests that
	// look at the reports; the others start faster without it.
	if slices.Contains(args, "--demo") && !slices.ContainsFunc(args, func(a string) bool { return strings.HasPrefix(a, "--demo-history") }) {
		full = append(full, "--demo-history=false")
	}
	go func() {
		errc <- runServe(ctx, full, io.Discard, logs, func(a net.Addr) { addrc <- a })
	}()
	select {
	case a := <-addrc:
		ts := &testServer{url: "http://" + a.String(), logs: logs}
		apiServers.Add(t, ts.url)
		for i, a := range args {
			if a == "--data-dir" && i+1 < len(args) {
				ts.dataDir = args[i+1]
			}
		}
		var once sync.Once
		var stopErr error
		ts.stop = func() error {
			once.Do(func() {
				cancel()
				stopErr = <-errc
			})
			return stopErr
		}
		t.Cleanup(func() { _ = ts.stop() })
		return ts
	case err := <-errc:
		cancel()
		t.Fatalf("serve failed to start: %v\nlogs:\n%s", err, logs)
	case <-time.After(3 * time.Minute):
		cancel()
		t.Fatalf("serve did not start\nlogs:\n%s", logs)
	}
	return nil
}

// startSimulator runs a simulator command (run) with args on a free port,
// waits until its /healthz answers and returns its base URL and a stop
// function that cancels it and returns what the command returned.
func startSimulator(t *testing.T, run func(context.Context, []string, io.Writer, io.Writer) error, args ...string) (base string, stop func() error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"--addr", addr}, args...), io.Discard, io.Discard)
	}()
	base = "http://" + addr
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			break
		}
		select {
		case rerr := <-done:
			cancel()
			t.Fatalf("simulator stopped before answering: %v", rerr)
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return base, func() error {
		cancel()
		return <-done
	}
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

func TestServeDemo(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ts := startServer(t, "--demo", "--data-dir", dir)

	resp, body := get(t, ts.url+"/")
	if resp.StatusCode != 200 || !strings.Contains(body, "Hệ thống thông tin giải quyết thủ tục hành chính") ||
		!strings.Contains(body, "Kho dữ liệu cá nhân, tổ chức") || !strings.Contains(body, "Đăng ký kết hôn") {
		t.Fatalf("home page: %d\n%s", resp.StatusCode, body)
	}
	if resp.Header.Get("X-Request-Id") == "" || resp.Header.Get("Content-Security-Policy") == "" {
		t.Fatalf("missing request id or CSP: %v", resp.Header)
	}
	if !strings.Contains(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("content type %q", resp.Header.Get("Content-Type"))
	}

	resp, body = get(t, ts.url+"/healthz")
	if resp.StatusCode != 200 || !strings.Contains(body, `"status":"ok"`) {
		t.Fatalf("healthz: %d %s", resp.StatusCode, body)
	}
	resp, body = get(t, ts.url+"/readyz")
	var ready struct {
		Status string            `json:"status"`
		Checks map[string]string `json:"checks"`
	}
	if err := json.Unmarshal([]byte(body), &ready); err != nil || resp.StatusCode != 200 ||
		ready.Checks["database"] != "ok" || ready.Checks["blobs"] != "ok" {
		t.Fatalf("readyz: %d %s", resp.StatusCode, body)
	}

	resp, body = get(t, ts.url+"/khong-co-trang-nay")
	if resp.StatusCode != 404 || !strings.Contains(body, "Không tìm thấy trang") {
		t.Fatalf("404 page: %d %s", resp.StatusCode, body)
	}
	resp, _ = get(t, ts.url+"/static/style.css")
	if resp.StatusCode != 200 {
		t.Fatalf("stylesheet: %d", resp.StatusCode)
	}

	// A caller's well-formed request id is kept; a hostile one is replaced.
	req, _ := http.NewRequest("GET", ts.url+"/healthz", nil)
	req.Header.Set("X-Request-Id", "abc-123")
	r2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r2.Body.Close()
	if r2.Header.Get("X-Request-Id") != "abc-123" {
		t.Fatalf("request id = %q", r2.Header.Get("X-Request-Id"))
	}
	req.Header.Set("X-Request-Id", `evil"id with spaces=1`)
	r3, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r3.Body.Close()
	if id := r3.Header.Get("X-Request-Id"); id == "" || strings.ContainsAny(id, "\"\n ") {
		t.Fatalf("hostile request id kept: %q", id)
	}

	// Unsafe cross-origin requests are refused before any handler runs.
	req, _ = http.NewRequest("POST", ts.url+"/", strings.NewReader("x=1"))
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	r4, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r4.Body.Close()
	if r4.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site POST = %d, want 403", r4.StatusCode)
	}

	// Metrics count requests by route pattern, not by raw path.
	resp, body = get(t, ts.url+"/metrics")
	if resp.StatusCode != 200 || !strings.Contains(body, `motcua_http_requests_total{code="200",method="GET",route="GET /healthz"}`) ||
		!strings.Contains(body, `route="/"`) || strings.Contains(body, "khong-co-trang-nay") || !strings.Contains(body, "go_goroutines") {
		t.Fatalf("metrics:\n%s", body)
	}

	if err := ts.stop(); err != nil {
		t.Fatalf("graceful shutdown: %v", err)
	}
	if !strings.Contains(ts.logs.String(), `"msg":"stopped"`) || !strings.Contains(ts.logs.String(), `"request_id"`) {
		t.Fatalf("logs lack shutdown or request ids:\n%s", ts.logs)
	}

	// Restarting on the same data folder keeps the data and does not seed twice.
	ts2 := startServer(t, "--demo", "--data-dir", dir)
	if _, body := get(t, ts2.url+"/"); !strings.Contains(body, "Đăng ký kết hôn") {
		t.Fatal("demo data lost after restart")
	}
	if !strings.Contains(ts2.logs.String(), "demo data already present") {
		t.Fatalf("second start seeded again:\n%s", ts2.logs)
	}
}

func TestServeRefusesUnmigratedDatabase(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var stderr bytes.Buffer
	code := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--data-dir", dir}, io.Discard, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "motcua migrate") {
		t.Fatalf("serve on an empty database: exit %d, stderr %q", code, stderr.String())
	}

	var stdout bytes.Buffer
	if code := run(context.Background(), []string{"migrate", "--data-dir", dir}, &stdout, &stderr); code != 0 {
		t.Fatalf("migrate: exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "applied ") || !strings.Contains(stdout.String(), "schema version") {
		t.Fatalf("migrate output: %q", stdout.String())
	}
	ts := startServer(t, "--data-dir", dir)
	if resp, body := get(t, ts.url+"/"); resp.StatusCode != 200 || !strings.Contains(body, "Chưa có thủ tục nào") {
		t.Fatalf("empty home: %d %s", resp.StatusCode, body)
	}
}

func TestServeRefusesNewerSchema(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if code := run(context.Background(), []string{"migrate", "--data-dir", dir}, io.Discard, io.Discard); code != 0 {
		t.Fatal("migrate failed")
	}
	s, err := sqlite.Open(context.Background(), filepath.Join(dir, "motcua.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, '0999_future.sql', 0)"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	var stderr bytes.Buffer
	code := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--migrate", "--data-dir", dir}, io.Discard, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "newer than this motcua binary") {
		t.Fatalf("serve on a newer schema: exit %d, stderr %q", code, stderr.String())
	}
}

func TestSeedDemoCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var out bytes.Buffer
	if code := run(context.Background(), []string{"seed-demo", "--data-dir", dir}, &out, io.Discard); code != 0 {
		t.Fatalf("seed-demo exit %d", code)
	}
	if !strings.Contains(out.String(), "loaded 21 agencies") {
		t.Fatalf("seed-demo output %q", out.String())
	}
	out.Reset()
	if code := run(context.Background(), []string{"seed-demo", "--data-dir", dir}, &out, io.Discard); code != 0 ||
		!strings.Contains(out.String(), "already present") {
		t.Fatalf("second seed-demo: exit %d, %q", code, out.String())
	}
}

func TestCommandLine(t *testing.T) {
	t.Parallel()
	cases := []struct {
		args     []string
		code     int
		inStdout string
		inStderr string
	}{
		{[]string{"version"}, 0, "motcua ", ""},
		{[]string{"totp", "--secret", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"}, 0, "", ""},
		{[]string{"totp", "--demo-officer", "khong.co"}, 2, "", "no demo officer"},
		{[]string{"totp", "--secret", "!!"}, 2, "", "invalid TOTP secret"},
		{nil, 2, "", "Usage:"},
		{[]string{"frobnicate"}, 2, "", `unknown command "frobnicate"`},
		{[]string{"serve", "--no-such-flag"}, 2, "", "flag provided but not defined"},
		{[]string{"serve", "--help"}, 0, "", "MOTCUA_DATABASE_URL"},
		{[]string{"migrate", "extra"}, 2, "", "unexpected arguments"},
		{[]string{"migrate", "--database-url", "mysql://x"}, 2, "", "must start with postgres://"},
		{[]string{"serve", "--log-format", "xml"}, 2, "", "invalid --log-format"},
	}
	for _, c := range cases {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), c.args, &stdout, &stderr)
		if code != c.code || !strings.Contains(stdout.String(), c.inStdout) || !strings.Contains(stderr.String(), c.inStderr) {
			t.Errorf("motcua %v: exit %d, stdout %q, stderr %q; want exit %d with %q / %q",
				c.args, code, stdout.String(), stderr.String(), c.code, c.inStdout, c.inStderr)
		}
	}
}
