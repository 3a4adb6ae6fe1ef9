package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
	"github.com/motcua/motcua/internal/pgtest"
)

// The fault test's timeline, from the start of the load.
const (
	faultLoad       = 45 * time.Second // how long the load runs
	faultKillAt     = 8 * time.Second  // one node is killed with SIGKILL and started again
	faultS3DownAt   = 24 * time.Second // the S3 server is killed…
	faultS3Outage   = 5 * time.Second  // …and started again this much later
	faultDrainLimit = 3 * time.Minute  // bound on waiting for the notifications to go out
)

// TestClusterUnderFaults is issue 17's proof under faults: three real
// `motcua serve` processes on one PostgreSQL database and one real S3
// server take a mixed load round-robin (citizens' uploads to the
// warehouse, online submissions reusing them, counter receptions by an
// officer, officer logins); one node is killed with SIGKILL mid-load and
// started again, and later the S3 server is killed and started again a
// few seconds on. Afterwards: every acknowledged upload reads back
// byte-identical from every node; dossier codes are unique and gap-free
// in each unit's day;
// documents' usage counts equal their uses by the stored dossiers, which
// include every acknowledged one; every queued notification reached the
// gateway, each at most twice; the audit chain verifies; every blob a row
// refers to is in S3 intact, and a garbage collection with no grace
// removes only objects no row refers to.
//
// The test is not parallel: it runs alone in its package (its timeline
// means more then), and it sets the S3 credentials of its own server in
// the environment for the in-process garbage collection.
func TestClusterUnderFaults(t *testing.T) {
	gw := versitygwPath(t)
	dbURL := pgtest.SchemaURL(t)
	s3 := startS3Server(t, gw)
	blobURL := s3.url("cluster")
	gate := startGatewayRecorder(t)

	dirs := make([]string, 3)
	nodes := make([]*clusterNode, 3)
	for i := range nodes {
		dirs[i] = t.TempDir()
		nodes[i] = &clusterNode{name: fmt.Sprintf("node %d", i+1), addr: freeAddr(t),
			args: append([]string{"--demo", "--demo-history=false", "--data-dir", dirs[i], "--database-url", dbURL,
				"--blob-url", blobURL, "--log-format", "json"}, gate.args()...)}
	}
	// The three start at once on the empty database: one migrates and
	// seeds the demo, and all share its demo CA (kept in the database).
	for _, n := range nodes {
		n.launch(t)
	}
	for _, n := range nodes {
		n.p.await(t)
	}
	ca, err := demo.LoadOrCreateCA(demoCADir(dirs[0]))
	if err != nil {
		t.Fatal(err)
	}

	l := &clusterLoad{t: t, nodes: nodes, ca: ca, client: &http.Client{Timeout: time.Minute},
		stats: map[string]*opStat{}, docs: map[int][]string{}, killed: nodes[1].addr}
	first := &testServer{url: nodes[0].url()}
	for _, c := range demo.Citizens()[:4] {
		l.citizens = append(l.citizens, c)
		l.tokens = append(l.tokens, sessionToken(t, first, c.Code))
	}
	l.officers = demo.Officers()
	desk := officerNamed(t, "tiepnhan.huyen")
	if tok, ok := l.officerLogin(nodes[0].url(), desk); !ok {
		t.Fatal("the district desk's officer cannot log in")
	} else {
		l.deskToken = tok
	}

	// The load, and the faults on their timeline.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	worker := func(op func()) {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				op()
			}
		})
	}
	for range 2 {
		worker(l.upload)
		worker(l.submitOnline)
	}
	worker(l.receiveAtCounter)
	worker(l.loginOfficer)

	start := time.Now()
	at := func(d time.Duration) { time.Sleep(time.Until(start.Add(d))) }
	at(faultKillAt)
	killed := nodes[1]
	l.mark("kill")
	killed.p.kill()
	t.Logf("%s killed with SIGKILL at %v", killed.name, time.Since(start).Round(time.Millisecond))
	killed.start(t)
	t.Logf("%s back at %v", killed.name, time.Since(start).Round(time.Millisecond))
	at(faultS3DownAt)
	l.mark("s3-down")
	s3.kill()
	downAt := time.Now()
	time.Sleep(faultS3Outage)
	s3.start(t)
	outage := time.Since(downAt)
	l.mark("s3-up")
	t.Logf("S3 server down from %v for %v", downAt.Sub(start).Round(time.Millisecond), outage.Round(time.Millisecond))
	at(faultLoad)
	close(stop)
	wg.Wait()
	loadTime := time.Since(start)

	l.mu.Lock()
	kinds := slices.Sorted(func(yield func(string) bool) {
		for k := range l.stats {
			if !yield(k) {
				return
			}
		}
	})
	for _, k := range kinds {
		s := l.stats[k]
		t.Logf("%-8s acknowledged %4d, failed %3d %v", k, s.acked, s.failed, s.failures)
	}
	l.mu.Unlock()
	for _, u := range l.unclean {
		t.Errorf("not a clean error: %s", u)
	}
	if l.stats["upload"] == nil || l.stats["upload"].acked < 20 || l.stats["online"] == nil || l.stats["online"].acked < 5 ||
		l.stats["counter"] == nil || l.stats["counter"].acked < 5 || l.stats["login"] == nil || l.stats["login"].acked < 3 {
		t.Fatalf("the load did too little to prove anything")
	}

	db := openSQL(t, dbURL)
	l.checkNotifications(db, gate)
	l.checkUploadsReadBack(nodes)
	l.checkDossiers(db)
	l.checkSessions()

	// The audit chain seals and verifies over what the faults left.
	common := []string{"--data-dir", dirs[0], "--database-url", dbURL, "--blob-url", blobURL}
	if code, out := runMotcua(t, faultS3Env(), append([]string{"audit", "verify"}, common...)...); code != 0 {
		t.Errorf("motcua audit verify: exit %d\n%s", code, out)
	} else {
		t.Logf("%s", strings.TrimSpace(out))
	}
	// No row without its blob; orphans only, and gc takes only them.
	verify := func(when string) {
		code, out := runMotcua(t, faultS3Env(), append([]string{"blobs", "verify"}, common...)...)
		if code != 0 || !strings.Contains(out, " 0 missing, 0 corrupt") {
			t.Errorf("blobs verify %s: exit %d\n%s", when, code, out)
		} else {
			lines := strings.Split(strings.TrimSpace(out), "\n")
			t.Logf("%s: %s", when, lines[len(lines)-1])
		}
	}
	verify("before gc")
	// gc with no grace: the clock an hour on, past a grace of a minute
	// (the command refuses less, for uploads still committing; the load is
	// over).
	for _, kv := range faultS3Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	cfg := commonConfig{DataDir: dirs[0], DatabaseURL: dbURL, BlobURL: blobURL}
	store, blobs, err := openStoreAndBlobs(context.Background(), &cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var listed bytes.Buffer
	res, err := collectGarbage(context.Background(), store, blobs, time.Now().Add(time.Hour), time.Minute, false, &listed)
	if err != nil {
		t.Fatal(err)
	}
	acked := map[string]bool{}
	for _, u := range l.uploads {
		acked[u.sha] = true
	}
	for _, line := range strings.Split(listed.String(), "\n") {
		if f := strings.Fields(line); len(f) > 1 && f[0] == "unreferenced" && acked[f[1]] {
			t.Errorf("gc deleted the blob of an acknowledged upload: %s", line)
		}
	}
	orphans := res.deleted
	t.Logf("blobs gc with no grace: deleted %d unreferenced, kept %d referenced; %d temporary uploads removed", res.deleted, res.referenced, res.temp)
	verify("after gc")
	l.checkUploadsReadBack(nodes[2:])

	t.Logf("load %v over 3 nodes: 1 node killed (SIGKILL) and restarted, S3 down %v; %d orphan objects collected by gc",
		loadTime.Round(time.Second), outage.Round(time.Millisecond), orphans)
}

// opStat counts one kind of operation.
type opStat struct {
	acked, failed int
	failures      map[string]int // "transport", "503 blob_unavailable", …
}

// upload is an upload the server acknowledged.
type upload struct {
	id, sha string
	owner   int
	data    []byte
}

// creation is a dossier the server acknowledged creating.
type creation struct {
	kind, code, doc string
}

// clusterLoad drives the operations round-robin across the nodes and
// records what the servers acknowledged.
type clusterLoad struct {
	t         *testing.T
	nodes     []*clusterNode
	ca        *demo.CA
	client    *http.Client
	citizens  []motcua.Subject
	tokens    []string
	officers  []demo.DemoOfficer
	deskToken string
	totp      totpSteps
	rr, seq   atomic.Int64
	killed    string // host:port of the node killed

	mu        sync.Mutex
	stats     map[string]*opStat
	unclean   []string
	uploads   []upload
	docs      map[int][]string // citizen → acknowledged upload ids
	creations []creation
	sessions  []string // officers' session tokens from acknowledged logins
	// unackedCreates counts submit and reception requests answered
	// otherwise than 2xx: each may have taken a dossier number.
	unackedCreates int
	events         []string
	notified       map[string]int // dossier id → notifications queued
}

func (l *clusterLoad) next() string {
	return l.nodes[int(l.rr.Add(1))%len(l.nodes)].url()
}

func (l *clusterLoad) mark(event string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, event)
}

// result is one HTTP exchange; status 0 is a transport error (a killed
// node, a cut connection).
type result struct {
	node   string // host:port asked
	status int
	m      map[string]any
	raw    []byte
	final  *url.URL
}

func (r result) ok() bool { return r.status >= 200 && r.status < 300 }

func (l *clusterLoad) call(c *http.Client, method, u, token string, body []byte, ct string, hdr map[string]string) result {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		l.t.Error(err)
		return result{}
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		return result{node: req.URL.Host}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return result{node: req.URL.Host}
	}
	r := result{node: req.URL.Host, status: resp.StatusCode, raw: raw, final: resp.Request.URL}
	_ = json.Unmarshal(raw, &r.m)
	return r
}

// done records the outcome of one operation of kind; a refusal must be a
// clean error: a problem document with its machine code.
func (l *clusterLoad) done(kind string, r result, step string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.stats[kind]
	if s == nil {
		s = &opStat{failures: map[string]int{}}
		l.stats[kind] = s
	}
	if r.ok() {
		s.acked++
		return
	}
	s.failed++
	if r.status == 0 {
		s.failures[step+" transport"]++
		if r.node != l.killed {
			l.unclean = append(l.unclean, fmt.Sprintf("%s %s: no answer from %s, which was not killed", kind, step, r.node))
		}
		return
	}
	code, _ := r.m["code"].(string)
	s.failures[fmt.Sprintf("%s %d %s", step, r.status, code)]++
	if code == "" && kind != "login" {
		l.unclean = append(l.unclean, fmt.Sprintf("%s %s: %d %.300s", kind, step, r.status, r.raw))
	}
	if r.status != http.StatusServiceUnavailable {
		l.unclean = append(l.unclean, fmt.Sprintf("%s %s refused with %d after the events %v: %.300s", kind, step, r.status, l.events, r.raw))
	}
}

// upload: a citizen uploads a signed certified copy to the warehouse.
func (l *clusterLoad) upload() {
	n := l.seq.Add(1)
	owner := int(n) % len(l.citizens)
	pdf, err := l.ca.SignPDF(pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: fmt.Sprintf("Ban sao cum may chu %d", n)}), time.Now())
	if err != nil {
		l.t.Error(err)
		return
	}
	body, ct := multipartBody(l.t, map[string]string{"category": demo.CategoryCertifiedCopy, "summary": "Bản sao chứng thực",
		"decision_number": fmt.Sprintf("CUM-%d", n), "issue_date": "2024-02-02"}, pdf)
	b, _ := io.ReadAll(body)
	r := l.call(l.client, "POST", l.next()+"/api/v1/warehouse/documents", l.tokens[owner], b, ct, nil)
	if r.ok() {
		id, _ := r.m["id"].(string)
		sum := sha256.Sum256(pdf)
		l.mu.Lock()
		l.uploads = append(l.uploads, upload{id: id, sha: fmt.Sprintf("%x", sum), owner: owner, data: pdf})
		l.docs[owner] = append(l.docs[owner], id)
		l.mu.Unlock()
	}
	l.done("upload", r, "upload")
}

// pick returns a citizen with acknowledged uploads and one of them.
func (l *clusterLoad) pick() (int, string, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	owner := rand.IntN(len(l.citizens))
	if docs := l.docs[owner]; len(docs) > 0 {
		return owner, docs[rand.IntN(len(docs))], true
	}
	return 0, "", false
}

// create posts a dossier-creating request with an Idempotency-Key,
// again on the next nodes when no answer or a server error came back.
func (l *clusterLoad) create(kind, path, token string, body []byte, ct, key, doc string) result {
	var r result
	for range 3 {
		r = l.call(l.client, "POST", l.next()+path, token, body, ct, map[string]string{"Idempotency-Key": key})
		if !r.ok() {
			l.mu.Lock()
			l.unackedCreates++
			l.mu.Unlock()
		}
		if r.status != 0 && r.status < 500 {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if r.ok() {
		code, _ := r.m["code"].(string)
		l.mu.Lock()
		l.creations = append(l.creations, creation{kind: kind, code: code, doc: doc})
		l.mu.Unlock()
	}
	return r
}

// submitOnline: a citizen drafts a judicial-record application, takes
// one of their uploads from the warehouse, scans the form and submits;
// each step on the next node.
func (l *clusterLoad) submitOnline() {
	owner, doc, ok := l.pick()
	if !ok {
		time.Sleep(100 * time.Millisecond)
		return
	}
	tok := l.tokens[owner]
	r := l.call(l.client, "POST", l.next()+"/api/v1/dossiers/drafts", tok,
		[]byte(fmt.Sprintf(`{"procedure":%q,"case":"TH01","agency":%q}`, demo.ProcedureJudicialRecord, demo.JusticeOfficeCode)), "application/json", nil)
	if !r.ok() {
		l.done("online", r, "draft")
		return
	}
	base := "/api/v1/dossiers/drafts/" + r.m["id"].(string)
	if r = l.call(l.client, "PUT", l.next()+base+"/components/TP02", tok, []byte(fmt.Sprintf(`{"document_id":%q}`, doc)),
		"application/json", nil); !r.ok() {
		l.done("online", r, "warehouse")
		return
	}
	body, ct := multipartBody(l.t, nil, demo.SampleUnsigned())
	b, _ := io.ReadAll(body)
	if r = l.call(l.client, "PUT", l.next()+base+"/components/TP01", tok, b, ct, nil); !r.ok() {
		l.done("online", r, "scan")
		return
	}
	r = l.create("online", base+"/submit", tok, nil, "", fmt.Sprintf("online-%d", l.seq.Add(1)), doc)
	l.done("online", r, "submit")
}

// receiveAtCounter: the district desk receives a citizen's judicial-record
// dossier: the form scanned, the identity paper from their warehouse.
func (l *clusterLoad) receiveAtCounter() {
	owner, doc, ok := l.pick()
	if !ok {
		time.Sleep(100 * time.Millisecond)
		return
	}
	c := l.citizens[owner]
	req := map[string]any{"procedure": demo.ProcedureJudicialRecord, "case": "TH01",
		"submitter":  map[string]any{"full_name": c.Name, "id_number": c.Code, "birth_date": c.BirthDate.String()},
		"components": []map[string]any{{"component": "TP01", "scan": "to-khai"}, {"component": "TP02", "document_id": doc}}}
	body, ct := receptionBody(l.t, req, map[string][]byte{"to-khai": pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: "to khai ly lich tu phap"})})
	b, _ := io.ReadAll(body)
	r := l.create("counter", "/api/v1/agency/receptions", l.deskToken, b, ct, fmt.Sprintf("counter-%d", l.seq.Add(1)), doc)
	l.done("counter", r, "receive")
}

// officerLogin logs an officer in (password and a fresh TOTP code) at
// base and returns the session token.
func (l *clusterLoad) officerLogin(base string, o demo.DemoOfficer) (string, bool) {
	code, ok := l.totp.code(o.Username, o.TOTPSecret)
	if !ok {
		return "", false
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: time.Minute}
	form := url.Values{"username": {o.Username}, "password": {o.Password}, "otp": {code}}
	r := l.call(c, "POST", base+"/can-bo/dang-nhap", "", []byte(form.Encode()), "application/x-www-form-urlencoded", nil)
	if r.status == 200 && r.final.Path == "/tai-khoan" {
		u, _ := url.Parse(base)
		for _, ck := range jar.Cookies(u) {
			if ck.Name == "motcua_session" {
				return ck.Value, true
			}
		}
	}
	if r.status == 200 {
		r.status = 401 // the login page again: refused
	}
	l.done("login", r, "login")
	return "", false
}

// loginOfficer: an officer logs in at the next node, whenever one has a
// TOTP step the cluster has not seen yet.
func (l *clusterLoad) loginOfficer() {
	for _, o := range l.officers {
		if o.Username == "tiepnhan.huyen" {
			continue
		}
		tok, ok := l.officerLogin(l.next(), o)
		if ok {
			l.mu.Lock()
			l.sessions = append(l.sessions, tok)
			l.mu.Unlock()
			l.done("login", result{status: 200}, "login")
		}
		time.Sleep(500 * time.Millisecond)
	}
	time.Sleep(time.Second)
}
