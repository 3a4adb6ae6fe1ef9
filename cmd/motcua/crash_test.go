package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/api"
	"github.com/motcua/motcua/internal/apitest"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
	"github.com/motcua/motcua/internal/pgtest"
	"github.com/motcua/motcua/internal/postgres"
	"github.com/motcua/motcua/internal/sqldb"
	"github.com/motcua/motcua/internal/sqlite"
)

// TestMain lets a test run the real binary: the test binary re-executed
// with MOTCUA_TEST_MAIN=1 is motcua itself.
//
// Every exchange the tests have with /api/v1 through the default
// transport (http.DefaultClient, http.Get and the clients without a
// Transport of their own) is checked against the OpenAPI document; a
// disagreement fails the test that owns the server (apiServers).
func TestMain(m *testing.M) {
	if os.Getenv("MOTCUA_TEST_MAIN") == "1" {
		main()
		return
	}
	checker, err := apitest.NewChecker(api.OpenAPIDocument())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	http.DefaultTransport = checker.Transport(http.DefaultTransport, apiServers.Report)
	code := m.Run()
	if testing.Verbose() {
		fmt.Printf("API contract: %d responses checked against the OpenAPI document, %d disagreed\n", checker.Checked(), checker.Mismatches())
	}
	os.Exit(code)
}

// apiServers knows which test owns which server, for the API contract
// check installed by TestMain.
var apiServers apitest.Servers

// process is motcua running as a child process.
type process struct {
	cmd       *exec.Cmd
	name      string // the command
	url       string
	logs      *syncBuffer
	done      chan struct{}
	listening chan string // the URL, once it listens
	started   time.Time
}

// startProcess runs "motcua args..." and waits until it listens.
func startProcess(t *testing.T, args ...string) *process {
	t.Helper()
	return startProcessEnv(t, nil, args...)
}

// startProcessEnv is startProcess with env added to the environment.
func startProcessEnv(t *testing.T, env []string, args ...string) *process {
	t.Helper()
	p := launchProcess(t, env, args...)
	p.await(t)
	return p
}

// launchProcess starts "motcua args..." with env added to the
// environment, without waiting for it to listen (await does).
func launchProcess(t *testing.T, env []string, args ...string) *process {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), env...), "MOTCUA_TEST_MAIN=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd, name: args[0], logs: &syncBuffer{}, done: make(chan struct{}),
		listening: make(chan string, 1), started: time.Now()}
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(p.logs, line)
			var m struct {
				Msg string `json:"msg"`
				URL string `json:"url"`
			}
			if json.Unmarshal([]byte(line), &m) == nil && m.Msg == "motcua listening" {
				p.listening <- m.URL
			}
		}
		_ = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() { p.kill() })
	return p
}

// await waits until the process listens.
func (p *process) await(t *testing.T) {
	t.Helper()
	select {
	case p.url = <-p.listening:
		apiServers.Add(t, p.url)
		t.Logf("motcua %s listening after %v", p.name, time.Since(p.started).Round(time.Millisecond))
	case <-p.done:
		t.Fatalf("motcua %s exited before listening:\n%s", p.name, p.logs)
	case <-time.After(3*time.Minute - time.Since(p.started)): // a loaded machine, as startServer
		p.kill()
		t.Fatalf("motcua %s did not start:\n%s", p.name, p.logs)
	}
}

// kill sends SIGKILL: no shutdown, in-flight requests and transactions
// cut wherever they are.
func (p *process) kill() {
	_ = p.cmd.Process.Kill()
	<-p.done
}

// TestKillMidUploadKeepsAuditPaired: motcua is killed with SIGKILL
// several times while citizens upload documents and replace files.
// Afterwards every document and every file version in the database has
// its audit event, every file the database refers to is in the blob
// folder intact, every upload the server acknowledged is there, and the
// audit chain verifies.
func TestKillMidUploadKeepsAuditPaired(t *testing.T) {
	t.Parallel()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		killDuringUploads(t, "")
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		killDuringUploads(t, pgtest.SchemaURL(t))
	})
}

func killDuringUploads(t *testing.T, dbURL string) {
	dir := t.TempDir()
	common := []string{"--data-dir", dir, "--log-format", "json"}
	if dbURL != "" {
		common = append(common, "--database-url", dbURL)
	}
	serve := append([]string{"serve", "--addr", "127.0.0.1:0", "--demo", "--demo-history=false"}, common...)
	p := startProcess(t, serve...)
	ca, err := demo.LoadOrCreateCA(filepath.Join(dir, "demo-ca"))
	if err != nil {
		t.Fatal(err)
	}
	owner := demo.Citizens()[0]
	ts := &testServer{url: p.url}
	token := sessionToken(t, ts, owner.Code) // the session survives restarts

	const rounds, workers, files = 4, 9, 24
	pdfs := make([][]byte, files)
	for i := range pdfs {
		if pdfs[i], err = ca.SignPDF(pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: fmt.Sprintf("Ban so %d", i), Padding: 64 << 10}),
			time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	client := &http.Client{Timeout: 20 * time.Second}
	call := func(base, method, path string, body io.Reader, ct string) (int, map[string]any) {
		req, _ := http.NewRequest(method, base+path, body)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", ct)
		resp, err := client.Do(req)
		if err != nil {
			return 0, nil // the server was killed
		}
		defer resp.Body.Close()
		var m map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&m)
		return resp.StatusCode, m
	}
	upload := func(base string, n int) (int, map[string]any) {
		body, ct := multipartBody(t, map[string]string{"category": demo.CategoryCertifiedCopy,
			"decision_number": fmt.Sprintf("KILL-%d", n), "issue_date": "2024-02-02"}, pdfs[n%files])
		return call(base, "POST", "/api/v1/warehouse/documents", body, ct)
	}
	status, doc := upload(p.url, 0)
	if status != 201 {
		t.Fatalf("first upload: %d %v", status, doc)
	}
	replaced := doc["id"].(string)

	var seq atomic.Int64
	seq.Store(1)
	var mu sync.Mutex
	acked := map[string]bool{replaced: true} // documents the server said it stored
	for round := range rounds {
		if round > 0 {
			p = startProcess(t, serve...)
		}
		var done atomic.Int64
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for w := range workers {
			wg.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
					}
					if w%3 == 0 { // a third of the workers replace the file
						n := int(seq.Add(1))
						status, _ := call(p.url, "PUT", "/api/v1/warehouse/documents/"+replaced+"/file",
							bytes.NewReader(pdfs[n%files]), "application/pdf")
						if status == 0 {
							return
						}
						done.Add(1)
						continue
					}
					status, doc := upload(p.url, int(seq.Add(1)))
					if status == 0 {
						return
					}
					if status == 201 {
						mu.Lock()
						acked[doc["id"].(string)] = true
						mu.Unlock()
					}
					done.Add(1)
				}
			})
		}
		// Kill once requests are flowing, at a different point each round.
		for deadline := time.Now().Add(30 * time.Second); done.Load() < int64(4+3*round); time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("round %d: requests do not complete:\n%s", round, p.logs)
			}
		}
		time.Sleep(time.Duration(7*round) * time.Millisecond)
		p.kill()
		close(stop)
		wg.Wait()
	}

	// The data is read directly; opening the database recovers it as a
	// restart would (SQLite's WAL, PostgreSQL's own).
	ctx := context.Background()
	var st *sqldb.Store
	if dbURL == "" {
		st, err = sqlite.Open(ctx, filepath.Join(dir, "motcua.db"))
	} else {
		st, err = postgres.Open(ctx, dbURL)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	docs, _, err := st.ListDocuments(ctx, motcua.DocumentFilter{OwnerCode: owner.Code, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	blobDir := filepath.Join(dir, "blobs")
	checkBlob := func(f motcua.File) {
		b, err := os.ReadFile(filepath.Join(blobDir, f.SHA256[0:2], f.SHA256[2:4], f.SHA256))
		sum := sha256.Sum256(b)
		if err != nil || hex.EncodeToString(sum[:]) != f.SHA256 || int64(len(b)) != f.Size {
			t.Errorf("blob %s of %s: %v (%d bytes)", f.SHA256, f.Name, err, len(b))
		}
	}
	found, versions := 0, 0
	for _, d := range docs {
		if !strings.HasPrefix(d.DecisionNumber, "KILL-") {
			continue
		}
		found++
		delete(acked, d.ID)
		checkBlob(d.File)
		events, err := st.ListAudit(ctx, motcua.AuditFilter{ObjectKind: "document", ObjectID: d.ID, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, e := range events {
			seen[e.Action+" "+e.Detail] = true
		}
		if !seen["document.create "] {
			t.Errorf("document %s (%s) has no document.create event", d.ID, d.DecisionNumber)
		}
		vs, err := st.DocumentVersions(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			checkBlob(v.File)
		}
		for v := 2; v <= d.Version; v++ {
			versions++
			if !seen[fmt.Sprintf("document.replace_file version %d", v)] {
				t.Errorf("document %s: version %d has no document.replace_file event", d.ID, v)
			}
		}
	}
	if len(acked) > 0 {
		t.Errorf("%d acknowledged uploads lost: %v", len(acked), acked)
	}
	if found < 5 || versions < 2 {
		t.Fatalf("only %d documents and %d replacements stored: the run did not exercise the crash", found, versions)
	}
	t.Logf("%d documents, %d file replacements over %d kills", found, versions, rounds)

	// The audit chain seals and verifies over what the crashes left.
	var out, errOut bytes.Buffer
	cmd := exec.Command(os.Args[0], append([]string{"audit", "verify"}, common...)...)
	cmd.Env = append(os.Environ(), "MOTCUA_TEST_MAIN=1")
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("motcua audit verify: %v\n%s\n%s", err, out.String(), errOut.String())
	}
}
