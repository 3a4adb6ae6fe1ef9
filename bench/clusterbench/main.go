// Command clusterbench measures warehouse uploads (a signed PDF, verified,
// stored as a blob, recorded as a row) through real `motcua serve`
// processes on PostgreSQL, in three set-ups interleaved in one run:
//
//   - file: one node, blobs in its data folder (file store);
//   - s3-1: one node, blobs in an S3 bucket;
//   - s3-2: two nodes on the same database and bucket, uploads sent to
//     them in turn (as a load balancer does).
//
// It creates two throwaway databases (file, s3) on the PostgreSQL server
// of --pg and drops them at the end, starts the nodes with --demo (node 2
// of the S3 set-up after node 1 is ready, with node 1's demo CA copied
// into its data folder so that both trust the same signer), logs demo
// citizens in through the development identity provider, signs distinct
// PDFs with the demo CA beforehand, then sends --uploads uploads per
// set-up and round from --concurrency clients. Each round runs the three
// set-ups one after the other, so that the machine's background load
// falls on all three alike.
//
//	source env.sh   # MOTCUA_TEST_S3_URL and AWS_* of a running S3 server
//	go run ./bench/clusterbench
//
// It prints, per set-up, the throughput and p50/p99/max of the upload's
// answer time (client side), the CPU time the motcua processes used per
// upload and the machine's CPU use during the set-up's runs.
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/pdfsig/pdfsigtest"
)

type options struct {
	bin         string
	pg          string
	s3          string
	uploads     int
	rounds      int
	concurrency int
	size        int
	citizens    int
	work        string
	keep        bool
}

func main() {
	var o options
	flag.StringVar(&o.bin, "motcua", "", "motcua binary (default: built from ./cmd/motcua into the work folder)")
	flag.StringVar(&o.pg, "pg", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable",
		"PostgreSQL server (any database) on which the throwaway databases are created")
	flag.StringVar(&o.s3, "s3", os.Getenv("MOTCUA_TEST_S3_URL"),
		"s3://BUCKET?endpoint=…&region=…&path_style=true of a running S3 server; a prefix of this run's own is added [$MOTCUA_TEST_S3_URL]")
	flag.IntVar(&o.uploads, "uploads", 120, "uploads per set-up and round")
	flag.IntVar(&o.rounds, "rounds", 3, "rounds (each runs every set-up once)")
	flag.IntVar(&o.concurrency, "concurrency", 8, "clients uploading at once")
	flag.IntVar(&o.size, "size", 1<<20, "approximate size of each PDF in bytes")
	flag.IntVar(&o.citizens, "citizens", 4, "demo citizens the uploads are spread over")
	flag.StringVar(&o.work, "work", "", "work folder (default: a new folder in the system's temporary folder)")
	flag.BoolVar(&o.keep, "keep", false, "keep the work folder, the databases and the bucket prefix")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "clusterbench:", err)
		os.Exit(1)
	}
}

// node is one running `motcua serve`.
type node struct {
	name    string
	url     string
	dataDir string
	cmd     *exec.Cmd
	log     *os.File
	exited  chan struct{} // closed once the process has exited
}

// setup is one of the compared deployments.
type setup struct {
	name  string
	nodes []*node
	token []string // session tokens of the citizens, valid on every node
	stats []result
}

type result struct {
	wall     time.Duration
	lat      []time.Duration
	errors   int
	firstErr string
	cpu      time.Duration // CPU time of the set-up's motcua processes
	pgCPU    time.Duration // of every postgres process (other users' too)
	s3CPU    time.Duration // of every versitygw or minio process
	busy     float64       // machine CPU use, 0–1 of all cores
	load     float64
}

func run(o options) error {
	ctx := context.Background()
	if o.s3 == "" {
		return errors.New("no S3 server: set --s3 or MOTCUA_TEST_S3_URL (and AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)")
	}
	if o.work == "" {
		d, err := os.MkdirTemp("", "clusterbench-")
		if err != nil {
			return err
		}
		o.work = d
	}
	if !o.keep {
		defer os.RemoveAll(o.work)
	}
	tag := fmt.Sprintf("clusterbench_%d", os.Getpid())
	if o.bin == "" {
		o.bin = filepath.Join(o.work, "motcua")
		fmt.Println("building motcua …")
		b := exec.Command("go", "build", "-o", o.bin, "./cmd/motcua")
		b.Stdout, b.Stderr = os.Stdout, os.Stderr
		if err := b.Run(); err != nil {
			return fmt.Errorf("build motcua (run from the repository's root): %w", err)
		}
	}
	s3URL, err := withPrefix(o.s3, tag)
	if err != nil {
		return err
	}
	fileDB, err := createDB(ctx, o.pg, tag+"_file")
	if err != nil {
		return err
	}
	s3DB, err := createDB(ctx, o.pg, tag+"_s3")
	if err != nil {
		return err
	}
	var all []*node
	defer func() {
		for _, n := range all {
			n.stop()
		}
		if !o.keep {
			dropDB(ctx, o.pg, tag+"_file")
			dropDB(ctx, o.pg, tag+"_s3")
			if err := removePrefix(ctx, s3URL); err != nil {
				fmt.Fprintln(os.Stderr, "clusterbench: remove the bucket prefix:", err)
			}
		}
	}()

	start := func(name, db, blobs string, caFrom string) (*node, error) {
		n, err := startNode(o, name, db, blobs, caFrom)
		if n != nil {
			all = append(all, n)
		}
		return n, err
	}
	t0 := time.Now()
	// The two first nodes migrate and seed two different databases, so
	// they may start together; node 2 waits for node 1's demo CA.
	var f, s1 *node
	var ferr, serr error
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); f, ferr = start("file", fileDB, "", "") }()
	go func() { defer wg.Done(); s1, serr = start("s3-node1", s3DB, s3URL, "") }()
	wg.Wait()
	if err := errors.Join(ferr, serr); err != nil {
		return err
	}
	s2, err := start("s3-node2", s3DB, s3URL, filepath.Join(s1.dataDir, "demo-ca"))
	if err != nil {
		return err
	}
	fmt.Printf("nodes ready in %.1f s\n", time.Since(t0).Seconds())

	citizens := demo.Citizens()
	if o.citizens > len(citizens) {
		o.citizens = len(citizens)
	}
	var fileTokens, s3Tokens []string
	for _, c := range citizens[:o.citizens] {
		tf, err := login(f.url, c.Code)
		if err != nil {
			return err
		}
		ts, err := login(s1.url, c.Code)
		if err != nil {
			return err
		}
		fileTokens, s3Tokens = append(fileTokens, tf), append(s3Tokens, ts)
	}
	setups := []*setup{
		{name: "1 node, file store", nodes: []*node{f}, token: fileTokens},
		{name: "1 node, S3", nodes: []*node{s1}, token: s3Tokens},
		{name: "2 nodes, S3", nodes: []*node{s1, s2}, token: s3Tokens},
	}

	// Distinct signed PDFs, made before any timing, on disk.
	total := o.uploads * o.rounds * len(setups)
	fmt.Printf("signing %d PDFs of %d KB …\n", total, o.size>>10)
	files, err := makePDFs(filepath.Join(s1.dataDir, "demo-ca"), filepath.Join(f.dataDir, "demo-ca"), o, total)
	if err != nil {
		return err
	}

	client := &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: o.concurrency * 2}}
	next := 0
	for r := 0; r < o.rounds; r++ {
		for _, s := range setups {
			res := uploadRound(client, s, files.forSetup(s == setups[0]), next, o)
			next += o.uploads
			s.stats = append(s.stats, res)
			fmt.Printf("round %d %-20s %6.1f uploads/s  p50 %6.1f ms  p99 %6.1f ms  errors %d  load %.1f\n",
				r+1, s.name, float64(len(res.lat))/res.wall.Seconds(), ms(pct(res.lat, 0.5)), ms(pct(res.lat, 0.99)), res.errors, res.load)
			if res.firstErr != "" {
				fmt.Println("   first error:", res.firstErr)
			}
		}
	}
	report(setups, o)
	return nil
}

// uploadRound sends o.uploads uploads to the set-up's nodes in turn.
func uploadRound(client *http.Client, s *setup, files pdfSource, first int, o options) result {
	var res result
	var mu sync.Mutex
	jobs := make(chan int)
	cpu0 := cpuOf(s.nodes)
	pg0, s30 := serverCPU()
	busy0, total0 := machineCPU()
	t0 := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < o.concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				n := s.nodes[i%len(s.nodes)]
				tok := s.token[(i/len(s.nodes))%len(s.token)]
				data, err := files.read(first + i)
				var took time.Duration
				if err == nil {
					took, err = upload(client, n.url, tok, data, first+i)
				}
				mu.Lock()
				if err != nil {
					res.errors++
					if res.firstErr == "" {
						res.firstErr = err.Error()
					}
				} else {
					res.lat = append(res.lat, took)
				}
				mu.Unlock()
			}
		}()
	}
	for i := 0; i < o.uploads; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	res.wall = time.Since(t0)
	res.cpu = cpuOf(s.nodes) - cpu0
	pg1, s31 := serverCPU()
	res.pgCPU, res.s3CPU = pg1-pg0, s31-s30
	busy1, total1 := machineCPU()
	if total1 > total0 {
		res.busy = float64(busy1-busy0) / float64(total1-total0)
	}
	res.load = loadAverage()
	return res
}

// upload posts one PDF to the warehouse API and returns its answer time.
func upload(client *http.Client, base, token string, pdf []byte, i int) (time.Duration, error) {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range map[string]string{"category": demo.CategoryCertifiedCopy, "paper_type": "result",
		"decision_number": fmt.Sprintf("%d/CB", i+1), "summary": "Bản sao chứng thực (đo tải)", "issue_date": time.Now().Format("2006-01-02")} {
		_ = w.WriteField(k, v)
	}
	fw, _ := w.CreateFormFile("file", "ban-sao.pdf")
	_, _ = fw.Write(pdf)
	_ = w.Close()
	req, err := http.NewRequest("POST", base+"/api/v1/warehouse/documents", &body)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	t0 := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	msg, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	took := time.Since(t0)
	if resp.StatusCode != http.StatusCreated {
		return 0, fmt.Errorf("%s: %d %.300s", base, resp.StatusCode, msg)
	}
	return took, nil
}

func report(setups []*setup, o options) {
	fmt.Printf("\n%d rounds × %d uploads of ~%d KB per set-up, %d clients\n\n", o.rounds, o.uploads, o.size>>10, o.concurrency)
	fmt.Println("| set-up | uploads/s (per round) | p50 ms | p99 ms | max ms | errors | CPU ms/upload: motcua / PostgreSQL / S3 server | machine CPU busy |")
	fmt.Println("|---|---|---|---|---|---|---|---|")
	for _, s := range setups {
		var lat []time.Duration
		var wall, cpu, pgCPU, s3CPU time.Duration
		var errs int
		var rates []string
		var busy float64
		for _, r := range s.stats {
			lat = append(lat, r.lat...)
			wall += r.wall
			cpu += r.cpu
			pgCPU += r.pgCPU
			s3CPU += r.s3CPU
			errs += r.errors
			busy += r.busy
			rates = append(rates, fmt.Sprintf("%.1f", float64(len(r.lat))/r.wall.Seconds()))
		}
		n := len(lat)
		per := func(d time.Duration) float64 { return ms(d) / float64(max(n, 1)) }
		fmt.Printf("| %s | **%.1f** (%s) | %.1f | %.1f | %.1f | %d | %.1f / %.1f / %.1f | %.0f%% |\n", s.name, float64(n)/wall.Seconds(),
			strings.Join(rates, ", "), ms(pct(lat, 0.5)), ms(pct(lat, 0.99)), ms(pct(lat, 1)), errs,
			per(cpu), per(pgCPU), per(s3CPU), 100*busy/float64(len(s.stats)))
	}
}

func pct(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[int(p*float64(len(s)-1))]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// startNode starts `motcua serve --demo` on a free port and waits until
// /readyz answers 200. caFrom, when set, is a demo CA folder copied into
// the node's data folder first.
func startNode(o options, name, db, blobs, caFrom string) (*node, error) {
	dataDir := filepath.Join(o.work, name)
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return nil, err
	}
	if caFrom != "" {
		if err := os.CopyFS(filepath.Join(dataDir, "demo-ca"), os.DirFS(caFrom)); err != nil {
			return nil, fmt.Errorf("copy the demo CA: %w", err)
		}
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	args := []string{"serve", "--demo", "--demo-history=false", "--data-dir", dataDir, "--database-url", db,
		"--addr", addr, "--log-format", "json"}
	if blobs != "" {
		args = append(args, "--blob-url", blobs)
	}
	logf, err := os.Create(filepath.Join(o.work, name+".log"))
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(o.bin, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, err
	}
	n := &node{name: name, url: "http://" + addr, dataDir: dataDir, cmd: cmd, log: logf, exited: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(n.exited) }()
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case <-n.exited:
			return n, fmt.Errorf("%s exited before it was ready (%v); see %s", name, cmd.ProcessState, logf.Name())
		case <-time.After(200 * time.Millisecond):
		}
		resp, err := http.Get(n.url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return n, nil
			}
		}
	}
	return n, fmt.Errorf("%s not ready after 3 minutes; see %s", name, logf.Name())
}

func (n *node) stop() {
	_ = n.cmd.Process.Signal(os.Interrupt)
	select {
	case <-n.exited:
	case <-time.After(30 * time.Second):
		_ = n.cmd.Process.Kill()
		<-n.exited
	}
	n.log.Close()
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

var authRequestField = regexp.MustCompile(`name="authRequestID" value="([^"]+)"`)

// login signs a demo citizen in through the node's development identity
// provider and returns the session token, which the API takes as a
// bearer token on every node of the database.
func login(base, code string) (string, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	resp, err := c.Get(base + "/auth/login/vneid")
	if err != nil {
		return "", err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := authRequestField.FindSubmatch(body)
	if m == nil {
		return "", fmt.Errorf("no login form at %s", resp.Request.URL)
	}
	resp, err = c.PostForm(resp.Request.URL.String(), url.Values{"authRequestID": {string(m[1])}, "username": {code}, "password": {"motcua-demo"}})
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	if resp.Request.URL.Path != "/tai-khoan" {
		return "", fmt.Errorf("login of %s ended at %s", code, resp.Request.URL)
	}
	u, _ := url.Parse(base)
	for _, ck := range jar.Cookies(u) {
		if ck.Name == "motcua_session" {
			return ck.Value, nil
		}
	}
	return "", fmt.Errorf("login of %s: no session cookie", code)
}

// pdfSource reads the pre-signed PDFs of one demo CA.
type pdfSource struct{ dir string }

func (p pdfSource) read(i int) ([]byte, error) {
	return os.ReadFile(filepath.Join(p.dir, strconv.Itoa(i)+".pdf"))
}

type pdfSet struct{ s3, file pdfSource }

func (p pdfSet) forSetup(file bool) pdfSource {
	if file {
		return p.file
	}
	return p.s3
}

// makePDFs signs n distinct PDFs with each of the two demo CAs (the file
// set-up's database trusts its own node's CA).
func makePDFs(s3CA, fileCA string, o options, n int) (pdfSet, error) {
	set := pdfSet{s3: pdfSource{filepath.Join(o.work, "pdf-s3")}, file: pdfSource{filepath.Join(o.work, "pdf-file")}}
	for _, x := range []struct {
		ca  string
		dir string
	}{{s3CA, set.s3.dir}, {fileCA, set.file.dir}} {
		ca, err := demo.LoadOrCreateCA(x.ca)
		if err != nil {
			return set, err
		}
		if err := os.MkdirAll(x.dir, 0o755); err != nil {
			return set, err
		}
		for i := 0; i < n; i++ {
			raw := pdfsigtest.NewPDF(pdfsigtest.PDFOptions{Text: fmt.Sprintf("Ban sao chung thuc so %d", i+1),
				Padding: o.size, Seed: uint64(i + 1)})
			signed, err := ca.SignPDF(raw, time.Now())
			if err != nil {
				return set, err
			}
			if err := os.WriteFile(filepath.Join(x.dir, strconv.Itoa(i)+".pdf"), signed, 0o644); err != nil {
				return set, err
			}
		}
	}
	return set, nil
}

// withPrefix adds a path element to an s3:// URL's prefix.
func withPrefix(raw, prefix string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "s3" {
		return "", fmt.Errorf("--s3 %q: want s3://BUCKET[/PREFIX]?…", raw)
	}
	u.Path = strings.TrimSuffix(u.Path, "/") + "/" + prefix
	return u.String(), nil
}

// removePrefix deletes every object under the run's prefix.
func removePrefix(ctx context.Context, raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	q := u.Query()
	ep, err := url.Parse(q.Get("endpoint"))
	if err != nil || ep.Host == "" {
		return fmt.Errorf("no endpoint in %s", raw)
	}
	lookup := minio.BucketLookupAuto
	if q.Get("path_style") == "true" {
		lookup = minio.BucketLookupPath
	}
	c, err := minio.New(ep.Host, &minio.Options{Creds: credentials.NewEnvAWS(), Secure: ep.Scheme == "https",
		Region: q.Get("region"), BucketLookup: lookup})
	if err != nil {
		return err
	}
	prefix := strings.TrimPrefix(u.Path, "/") + "/"
	objs := c.ListObjects(ctx, u.Host, minio.ListObjectsOptions{Prefix: prefix, Recursive: true})
	for e := range c.RemoveObjects(ctx, u.Host, objs, minio.RemoveObjectsOptions{}) {
		return e.Err
	}
	return nil
}

func createDB(ctx context.Context, admin, name string) (string, error) {
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return "", fmt.Errorf("create database %s: %w", name, err)
	}
	u, _ := url.Parse(admin)
	u.Path = "/" + name
	return u.String(), nil
}

func dropDB(ctx context.Context, admin, name string) {
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "clusterbench: drop database:", err)
		return
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		fmt.Fprintln(os.Stderr, "clusterbench: drop database:", err)
	}
}

// cpuOf is the user+system CPU time the nodes' processes used so far.
func cpuOf(nodes []*node) time.Duration {
	var total time.Duration
	for _, n := range nodes {
		_, cpu := procCPU(strconv.Itoa(n.cmd.Process.Pid))
		total += cpu
	}
	return total
}

// procCPU reads a process's name and user+system CPU time.
func procCPU(pid string) (string, time.Duration) {
	raw, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return "", 0
	}
	// pid (comm) state …: utime and stime are the 14th and 15th fields.
	s := string(raw)
	open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || end < open {
		return "", 0
	}
	f := strings.Fields(s[end+1:])
	if len(f) < 13 {
		return "", 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return s[open+1 : end], time.Duration(ut+st) * time.Second / 100 // USER_HZ
}

// serverCPU sums the CPU time of the PostgreSQL processes and of the S3
// server's (versitygw or minio). Both may serve others too: the figure
// is an upper bound of what the run cost them. A backend that exits
// between two readings takes its time with it.
func serverCPU() (pg, s3 time.Duration) {
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		if e.Name()[0] < '0' || e.Name()[0] > '9' {
			continue
		}
		name, cpu := procCPU(e.Name())
		switch {
		case name == "postgres":
			pg += cpu
		case name == "versitygw" || name == "minio":
			s3 += cpu
		}
	}
	return pg, s3
}

// machineCPU returns the busy and total jiffies of all cores.
func machineCPU() (busy, total int64) {
	f, err := os.Open("/proc/stat")
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	if !sc.Scan() {
		return 0, 0
	}
	// user nice system idle iowait irq softirq steal (guest time is
	// already counted in user).
	fields := strings.Fields(sc.Text())[1:]
	for i, v := range fields[:min(8, len(fields))] {
		n, _ := strconv.ParseInt(v, 10, 64)
		total += n
		if i != 3 && i != 4 && i != 7 {
			busy += n
		}
	}
	return busy, total
}

func loadAverage() float64 {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	v, _ := strconv.ParseFloat(strings.Fields(string(raw))[0], 64)
	return v
}
