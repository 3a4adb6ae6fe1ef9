package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/notify/notifysim"
	"github.com/motcua/motcua/internal/service"
	"github.com/motcua/motcua/internal/testenv"
)

// The S3 credentials of the fault test's own S3 server.
const (
	faultS3Key    = "motcua-fault"
	faultS3Secret = "motcua-fault-secret"
	faultS3Bucket = "motcua-fault"
)

// faultS3Env is the environment that points a motcua process at the
// fault test's S3 server.
func faultS3Env() []string {
	return []string{"AWS_ACCESS_KEY_ID=" + faultS3Key, "AWS_SECRET_ACCESS_KEY=" + faultS3Secret,
		"AWS_REGION=us-east-1", "AWS_SESSION_TOKEN="}
}

// freeAddr returns a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// s3Server is a versitygw process serving a folder, which the test can
// kill and start again on the same address and folder.
type s3Server struct {
	bin, root, addr string
	cmd             *exec.Cmd
	done            chan struct{}
	logs            *syncBuffer
}

// versitygwPath is the versitygw binary scripts/test builds
// (MOTCUA_TEST_VERSITYGW). Without it the test skips, unless
// MOTCUA_REQUIRE_S3 is set.
func versitygwPath(t *testing.T) string {
	t.Helper()
	return testenv.Var(t, "MOTCUA_REQUIRE_S3", "MOTCUA_TEST_VERSITYGW", "scripts/test builds versitygw and sets it")
}

// startS3Server runs versitygw on a free port over a new folder holding
// one bucket.
func startS3Server(t *testing.T, bin string) *s3Server {
	t.Helper()
	s := &s3Server{bin: bin, root: t.TempDir(), addr: freeAddr(t), logs: &syncBuffer{}}
	if err := os.Mkdir(filepath.Join(s.root, faultS3Bucket), 0o750); err != nil {
		t.Fatal(err)
	}
	s.start(t)
	t.Cleanup(s.kill)
	return s
}

// url is the --blob-url of a prefix in the server's bucket.
func (s *s3Server) url(prefix string) string {
	return fmt.Sprintf("s3://%s/%s?endpoint=http://%s&region=us-east-1&path_style=true", faultS3Bucket, prefix, s.addr)
}

// start runs the server and waits until it accepts connections.
func (s *s3Server) start(t *testing.T) {
	t.Helper()
	cmd := exec.Command(s.bin, "--port", s.addr, "--quiet", "posix", s.root)
	cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY="+faultS3Key, "ROOT_SECRET_KEY="+faultS3Secret)
	cmd.Stdout, cmd.Stderr = s.logs, s.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s.cmd, s.done = cmd, make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(s.done)
	}()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", s.addr); err == nil {
			c.Close()
			return
		}
		select {
		case <-s.done:
			t.Fatalf("the S3 server exited:\n%s", s.logs)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the S3 server does not listen on %s:\n%s", s.addr, s.logs)
		}
	}
}

// kill stops the server with SIGKILL.
func (s *s3Server) kill() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.done
	s.cmd = nil
}

// clusterNode is one `motcua serve` process of the cluster, on a fixed
// address so that it comes back where the load expects it.
type clusterNode struct {
	name string
	addr string
	args []string
	p    *process
}

func (n *clusterNode) url() string { return "http://" + n.addr }

// start runs the node's serve command and waits until it listens.
func (n *clusterNode) start(t *testing.T) {
	t.Helper()
	n.launch(t)
	n.p.await(t)
}

// launch runs the node's serve command (p.await waits for it).
func (n *clusterNode) launch(t *testing.T) {
	t.Helper()
	n.p = launchProcess(t, faultS3Env(), append([]string{"serve", "--addr", n.addr}, n.args...)...)
}

// gatewayRecorder is the notification gateways of the cluster: the
// simulator, behind a handler that counts every request per dedupe key
// (tracking_id for Zalo, request_id for SMS), repeats included. It holds
// each answer for gatewayHold after the message is accepted, so that a
// node killed meanwhile has sent a message whose answer it never saw.
const gatewayHold = time.Second

type gatewayRecorder struct {
	srv  *httptest.Server
	mu   sync.Mutex
	hits map[string]int // dedupe key → requests answered 200
}

func startGatewayRecorder(t *testing.T) *gatewayRecorder {
	t.Helper()
	sim := notifysim.New(notifysim.Options{MaxMessages: 100000})
	g := &gatewayRecorder{hits: map[string]int{}}
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		var m struct {
			TrackingID string `json:"tracking_id"`
			RequestID  string `json:"request_id"`
		}
		_ = json.Unmarshal(body, &m)
		rec := httptest.NewRecorder()
		sim.ServeHTTP(rec, r)
		if key := m.TrackingID + m.RequestID; key != "" && rec.Code == http.StatusOK {
			g.mu.Lock()
			g.hits[key]++
			g.mu.Unlock()
		}
		time.Sleep(gatewayHold)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	t.Cleanup(g.srv.Close)
	return g
}

// args are the serve flags that send Zalo and SMS to the recorder.
func (g *gatewayRecorder) args() []string {
	return []string{"--zalo-url", g.srv.URL, "--zalo-token", notifysim.DefaultAccessToken,
		"--sms-url", g.srv.URL, "--sms-key", notifysim.DefaultAPIKey}
}

func (g *gatewayRecorder) counts() map[string]int {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make(map[string]int, len(g.hits))
	for k, v := range g.hits {
		out[k] = v
	}
	return out
}

// totpSteps hands out TOTP codes the cluster has not seen yet, per
// officer: the servers share one database, which refuses a step used
// before, whichever node saw it.
type totpSteps struct {
	mu   sync.Mutex
	last map[string]int64
}

// code returns a fresh code of the officer's secret, or false when the
// steps the server accepts now are used up.
func (s *totpSteps) code(username, secret string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.last == nil {
		s.last = map[string]int64{}
	}
	now := time.Now().Unix() / 30
	step := now - 1
	if (now+1)*30-time.Now().Unix() < 15 {
		step = now
	}
	if last, ok := s.last[username]; ok && last+1 > step {
		step = last + 1
	}
	if step > now+1 {
		return "", false
	}
	s.last[username] = step
	code, err := service.TOTPCode(secret, time.Unix(step*30, 0))
	return code, err == nil
}

// sumOf is the sum of a map's values.
func sumOf(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// runMotcua runs "motcua args..." as a child process with env added and
// returns its exit status and output.
func runMotcua(t *testing.T, env []string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), env...), "MOTCUA_TEST_MAIN=1")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return exit.ExitCode(), string(out)
	case err != nil:
		t.Fatalf("motcua %v: %v", args, err)
	}
	return 0, string(out)
}
